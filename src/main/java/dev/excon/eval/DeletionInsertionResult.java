package dev.excon.eval;

import dev.excon.Provenance;
import java.util.Locale;

/**
 * Deletion and insertion curves of N images (see {@link DeletionInsertion}): the mean curves for plotting, the areas
 * for tables, and the per-image curves for error bars.
 *
 * @param count N
 * @param explainer the explainer's description
 * @param fractions (T + 1) the x axis: the share of pixels removed (deletion) or revealed (insertion)
 * @param deletionCurve (T + 1) the mean confidence of the explained class after each deletion step
 * @param insertionCurve (T + 1) the same after each insertion step
 * @param deletionArea the mean over images of the trapezoid area under the deletion curve (lower is better)
 * @param insertionArea the same for insertion (higher is better)
 * @param deletion (N x (T + 1)) each image's deletion curve
 * @param insertion (N x (T + 1)) each image's insertion curve
 * @param classes (N) the explained (predicted) class of each image
 * @param provenance what produced the numbers, or null when the caller did not provide it
 */
public record DeletionInsertionResult(long count, String explainer, double[] fractions, double[] deletionCurve,
        double[] insertionCurve, double deletionArea, double insertionArea, double[][] deletion,
        double[][] insertion, int[] classes, Provenance provenance) {

    /** Builds the result from per-image curves over the x axis {@code fractions}. */
    public static DeletionInsertionResult of(double[] fractions, double[][] deletion, double[][] insertion,
            int[] classes, String explainer) {
        int n = deletion.length;
        if (n == 0 || insertion.length != n || classes.length != n) {
            throw new IllegalArgumentException("received " + n + " deletion curves, " + insertion.length
                    + " insertion curves and " + classes.length + " classes: expected the same N >= 1");
        }
        double[] meanDeletion = mean(deletion, fractions.length);
        double[] meanInsertion = mean(insertion, fractions.length);
        return new DeletionInsertionResult(n, explainer, fractions, meanDeletion, meanInsertion,
                area(fractions, meanDeletion), area(fractions, meanInsertion), deletion, insertion, classes, null);
    }

    /** The trapezoid-rule area under {@code y} over {@code x}. */
    public static double area(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " x values for " + y.length + " y values");
        }
        double a = 0;
        for (int t = 1; t < x.length; t++) {
            a += (x[t] - x[t - 1]) * (y[t] + y[t - 1]) / 2;
        }
        return a;
    }

    /** (N) the area under each image's deletion curve. */
    public double[] deletionAreas() {
        return areas(deletion);
    }

    /** (N) the area under each image's insertion curve. */
    public double[] insertionAreas() {
        return areas(insertion);
    }

    private double[] areas(double[][] curves) {
        double[] out = new double[curves.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = area(fractions, curves[i]);
        }
        return out;
    }

    private static double[] mean(double[][] curves, int points) {
        double[] m = new double[points];
        for (double[] c : curves) {
            if (c.length != points) {
                throw new IllegalArgumentException("a curve has " + c.length + " points, expected " + points);
            }
            for (int t = 0; t < points; t++) {
                m[t] += c[t];
            }
        }
        for (int t = 0; t < points; t++) {
            m[t] /= curves.length;
        }
        return m;
    }

    /** The same result carrying {@code provenance}. */
    public DeletionInsertionResult withProvenance(Provenance provenance) {
        return new DeletionInsertionResult(count, explainer, fractions, deletionCurve, insertionCurve, deletionArea,
                insertionArea, deletion, insertion, classes, provenance);
    }

    /** A summary line, then the mean curves. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "DeletionInsertion[N=%d, %s, %d steps: deletion area %.4f, insertion area %.4f]", count, explainer,
                fractions.length - 1, deletionArea, insertionArea));
        if (provenance != null) {
            s.append("\n  ").append(provenance.caption());
        }
        s.append(String.format(Locale.ROOT, "%n  %9s %9s %9s", "fraction", "deletion", "insertion"));
        for (int t = 0; t < fractions.length; t++) {
            s.append(String.format(Locale.ROOT, "%n  %9.4f %9.4f %9.4f", fractions[t], deletionCurve[t],
                    insertionCurve[t]));
        }
        return s.toString();
    }
}
