package dev.excon.eval.embedding;

import java.util.stream.IntStream;

/**
 * The input similarities of t-SNE: squared Euclidean distances, the conditional distributions {@code p_j|i}
 * calibrated to a perplexity by bisection on each point's precision, and their symmetrisation {@code p_ij = (p_j|i +
 * p_i|j) / 2N} (van der Maaten and Hinton 2008, section 2-3).
 */
final class Affinities {

    private Affinities() {}

    /** Squared Euclidean distances, (n, n) row-major, computed row by row (parallel, deterministic). */
    static double[] squaredDistances(double[][] x) {
        int n = x.length;
        double[] d = new double[n * n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] a = x[i];
            for (int j = 0; j < n; j++) {
                double[] b = x[j];
                double s = 0;
                for (int k = 0; k < a.length; k++) {
                    double t = a[k] - b[k];
                    s += t * t;
                }
                d[i * n + j] = s;
            }
        });
        return d;
    }

    /**
     * The conditional distributions {@code p_j|i}, (n, n) row-major with a zero diagonal, each row's entropy within
     * {@code tolerance} of {@code ln(perplexity)} (or the best found in {@code maxSteps}).
     */
    static double[] conditional(double[] d2, int n, double perplexity, double tolerance, int maxSteps) {
        double[] p = new double[n * n];
        double target = Math.log(perplexity);
        IntStream.range(0, n).parallel().forEach(i -> calibrateRow(d2, n, i, target, tolerance, maxSteps, p));
        return p;
    }

    /** The entropy (nats) of row i of a row-stochastic (n, n) matrix. */
    static double entropy(double[] p, int n, int i) {
        double h = 0;
        for (int j = 0; j < n; j++) {
            double v = p[i * n + j];
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }

    private static void calibrateRow(double[] d2, int n, int i, double target, double tol, int maxSteps,
            double[] p) {
        // Distances shifted by the nearest neighbour's: the normalised row is unchanged and exp() cannot underflow.
        double min = Double.POSITIVE_INFINITY;
        double mean = 0;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                min = Math.min(min, d2[i * n + j]);
                mean += d2[i * n + j];
            }
        }
        mean = mean / (n - 1) - min;
        double beta = mean > 0 ? 1 / mean : 1;
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        int base = i * n;
        for (int step = 0; step < maxSteps; step++) {
            double sum = 0;
            double weighted = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    p[base + j] = 0;
                    continue;
                }
                double d = d2[base + j] - min;
                double v = Math.exp(-d * beta);
                p[base + j] = v;
                sum += v;
                weighted += d * v;
            }
            double h = Math.log(sum) + beta * weighted / sum;
            double diff = h - target;
            for (int j = 0; j < n; j++) {
                p[base + j] /= sum;
            }
            if (Math.abs(diff) < tol) {
                return;
            }
            if (diff > 0) { // too flat: sharpen
                lo = beta;
                beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
    }

    /** {@code (P + P^T) / 2n}, floored at 1e-12 off the diagonal as the reference implementations do. */
    static double[] symmetric(double[] cond, int n) {
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    p[i * n + j] = Math.max((cond[i * n + j] + cond[j * n + i]) / (2.0 * n), 1e-12);
                }
            }
        }
        return p;
    }
}
