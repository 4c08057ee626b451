package dev.excon.eval.embedding;

import java.util.List;

/**
 * A 2-D t-SNE embedding as data.
 *
 * @param x the first coordinate of each point
 * @param y the second coordinate of each point
 * @param labels the class of each point (index into {@code classNames})
 * @param classNames class names, index = label
 * @param parameters the settings of the run
 * @param klDivergence the final Kullback-Leibler divergence KL(P || Q), without exaggeration
 */
public record TsneResult(
        double[] x, double[] y, int[] labels, List<String> classNames, TsneParameters parameters,
        double klDivergence) {

    /** Checks the lengths agree and copies the class names. */
    public TsneResult {
        if (x.length != y.length || x.length != labels.length) {
            throw new IllegalArgumentException("x.length=" + x.length + ", y.length=" + y.length + ", labels.length="
                    + labels.length + " must be equal");
        }
        classNames = List.copyOf(classNames);
    }

    /** The number of points. */
    public int size() {
        return x.length;
    }

    /** The coordinates as (n, 2). */
    public double[][] coordinates() {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = new double[] {x[i], y[i]};
        }
        return c;
    }

    /**
     * The share of points whose nearest other point in 2-D has the same label: 1 for clean clusters, about 1 /
     * classes for random points. A quick separation score, not a metric of the paper.
     */
    public double nearestNeighbourAgreement() {
        int n = x.length;
        int agree = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double dx = x[i] - x[j];
                    double dy = y[i] - y[j];
                    double d = dx * dx + dy * dy;
                    if (d < bestD) {
                        bestD = d;
                        best = j;
                    }
                }
            }
            if (best >= 0 && labels[best] == labels[i]) {
                agree++;
            }
        }
        return n == 0 ? Double.NaN : (double) agree / n;
    }

    @Override
    public String toString() {
        return "TsneResult[" + x.length + " points, " + classNames.size() + " classes, KL " + klDivergence + ", "
                + parameters.summary() + "]";
    }
}
