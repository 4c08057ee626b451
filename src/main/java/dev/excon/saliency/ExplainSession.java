package dev.excon.saliency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.excon.model.BatchNormMode;
import dev.excon.model.ExconNetwork;
import dev.excon.model.FrozenParameters;
import dev.excon.model.ImageBatches;

/**
 * The resources of one explanation pass, released in {@link #close()} whatever happens: a sub-manager holding every
 * intermediate (the caller's images and classes are temporarily attached to it), the network's parameters frozen
 * (their previous state restored afterwards), and an open gradient collector.
 */
final class ExplainSession implements AutoCloseable {

    private final ExconNetwork net;
    private final BatchNormMode mode;
    private final NDManager caller;
    private final NDManager scope;
    private final NDArray input;
    private NDArray givenClasses;
    private FrozenParameters frozen;
    private GradientCollector collector;

    private ExplainSession(ExconNetwork net, NDArray images, NDArray classes, BatchNormMode mode) {
        this.net = net;
        this.mode = mode;
        this.caller = images.getManager();
        this.scope = caller.newSubManager(images.getDevice());
        images.tempAttach(scope);
        if (classes != null) {
            classes.tempAttach(scope);
        }
        // A detached alias (no copy): nothing below can reach the caller's autograd graph or gradient.
        this.input = images.stopGradient();
    }

    /** Validates the arguments, then scopes, freezes and opens the collector; nothing is left behind on failure. */
    static ExplainSession open(ExconNetwork net, NDArray images, Target target) {
        return open(net, images, target, BatchNormMode.EVAL);
    }

    /** As {@link #open(ExconNetwork, NDArray, Target)}, the network's forwards with batch norm in {@code mode}. */
    static ExplainSession open(ExconNetwork net, NDArray images, Target target, BatchNormMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("batch-norm mode is null: choose BatchNormMode.EVAL or TRAIN");
        }
        ImageBatches.check(net, images);
        NDArray classes = target.classes();
        if (classes != null) {
            checkClassesShape(images, classes);
        }
        ExplainSession s = new ExplainSession(net, images, classes, mode);
        try {
            if (classes != null) {
                s.givenClasses = s.checkedClasses(classes);
            }
            s.freeze();
            s.openCollector();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static void checkClassesShape(NDArray images, NDArray classes) {
        long n = images.getShape().get(0);
        Shape shape = classes.getShape();
        if (shape.dimension() != 1 || shape.get(0) != n) {
            throw new IllegalArgumentException("got target classes of shape " + shape + " for " + n
                    + " images: pass one class index per image, shape (" + n + ")");
        }
        DataType t = classes.getDataType();
        if (t != DataType.INT64 && t != DataType.INT32) {
            throw new IllegalArgumentException("target classes must be int64 (or int32) class indices; got " + t);
        }
    }

    /** An int64 copy of the caller's classes on the images' device, range-checked (one small host transfer). */
    private NDArray checkedClasses(NDArray classes) {
        NDArray copy = classes.toDevice(input.getDevice(), false).toType(DataType.INT64, true);
        int numClasses = net.classifier().numClasses();
        long[] values = copy.toLongArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= numClasses) {
                throw new IllegalArgumentException("target class " + values[i] + " at index " + i
                        + " is out of range: the network has " + numClasses + " classes (0.." + (numClasses - 1)
                        + ")");
            }
        }
        return copy;
    }

    private void freeze() {
        frozen = FrozenParameters.freeze(net.trainableParameters());
    }

    private void openCollector() {
        try {
            collector = net.manager().getEngine().newGradientCollector();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("an explainer opens its own gradient collector and DJL collectors cannot"
                    + " nest: call it outside any open GradientCollector (e.g. before or after the training step's"
                    + " try-with-resources block)", e);
        }
    }

    ExconNetwork net() {
        return net;
    }

    /** Whether the network's forwards use batch statistics (and update the running ones). */
    boolean training() {
        return mode.training();
    }

    /** Logits (N, C) of images, batch norm in the session's mode. */
    NDArray logits(NDArray images) {
        return net.logits(images, mode);
    }

    /** A sub-manager of the pass on the images' device, for arrays created from host data. */
    NDManager scope() {
        return scope;
    }

    /** The images as a detached alias living in the pass's scope (never mark it; take {@code stopGradient()}). */
    NDArray input() {
        return input;
    }

    /** The explained classes (N) int64: the given ones, or the argmax of {@code logits} for a predicted target. */
    NDArray classes(NDArray logits) {
        return givenClasses != null ? givenClasses : logits.argMax(1);
    }

    /** The one-hot rows (N, C) float32 of the explained classes. */
    NDArray oneHot(NDArray classes) {
        return classes.oneHot(net.classifier().numClasses());
    }

    /** Backpropagates the sum of the target logits: {@code logits} times one-hot rows that broadcast to it. */
    void backward(NDArray logits, NDArray oneHotRows) {
        collector.backward(logits.mul(oneHotRows).sum());
    }

    /** Normalises {@code raw} and moves the results to the caller's manager; call last, inside the session. */
    Explanation finish(NDArray raw, NDArray logits, NDArray classes) {
        NDArray map = Explainer.minMaxNormalize(raw);
        NDArray detachedLogits = logits.stopGradient();
        Explanation e = new Explanation(map, raw, detachedLogits, classes);
        for (NDArray a : new NDArray[] {map, raw, detachedLogits, classes}) {
            a.attach(caller);
        }
        return e;
    }

    /** Moves one result to the caller's manager. */
    NDArray keep(NDArray result) {
        result.attach(caller);
        return result;
    }

    @Override
    public void close() {
        try {
            if (collector != null) {
                collector.close();
            }
        } finally {
            try {
                if (frozen != null) {
                    frozen.close();
                }
            } finally {
                scope.close();
            }
        }
    }
}
