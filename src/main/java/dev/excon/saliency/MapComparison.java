package dev.excon.saliency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * How alike two saliency maps of the same image are, for sanity checks such as model randomisation (Adebayo et al.
 * 2018: a method whose maps barely change when the weights are re-drawn explains the image, not the model). Spearman
 * rank correlation compares the pixel orderings, which is all that is comparable across methods and models.
 */
public final class MapComparison {

    private MapComparison() {}

    /**
     * Spearman's rank correlation of two equally long value lists: Pearson's correlation of their ranks, tied values
     * sharing the mean of their ranks. NaN when either list is constant (no ordering to compare).
     *
     * @throws IllegalArgumentException if the lengths differ or are below 2
     */
    public static double spearman(float[] a, float[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("spearman needs two lists of the same length >= 2, got " + a.length
                    + " and " + b.length);
        }
        return pearson(ranks(a), ranks(b));
    }

    /**
     * Per image, Spearman's rank correlation of two batches of maps (N, 1, H, W) (or any shape with the image first).
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public static double[] spearman(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape()) || a.getShape().dimension() < 2) {
            throw new IllegalArgumentException("maps of shapes " + a.getShape() + " and " + b.getShape()
                    + " cannot be compared: both must be (N, ...) with the same shape");
        }
        int n = (int) a.getShape().get(0);
        int per = (int) (a.getShape().size() / n);
        float[] x = host(a);
        float[] y = host(b);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = spearman(Arrays.copyOfRange(x, i * per, (i + 1) * per),
                    Arrays.copyOfRange(y, i * per, (i + 1) * per));
        }
        return out;
    }

    /** Ranks 1..n, ties averaged. */
    static double[] ranks(float[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Float.compare(v[p], v[q]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && Float.compare(v[order[j + 1]], v[order[i]]) == 0) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    private static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    private static float[] host(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }
}
