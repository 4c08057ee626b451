package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the activation of one layer of a block tree during a forward pass and makes it a point the gradient can be
 * taken at: while installed, the layer's output is replaced by a leaf copy marked for gradients (the graph is cut
 * there, which is all Grad-CAM needs), and each call's leaf is kept. {@link #close()} puts the tree back as it was.
 *
 * <p>Why by substitution: DJL has no forward hooks and {@code Block.forward} is final, so the layer is swapped for a
 * recording block in its parent, in the parent's child list and in any of the parent's fields that hold it (a
 * field typed {@code Block}, or a {@code List<Block>}). A parent that calls the layer through a field of a narrower
 * type cannot be redirected; the forward pass then never reaches the recorder, and {@link #activation()} says so.
 * Install one capture at a time, on the thread that runs the forward pass.
 */
public final class LayerCapture implements AutoCloseable {

    private final String path;
    private final Block layer;
    private final List<Runnable> restore = new ArrayList<>();
    private final List<NDArray> leaves = new ArrayList<>();

    private LayerCapture(Block root, String path) {
        this.path = path;
        String[] segments = Layers.segments(path);
        Block parent = root;
        for (int i = 0; i < segments.length - 1; i++) {
            parent = Layers.child(parent, segments[i], path).getValue();
        }
        Pair<Integer, Block> child = Layers.child(parent, segments[segments.length - 1], path);
        this.layer = child.getValue();
        Recorder recorder = new Recorder();
        try {
            substitute(parent, child.getKey(), recorder);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Installs a capture at {@code path} under the model's {@link ImageModel#layerRoot()}. */
    public static LayerCapture install(ImageModel model, String path) {
        Block root = model.layerRoot();
        if (root == null) {
            throw new IllegalArgumentException(model.description() + " has no DJL block tree, so layer \"" + path
                    + "\" cannot be reached: use an explainer that needs only logits (input gradient, Integrated "
                    + "Gradients, SmoothGrad)");
        }
        return new LayerCapture(root, path);
    }

    /** Installs a capture at {@code path} under {@code root}. */
    public static LayerCapture install(Block root, String path) {
        return new LayerCapture(root, path);
    }

    /** The captured layer. */
    public Block layer() {
        return layer;
    }

    /**
     * The activation of the one call of the layer since installation (or {@link #reset()}): a leaf marked for
     * gradients, holding the layer's output values.
     *
     * @throws IllegalStateException when the layer was not called (unreachable by substitution, or not on the path
     *     from images to logits) or called more than once (shared weights: ambiguous)
     */
    public NDArray activation() {
        if (leaves.isEmpty()) {
            throw new IllegalStateException("layer \"" + path + "\" (" + layer.getClass().getSimpleName() + ") was not "
                    + "reached by the forward pass: either it is not on the way from images to logits, or its parent "
                    + "calls it through a field of its own type, which cannot be redirected (DJL has no forward "
                    + "hooks); choose another layer (Layers.list(model)) or an explainer that needs only logits");
        }
        if (leaves.size() > 1) {
            throw new IllegalStateException("layer \"" + path + "\" ran " + leaves.size() + " times in one forward "
                    + "pass (shared weights), so its activation is ambiguous: choose a layer that runs once");
        }
        return leaves.get(0);
    }

    /** Forgets the captured activations (they stay attached to their managers). */
    public void reset() {
        leaves.clear();
    }

    /** Puts the original layer back everywhere it was replaced. */
    @Override
    public void close() {
        for (int i = restore.size() - 1; i >= 0; i--) {
            restore.get(i).run();
        }
        restore.clear();
    }

    private void substitute(Block parent, int index, Block recorder) {
        if (parent instanceof AbstractBlock) {
            BlockList children = (BlockList) read(field(AbstractBlock.class, "children"), parent);
            List<Block> values = children.values(); // the parent's own list (PairList.values is not a copy)
            values.set(index, recorder);
            restore.add(() -> values.set(index, layer));
        }
        for (Class<?> c = parent.getClass(); c != null && c != AbstractBlock.class && c != Object.class;
                c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(parent);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue; // a field reflection cannot open (another module's class) is not one we need
                }
                if (value == layer && f.getType().isInstance(recorder)) {
                    write(f, parent, recorder);
                    restore.add(() -> write(f, parent, layer));
                } else if (value instanceof List<?> list && holdsBlocks(f.getGenericType())) {
                    replaceIn(list, recorder);
                }
            }
        }
    }

    /** Replaces the layer in a list of blocks (or of such lists), wherever the element type admits the recorder. */
    @SuppressWarnings("unchecked")
    private void replaceIn(List<?> list, Block recorder) {
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (e == layer) {
                List<Object> l = (List<Object>) list;
                int at = i;
                try {
                    l.set(at, recorder);
                    restore.add(() -> l.set(at, layer));
                } catch (UnsupportedOperationException immutable) {
                    // An immutable list cannot be redirected: activation() reports the layer as not reached.
                }
            } else if (e instanceof List<?> inner) {
                replaceIn(inner, recorder);
            }
        }
    }

    /** Whether a field's declared type is a List of Block (or Object), possibly nested: lists the recorder fits. */
    private static boolean holdsBlocks(Type type) {
        if (!(type instanceof ParameterizedType p) || !(p.getRawType() instanceof Class<?> raw)
                || !List.class.isAssignableFrom(raw)) {
            return false;
        }
        Type element = p.getActualTypeArguments()[0];
        if (element instanceof WildcardType w) {
            Type[] lower = w.getLowerBounds();
            return lower.length == 1 && (lower[0] == Block.class);
        }
        return element == Block.class || element == Object.class || holdsBlocks(element);
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this DJL version's " + owner.getSimpleName() + " has no field " + name
                    + ": layer capture needs DJL 0.36", e);
        }
    }

    private static Object read(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }

    private static void write(Field f, Object target, Object value) {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot redirect " + f + " to the layer capture", e);
        }
    }

    /** Runs the layer and hands on a view of a marked leaf copy of its output (the caller may close what it gets). */
    private final class Recorder extends AbstractBlock {
        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList out = layer.forward(ps, inputs, training, params);
            NDArray leaf = out.get(0).stopGradient();
            leaf.setRequiresGradient(true);
            leaves.add(leaf);
            // A view, not the leaf itself: callers often close a layer's output once used (the library's ResNet
            // does), and the leaf must outlive the forward pass for its gradient.
            NDArray view = leaf.reshape(leaf.getShape());
            NDList result = new NDList(view);
            for (int i = 1; i < out.size(); i++) {
                result.add(out.get(i));
            }
            return result;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return layer.getOutputShapes(inputShapes);
        }

        @Override
        public String toString() {
            return "LayerCapture[" + path + ": " + layer + "]";
        }
    }
}
