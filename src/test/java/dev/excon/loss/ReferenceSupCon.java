package dev.excon.loss;

/**
 * An independent double-precision SupCon, written from the method note (excon-method.md, section 1.5) with explicit
 * loops over anchors i, positives P(i) and the contrast set A(i). It knows nothing of masks or padding: it takes the
 * compacted batch the reference code would see, with background samples carrying their own label C.
 */
final class ReferenceSupCon {

    private ReferenceSupCon() {}

    /**
     * Per-anchor terms l_i over the 2N view-major rows (0 for rows that are not anchors) and the normaliser.
     *
     * @param view1 (N, D) first views
     * @param view2 (N, D) second views
     * @param labels (N) classes, or null for SimCLR (each sample its own class)
     * @param background (N) background flags, or null for none; background samples get label C = max label + 1
     * @param backgroundAnchor reference flag background_anchor (1 = true)
     */
    static Result terms(double[][] view1, double[][] view2, int[] labels, boolean[] background, double temperature,
            double baseTemperature, boolean backgroundAnchor) {
        int n = view1.length;
        int m = 2 * n;
        double[][] z = new double[m][];
        for (int i = 0; i < n; i++) {
            z[i] = view1[i];
            z[n + i] = view2[i];
        }
        // y~: the class of each sample as the reference sees it.
        int c = 0;
        if (labels != null) {
            for (int y : labels) {
                c = Math.max(c, y + 1);
            }
        }
        int[] ySample = new int[n];
        boolean[] bgSample = new boolean[n];
        int real = 0;
        for (int i = 0; i < n; i++) {
            bgSample[i] = background != null && background[i];
            ySample[i] = labels == null ? i : bgSample[i] ? c : labels[i];
            real += bgSample[i] ? 0 : 1;
        }
        int[] y = new int[m];
        boolean[] g = new boolean[m];
        for (int k = 0; k < m; k++) {
            y[k] = ySample[k % n];
            g[k] = bgSample[k % n];
        }
        boolean negativesOnly = !backgroundAnchor && real < n;

        double[] l = new double[m];
        for (int i = 0; i < m; i++) {
            if (negativesOnly && g[i]) {
                continue; // background rows are never anchors
            }
            // A(i) = I \ {i}; the log of its partition sum, computed stably.
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < m; a++) {
                if (a != i) {
                    max = Math.max(max, dot(z[i], z[a]) / temperature);
                }
            }
            double sum = 0;
            for (int a = 0; a < m; a++) {
                if (a != i) {
                    sum += Math.exp(dot(z[i], z[a]) / temperature - max);
                }
            }
            double logPartition = max + Math.log(sum);
            // P(i) = { p in A(i) : y_p = y_i }, less the background rows when they are negatives only.
            double total = 0;
            int count = 0;
            for (int p = 0; p < m; p++) {
                if (p == i || y[p] != y[i] || (negativesOnly && g[p])) {
                    continue;
                }
                total += dot(z[i], z[p]) / temperature - logPartition;
                count++;
            }
            if (count == 0) {
                throw new IllegalStateException("anchor " + i + " has no positive");
            }
            l[i] = -(temperature / baseTemperature) * total / count;
        }
        int anchors = negativesOnly ? 2 * real : m;
        return new Result(l, anchors);
    }

    /** The loss: (1/2B) sum over real anchors with background as negatives only, else (1/2N) sum over all. */
    static double loss(double[][] view1, double[][] view2, int[] labels, boolean[] background, double temperature,
            double baseTemperature, boolean backgroundAnchor) {
        return terms(view1, view2, labels, background, temperature, baseTemperature, backgroundAnchor).loss();
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    record Result(double[] perAnchor, int anchors) {
        double loss() {
            double s = 0;
            for (double v : perAnchor) {
                s += v;
            }
            return s / anchors;
        }
    }
}
