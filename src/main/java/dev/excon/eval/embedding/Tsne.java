package dev.excon.eval.embedding;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Exact t-SNE (van der Maaten and Hinton, "Visualizing Data using t-SNE", JMLR 2008): Gaussian input affinities
 * calibrated to a perplexity, Student-t output affinities, gradient descent on KL(P || Q) with early exaggeration,
 * momentum and per-coordinate gains. O(N^2) time and memory (two N x N double arrays): meant for N up to a few
 * thousand points, e.g. 10 classes x 100 images (N = 3000 points of 512 features took 15 s on 2 cores). Rows are processed in
 * parallel in a fixed order, so the same seed gives the same coordinates.
 *
 * <pre>{@code
 * FeatureSubset s = FeatureSubset.firstClasses(features, labels, 10, 100, 42);   // (N, D) backbone features
 * TsneResult r = Tsne.embed(s.features(), s.labels(), classNames);                // defaults, seed 42
 * TsneResult q = new Tsne(TsneParameters.defaults().withPerplexity(15)).fit(s.features(), s.labels(), classNames);
 * }</pre>
 */
public final class Tsne {

    private final TsneParameters parameters;

    /** A t-SNE with the given settings. */
    public Tsne(TsneParameters parameters) {
        this.parameters = parameters;
    }

    /** The settings. */
    public TsneParameters parameters() {
        return parameters;
    }

    /** Embeds with {@link TsneParameters#defaults()}. */
    public static TsneResult embed(float[][] features, int[] labels, List<String> classNames) {
        return new Tsne(TsneParameters.defaults()).fit(features, labels, classNames);
    }

    /** Embeds (N, D) features (any float type, any device; copied to the host) with the defaults. */
    public static TsneResult embed(NDArray features, int[] labels, List<String> classNames) {
        return new Tsne(TsneParameters.defaults()).fit(FeatureSubset.toRows(features), labels, classNames);
    }

    /** {@link #fit(double[][], int[], List)} for float features. */
    public TsneResult fit(float[][] features, int[] labels, List<String> classNames) {
        double[][] x = new double[features.length][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[features[i].length];
            for (int k = 0; k < x[i].length; k++) {
                x[i][k] = features[i][k];
            }
        }
        return fit(x, labels, classNames);
    }

    /**
     * Embeds points in 2-D.
     *
     * @param features (N, D), one row per point, all of the same length
     * @param labels the class of each point, used only to carry into the result (t-SNE is unsupervised)
     * @param classNames class names, index = label; an empty list means "class 0", "class 1", ...
     * @throws IllegalArgumentException if rows differ in length, labels do not match, or the perplexity is not
     *     below N - 1
     */
    public TsneResult fit(double[][] features, int[] labels, List<String> classNames) {
        int n = features.length;
        if (labels.length != n) {
            throw new IllegalArgumentException("features has " + n + " rows but labels.length=" + labels.length);
        }
        if (n < 3 || parameters.perplexity() >= n - 1) {
            throw new IllegalArgumentException("t-SNE needs perplexity < N - 1; got perplexity "
                    + parameters.perplexity() + " for N=" + n + " points: pass more points or a smaller perplexity"
                    + " (withPerplexity(" + Math.max(1, (n - 1) / 3) + "))");
        }
        int dim = features[0].length;
        int maxLabel = 0;
        for (int i = 0; i < n; i++) {
            if (features[i].length != dim) {
                throw new IllegalArgumentException("row " + i + " has " + features[i].length
                        + " features, row 0 has " + dim);
            }
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " of point " + i + " is negative");
            }
            maxLabel = Math.max(maxLabel, labels[i]);
        }
        List<String> names = classNames;
        if (names.isEmpty()) {
            List<String> generated = new ArrayList<>();
            for (int c = 0; c <= maxLabel; c++) {
                generated.add("class " + c);
            }
            names = generated;
        } else if (maxLabel >= names.size()) {
            throw new IllegalArgumentException("label " + maxLabel + " has no name: classNames.size()="
                    + names.size());
        }

        double[] d2 = Affinities.squaredDistances(features);
        double[] cond = Affinities.conditional(d2, n, parameters.perplexity(), parameters.entropyTolerance(),
                parameters.maxSearchSteps());
        double[] p = Affinities.symmetric(cond, n);
        d2 = null;
        cond = null;
        double[] y = optimise(p, n);
        double kl = klDivergence(p, y, n);
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = y[2 * i];
            ys[i] = y[2 * i + 1];
        }
        return new TsneResult(xs, ys, labels.clone(), names, parameters, kl);
    }

    /** Gradient descent on KL(P || Q); returns the coordinates as (n, 2) row-major. */
    private double[] optimise(double[] p, int n) {
        TsneParameters t = parameters;
        SplittableRandom rng = new SplittableRandom(t.seed());
        double[] y = new double[2 * n];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextGaussian() * t.initialStd();
        }
        double[] update = new double[2 * n];
        double[] gains = new double[2 * n];
        java.util.Arrays.fill(gains, 1.0);
        double[] grad = new double[2 * n];
        double[] num = new double[n * n];
        double[] rowSums = new double[n];
        double lr = t.learningRateFor(n);
        for (int iter = 0; iter < t.iterations(); iter++) {
            double exaggeration = iter < t.exaggerationIterations() ? t.earlyExaggeration() : 1.0;
            double momentum = iter < t.momentumSwitch() ? t.initialMomentum() : t.finalMomentum();
            gradient(p, y, n, exaggeration, num, rowSums, grad);
            for (int k = 0; k < 2 * n; k++) {
                boolean sameSign = (grad[k] > 0) == (update[k] > 0);
                gains[k] = sameSign ? Math.max(gains[k] * 0.8, t.minGain()) : gains[k] + 0.2;
                update[k] = momentum * update[k] - lr * gains[k] * grad[k];
                y[k] += update[k];
            }
            double mx = 0;
            double my = 0;
            for (int i = 0; i < n; i++) {
                mx += y[2 * i];
                my += y[2 * i + 1];
            }
            mx /= n;
            my /= n;
            for (int i = 0; i < n; i++) {
                y[2 * i] -= mx;
                y[2 * i + 1] -= my;
            }
        }
        return y;
    }

    /**
     * {@code dC/dy_i = 4 sum_j (e p_ij - q_ij) (1 + |y_i - y_j|^2)^-1 (y_i - y_j)} with {@code q_ij = num_ij / Z}.
     */
    static void gradient(double[] p, double[] y, int n, double exaggeration, double[] num, double[] rowSums,
            double[] grad) {
        IntStream.range(0, n).parallel().forEach(i -> {
            double yi0 = y[2 * i];
            double yi1 = y[2 * i + 1];
            double s = 0;
            int base = i * n;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    num[base + j] = 0;
                    continue;
                }
                double a = yi0 - y[2 * j];
                double b = yi1 - y[2 * j + 1];
                double v = 1 / (1 + a * a + b * b);
                num[base + j] = v;
                s += v;
            }
            rowSums[i] = s;
        });
        double z = 0;
        for (double s : rowSums) {
            z += s;
        }
        double invZ = 1 / z;
        IntStream.range(0, n).parallel().forEach(i -> {
            double yi0 = y[2 * i];
            double yi1 = y[2 * i + 1];
            double g0 = 0;
            double g1 = 0;
            int base = i * n;
            for (int j = 0; j < n; j++) {
                double v = num[base + j];
                double m = (exaggeration * p[base + j] - v * invZ) * v;
                g0 += m * (yi0 - y[2 * j]);
                g1 += m * (yi1 - y[2 * j + 1]);
            }
            grad[2 * i] = 4 * g0;
            grad[2 * i + 1] = 4 * g1;
        });
    }

    /** KL(P || Q) of the final layout. */
    static double klDivergence(double[] p, double[] y, int n) {
        double[] num = new double[n * n];
        double[] rowSums = new double[n];
        gradient(p, y, n, 1.0, num, rowSums, new double[2 * n]);
        double z = 0;
        for (double s : rowSums) {
            z += s;
        }
        double kl = 0;
        for (int i = 0; i < n * n; i++) {
            if (p[i] > 0 && num[i] > 0) {
                kl += p[i] * Math.log(p[i] / (num[i] / z));
            }
        }
        return kl;
    }

    @Override
    public String toString() {
        return "Tsne[" + parameters + "]";
    }
}
