package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.data.ImageDataset;
import dev.excon.model.ImageModel;
import java.util.Arrays;

/**
 * Class logits and labels of N samples on the host: what calibration and temperature scaling work on, and what a
 * validation split's pass is kept as.
 *
 * @param values the logits, row-major (N * numClasses) float32; not copied, do not modify
 * @param numClasses C
 * @param labels (N) the true classes in [0, C)
 */
public record Logits(float[] values, int numClasses, int[] labels) {

    /** Validates the shapes and label range. */
    public Logits {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses=" + numClasses + " must be at least 1");
        }
        if (labels.length == 0 || values.length != (long) labels.length * numClasses) {
            throw new IllegalArgumentException("received values.length=" + values.length + " for labels.length="
                    + labels.length + " and numClasses=" + numClasses + ": expected N * C values for N >= 1 labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is outside [0, "
                        + numClasses + ")");
            }
        }
    }

    /**
     * Copies logits and labels from the device (one transfer each).
     *
     * @param logits (N, C) float32 or float64
     * @param labels (N) integer classes in [0, C)
     */
    public static Logits of(NDArray logits, NDArray labels) {
        Shape s = logits.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("logits must be (N, C); got shape " + s);
        }
        if (labels.getShape().dimension() != 1 || labels.getShape().get(0) != s.get(0)) {
            throw new IllegalArgumentException("got labels of shape " + labels.getShape() + " for logits " + s
                    + ": pass one class index per row, shape (" + s.get(0) + ")");
        }
        return new Logits(Tensors.floats(logits), (int) s.get(1), Tensors.ints(labels));
    }

    /**
     * The logits of a whole data set in its order, in evaluation mode, batched on the network's device.
     *
     * @param batchSize images per forward pass
     */
    public static Logits collect(ImageModel net, ImageDataset data, int batchSize) {
        int c = net.numClasses();
        float[] all = new float[Math.multiplyExact(data.size(), c)];
        int[] labels = new int[data.size()];
        int[] filled = {0};
        DatasetPass.forEach(net, data, batchSize, (images, batch) -> {
            float[] v = Tensors.floats(net.logits(images));
            System.arraycopy(v, 0, all, filled[0] * c, v.length);
            int[] y = batch.labelValues();
            System.arraycopy(y, 0, labels, filled[0], y.length);
            filled[0] += y.length;
        });
        return new Logits(all, c, labels);
    }

    /** The number of samples N. */
    public int size() {
        return labels.length;
    }

    /** A copy of row {@code i}. */
    public float[] row(int i) {
        return Arrays.copyOfRange(values, i * numClasses, (i + 1) * numClasses);
    }

    /** The logits divided by {@code temperature} (a new object; labels shared). */
    public Logits scaled(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature=" + temperature + " must be positive and finite");
        }
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (values[i] / temperature);
        }
        return new Logits(out, numClasses, labels);
    }

    /** The logits as a (N, C) float32 array of {@code manager}, and the labels as (N) int64 if wanted. */
    public NDArray toNDArray(NDManager manager) {
        return manager.create(values, new Shape(labels.length, numClasses));
    }

    /** The labels as (N) int64 on {@code manager}'s device. */
    public NDArray labelsNDArray(NDManager manager) {
        long[] y = new long[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return manager.create(y).toType(DataType.INT64, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Logits l && numClasses == l.numClasses && Arrays.equals(values, l.values)
                && Arrays.equals(labels, l.labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(values) + numClasses) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Logits[N=" + labels.length + ", C=" + numClasses + "]";
    }
}
