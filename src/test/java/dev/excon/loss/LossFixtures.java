package dev.excon.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Random contrastive batches in every reference mode, their padded versions, and NDArray conversions. */
final class LossFixtures {

    private LossFixtures() {}

    /** The reference modes: labels or SimCLR, times no background, background as negatives only, as anchor. */
    enum Mode {
        SUPERVISED(true, false, false),
        SIMCLR(false, false, false),
        SUPERVISED_BACKGROUND_NEGATIVES(true, true, false),
        SUPERVISED_BACKGROUND_ANCHOR(true, true, true),
        SIMCLR_BACKGROUND_NEGATIVES(false, true, false),
        SIMCLR_BACKGROUND_ANCHOR(false, true, true);

        final boolean labels;
        final boolean background;
        final boolean backgroundAnchor;

        Mode(boolean labels, boolean background, boolean backgroundAnchor) {
            this.labels = labels;
            this.background = background;
            this.backgroundAnchor = backgroundAnchor;
        }

        SupConLoss loss(float temperature, float baseTemperature) {
            return SupConLoss.builder()
                    .optTemperature(temperature)
                    .optBaseTemperature(baseTemperature)
                    .optBackgroundAnchor(backgroundAnchor)
                    .build();
        }
    }

    /**
     * A batch as the reference builds it: B real samples, then K background samples whose two views are the same
     * image (so the same embedding). {@code labels} is null in SimCLR modes, {@code background} null without
     * background; {@code valid} null when every row is valid.
     */
    record Batch(double[][] view1, double[][] view2, int[] labels, boolean[] background, boolean[] valid) {
        int size() {
            return view1.length;
        }

        NDArray loss(NDManager m, SupConLoss loss, DataType dtype) {
            return loss.compute(create(m, view1, dtype), create(m, view2, dtype), LossFixtures.labels(m, labels),
                    bools(m, background), bools(m, valid));
        }

        double reference(double temperature, double baseTemperature, boolean backgroundAnchor) {
            if (valid != null) {
                throw new IllegalStateException("the reference takes compacted batches only");
            }
            return ReferenceSupCon.loss(view1, view2, labels, background, temperature, baseTemperature,
                    backgroundAnchor);
        }
    }

    /** A random batch: {@code real} samples over {@code classes} classes, then the mode's {@code backgrounds}. */
    static Batch random(Mode mode, int real, int backgrounds, int dim, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = mode.background ? backgrounds : 0;
        int n = real + k;
        double[][] v1 = new double[n][];
        double[][] v2 = new double[n][];
        int[] labels = new int[n];
        boolean[] background = new boolean[n];
        for (int i = 0; i < n; i++) {
            v1[i] = unit(dim, r);
            if (i < real) {
                v2[i] = unit(dim, r);
                labels[i] = r.nextInt(classes);
            } else {
                v2[i] = v1[i].clone();
                labels[i] = classes; // the reference's label C
                background[i] = true;
            }
        }
        return new Batch(v1, v2, mode.labels ? labels : null, mode.background ? background : null, null);
    }

    /**
     * The batch with {@code extra} invalid rows inserted at random positions. Their content is garbage: random
     * unnormalised vectors (NaN as well when {@code nanGarbage}), random labels and background flags.
     *
     * @return the padded batch; {@code index[i]} is the padded row of compacted row i, written into {@code index}
     */
    static Batch pad(Batch b, int extra, boolean nanGarbage, long seed, int[] index) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = b.size();
        int total = n + extra;
        boolean[] isPadding = new boolean[total];
        for (int placed = 0; placed < extra; ) {
            int p = r.nextInt(total);
            if (!isPadding[p]) {
                isPadding[p] = true;
                placed++;
            }
        }
        int dim = b.view1()[0].length;
        double[][] v1 = new double[total][];
        double[][] v2 = new double[total][];
        int[] labels = new int[total];
        boolean[] background = new boolean[total];
        boolean[] valid = new boolean[total];
        for (int p = 0, i = 0; p < total; p++) {
            if (isPadding[p]) {
                v1[p] = garbage(dim, r, nanGarbage && p % 2 == 0);
                v2[p] = garbage(dim, r, false);
                labels[p] = r.nextInt(3);
                background[p] = r.nextBoolean();
            } else {
                v1[p] = b.view1()[i];
                v2[p] = b.view2()[i];
                labels[p] = b.labels() == null ? 0 : b.labels()[i];
                background[p] = b.background() != null && b.background()[i];
                valid[p] = true;
                index[i] = p;
                i++;
            }
        }
        return new Batch(v1, v2, b.labels() == null ? null : labels, b.background() == null ? null : background,
                valid);
    }

    static double[] unit(int dim, SplittableRandom r) {
        double[] v = new double[dim];
        double norm = 0;
        for (int k = 0; k < dim; k++) {
            v[k] = gaussian(r);
            norm += v[k] * v[k];
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < dim; k++) {
            v[k] /= norm;
        }
        return v;
    }

    private static double[] garbage(int dim, SplittableRandom r, boolean nan) {
        double[] v = new double[dim];
        for (int k = 0; k < dim; k++) {
            v[k] = nan ? Double.NaN : 30 * gaussian(r);
        }
        return v;
    }

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    static NDArray create(NDManager m, double[][] x, DataType dtype) {
        int n = x.length;
        int d = x[0].length;
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x[i], 0, flat, i * d, d);
        }
        return m.create(flat, new Shape(n, d)).toType(dtype, false);
    }

    static NDArray labels(NDManager m, int[] y) {
        if (y == null) {
            return null;
        }
        long[] l = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            l[i] = y[i];
        }
        return m.create(l);
    }

    static NDArray bools(NDManager m, boolean[] b) {
        return b == null ? null : m.create(b);
    }

    static double scalar(NDArray x) {
        return x.toType(DataType.FLOAT64, false).getDouble();
    }

    static double[] doubles(NDArray x) {
        return x.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }

    /** Asserts |got - want| <= tol * max(1, |want|). */
    static void assertClose(double want, double got, double tol, String what) {
        double err = Math.abs(got - want);
        if (!(err <= tol * Math.max(1, Math.abs(want)))) {
            throw new AssertionError(what + ": expected " + want + " but got " + got + " (error " + err + ")");
        }
    }
}
