package dev.excon.saliency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.HostReads;
import dev.excon.model.BatchNormMode;
import dev.excon.model.GradientPass;
import dev.excon.model.ImageBatches;
import dev.excon.model.ImageModel;

/**
 * One explanation pass ({@link GradientPass}: scope, frozen parameters, collector), with the network, the batch-norm
 * mode and the explained classes.
 */
final class ExplainSession extends GradientPass {

    private final ImageModel net;
    private final BatchNormMode mode;
    private NDArray givenClasses;

    private ExplainSession(ImageModel net, NDArray images, NDArray classes, BatchNormMode mode) {
        super(images, classes);
        this.net = net;
        this.mode = mode;
    }

    /** Validates the arguments, then scopes, freezes and opens the collector; nothing is left behind on failure. */
    static ExplainSession open(ImageModel net, NDArray images, Target target) {
        return open(net, images, target, BatchNormMode.EVAL);
    }

    /** As {@link #open(ImageModel, NDArray, Target)}, the network's forwards with batch norm in {@code mode}. */
    static ExplainSession open(ImageModel net, NDArray images, Target target, BatchNormMode mode) {
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
                s.givenClasses = s.checkedClasses(classes, target.inRange());
            }
            s.start(net.trainableParameters(), "an explainer");
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

    /**
     * An int64 copy of the caller's classes on the images' device, range-checked (one host read) unless the caller
     * vouched for the range.
     */
    private NDArray checkedClasses(NDArray classes, boolean inRange) {
        NDArray copy = classes.toDevice(input().getDevice(), false).toType(DataType.INT64, true);
        if (inRange) {
            return copy;
        }
        int numClasses = net.numClasses();
        long[] values = HostReads.longs(copy);
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= numClasses) {
                throw new IllegalArgumentException("target class " + values[i] + " at index " + i
                        + " is out of range: the network has " + numClasses + " classes (0.." + (numClasses - 1)
                        + ")");
            }
        }
        return copy;
    }

    ImageModel net() {
        return net;
    }

    /** Whether the network's forwards use batch statistics (and update the running ones). */
    boolean training() {
        return mode.training();
    }

    /** Logits (N, C) of images, batch norm in the session's mode; their shape is checked against the model. */
    NDArray logits(NDArray images) {
        NDArray logits = net.logits(images, mode);
        Shape shape = logits.getShape();
        long n = images.getShape().get(0);
        if (shape.dimension() != 2 || shape.get(0) != n || shape.get(1) != net.numClasses()) {
            throw new IllegalStateException(net.description() + " returned " + shape + " for " + n + " images; an "
                    + "image classifier returns logits (" + n + ", " + net.numClasses() + "): check the model's last "
                    + "layer and the number of classes it was declared with");
        }
        return logits;
    }

    /** The explained classes (N) int64: the given ones, or the argmax of {@code logits} for a predicted target. */
    NDArray classes(NDArray logits) {
        return givenClasses != null ? givenClasses : logits.argMax(1);
    }

    /** The one-hot rows (N, C) float32 of the explained classes. */
    NDArray oneHot(NDArray classes) {
        return classes.oneHot(net.numClasses());
    }

    /** Backpropagates the sum of the target logits: {@code logits} times one-hot rows that broadcast to it. */
    void backward(NDArray logits, NDArray oneHotRows) {
        collector().backward(logits.mul(oneHotRows).sum());
    }

    /** Normalises {@code raw} and moves the results to the caller's manager; call last, inside the session. */
    Explanation finish(NDArray raw, NDArray logits, NDArray classes) {
        NDArray map = Explainer.minMaxNormalize(raw);
        NDArray detachedLogits = logits.stopGradient();
        Explanation e = new Explanation(map, raw, detachedLogits, classes);
        for (NDArray a : new NDArray[] {map, raw, detachedLogits, classes}) {
            keep(a);
        }
        return e;
    }
}
