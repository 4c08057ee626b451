package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers of a DJL block tree named by path: the child names from the root joined by {@code /}, e.g. {@code
 * "05layer2_0/03conv2"} in the library's ResNet or {@code "02SequentialBlock/01Conv2d"} in a {@code SequentialBlock}
 * (DJL prefixes each child's name with its position). A segment may leave out that two-digit prefix when the rest is
 * unique among its siblings ({@code "layer2_0/conv2"}), or be the child's 0-based index ({@code "1/0"}). {@link #list}
 * shows every path a model offers.
 */
public final class Layers {

    private Layers() {}

    /**
     * A layer of a block tree.
     *
     * @param path its path from the root
     * @param type the block's class name
     * @param parameters its trainable values (batch-norm running statistics excluded), children included
     */
    public record Layer(String path, String type, long parameters) {
        @Override
        public String toString() {
            return path + " (" + type + ", " + parameters + " parameters)";
        }
    }

    /** Every layer of the model's {@link ImageModel#layerRoot()}, depth first, in the order of the tree. */
    public static List<Layer> list(ImageModel model) {
        Block root = model.layerRoot();
        if (root == null) {
            throw new IllegalArgumentException(model.description() + " has no block tree to name layers in");
        }
        return list(root);
    }

    /** Every layer under {@code root}, depth first, in the order of the tree (the root itself not included). */
    public static List<Layer> list(Block root) {
        List<Layer> out = new ArrayList<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, List<Layer> out) {
        for (Pair<String, Block> child : block.getChildren()) {
            String path = prefix + child.getKey();
            out.add(new Layer(path, child.getValue().getClass().getSimpleName(), countParameters(child.getValue())));
            collect(child.getValue(), path + "/", out);
        }
    }

    /**
     * The block at {@code path} under {@code root}.
     *
     * @throws IllegalArgumentException naming the segment that matches no child, with the children there
     */
    public static Block find(Block root, String path) {
        Block block = root;
        for (String segment : segments(path)) {
            block = child(block, segment, path).getValue();
        }
        return block;
    }

    /** The path's segments, checked: an empty path or segment is refused with the fix. */
    public static String[] segments(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("layer path is empty: name a layer, e.g. \"layer2_1/conv2\" (list them "
                    + "with Layers.list(model))");
        }
        String[] parts = path.split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("layer path \"" + path + "\" has an empty segment: separate child "
                        + "names with single slashes");
            }
        }
        return parts;
    }

    /** The child of {@code parent} named {@code segment} (or at that 0-based index) with its index. */
    static Pair<Integer, Block> child(Block parent, String segment, String path) {
        BlockList children = parent.getChildren();
        int at = children.keys().indexOf(segment);
        if (at < 0 && segment.chars().allMatch(Character::isDigit) && segment.length() < 9) {
            int i = Integer.parseInt(segment);
            at = i < children.size() ? i : -1;
        }
        if (at < 0) {
            // DJL prefixes every child's name with its position ("05layer2_0"): the bare name works when unique.
            for (int i = 0; i < children.size(); i++) {
                String key = children.keyAt(i);
                if (key.matches("\\d{2}.+") && key.substring(2).equals(segment)) {
                    if (at >= 0) {
                        throw new IllegalArgumentException("layer path \"" + path + "\": \"" + segment + "\" names "
                                + "several children of " + parent.getClass().getSimpleName() + " (" + children.keyAt(at)
                                + ", " + key + "): use the full name");
                    }
                    at = i;
                }
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("layer path \"" + path + "\": " + parent.getClass().getSimpleName()
                    + " has no child \"" + segment + "\""
                    + (children.isEmpty() ? " (it has no children: DJL cannot see inside it)"
                            : "; its children are " + children.keys() + " (or their 0-based index)"));
        }
        return new Pair<>(at, children.valueAt(at));
    }

    /**
     * The trainable parameters of a block and its children, in the tree's order: batch-norm running statistics are
     * left out (they are not trained; PyTorch does not count them either).
     */
    public static List<Parameter> trainableParameters(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (trainable(p.getValue())) {
                out.add(p.getValue());
            }
        }
        return out;
    }

    private static boolean trainable(Parameter p) {
        return p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR;
    }

    /**
     * The number of trainable values in a block and its children ({@link #trainableParameters}), a {@link
     * TorchScriptBlock}'s module included.
     */
    public static long countParameters(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (trainable(p.getValue()) && p.getValue().isInitialized()) {
                NDArray a = p.getValue().getArray();
                n += a.size();
            }
        }
        if (block instanceof TorchScriptBlock ts) {
            n += ts.countModuleParameters();
        }
        for (Pair<String, Block> child : block.getChildren()) {
            n += countParameters(child.getValue());
        }
        return n;
    }
}
