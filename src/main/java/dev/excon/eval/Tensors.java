package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.augment.ExplanationMasking;
import dev.excon.model.ImageModel;

/** Input checks and host transfers shared by the evaluators. */
final class Tensors {

    private Tensors() {}

    /** The values as float32 on the host (one transfer; converted on the device first when needed). */
    static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /** Integer class indices on the host (int32 or int64 on any device). */
    static int[] ints(NDArray labels) {
        DataType t = labels.getDataType();
        if (t != DataType.INT64 && t != DataType.INT32) {
            throw new IllegalArgumentException("labels must be int64 (or int32) class indices; got " + t);
        }
        if (t == DataType.INT32) {
            return labels.toIntArray();
        }
        long[] v = labels.toLongArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    /** Checks (N) integer labels for N images on the images' device. */
    static void checkLabels(NDArray images, NDArray labels) {
        long n = images.getShape().get(0);
        Shape s = labels.getShape();
        if (s.dimension() != 1 || s.get(0) != n) {
            throw new IllegalArgumentException("got labels of shape " + s + " for " + n
                    + " images: pass one class index per image, shape (" + n + ")");
        }
        DataType t = labels.getDataType();
        if (t != DataType.INT64 && t != DataType.INT32) {
            throw new IllegalArgumentException("labels must be int64 (or int32) class indices; got " + t);
        }
        if (!labels.getDevice().equals(images.getDevice())) {
            throw new IllegalArgumentException("labels are on " + labels.getDevice() + " but the images on "
                    + images.getDevice() + ": move them with labels.toDevice(images.getDevice(), false)");
        }
    }

    /** The fill colour (1, C, 1, 1) on the images' device, in {@code scope}. */
    static NDArray colour(NDManager scope, float[] fill, NDArray images) {
        long c = images.getShape().get(1);
        if (fill.length != c) {
            throw new IllegalArgumentException(
                    "images have " + c + " channels but the fill colour has " + fill.length + " values");
        }
        return scope.create(fill, new Shape(1, c, 1, 1)).toDevice(images.getDevice(), false);
    }

    /**
     * The project's explanation masking with a fill colour, applied to 0/1 keep masks: a mask value of 1 is above
     * the 0.5 threshold (kept), 0 is below (filled), so evaluation fills pixels exactly as training masks do.
     */
    /** The model's mean colour, the default fill of the explanation measures; refused with the fix when unknown. */
    static float[] meanColour(ImageModel model) {
        float[] mean = model.meanColour();
        if (mean == null) {
            throw new IllegalArgumentException(model.description() + " does not know its data set's mean colour, the "
                    + "fill of removed pixels: build the model with optMeanColour(...) (e.g. data.stats().mean()) or "
                    + "give the measure optFill(...)");
        }
        return mean;
    }

    static ExplanationMasking masking(float[] fill) {
        return new ExplanationMasking(0.5f, fill);
    }

    /** softmax(logits)[i, classes[i]] as (N) float32. */
    static NDArray confidence(NDArray logits, NDArray classes) {
        long n = logits.getShape().get(0);
        return logits.softmax(1).gather(classes.toType(DataType.INT64, false).reshape(n, 1), 1).reshape(n);
    }

    /** Checks a fraction in [0, 1]. */
    static double fraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + "=" + value + " must be in [0, 1]");
        }
        return value;
    }

    /** Checks a positive count. */
    static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + "=" + value + " must be at least 1");
        }
        return value;
    }
}
