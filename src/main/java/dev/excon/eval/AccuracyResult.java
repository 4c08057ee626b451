package dev.excon.eval;

import dev.excon.Provenance;
import java.util.List;
import java.util.Locale;

/**
 * Classification accuracy over N samples (see {@link Accuracy} for the tie conventions). Fractions in [0, 1].
 *
 * @param count N
 * @param numClasses C
 * @param k the k of {@link #topK}: 5 capped at C unless chosen otherwise
 * @param top1 the share of samples whose prediction is their label
 * @param topK the share whose label is among the k highest logits
 * @param perClass (C) the top-1 accuracy over each class's samples (the confusion matrix's recall); NaN for a class
 *     without samples
 * @param classCounts (C) the number of samples of each class
 * @param confusion (C x C) counts, row = true class, column = predicted class
 * @param classNames the class names, or empty (indices are printed)
 * @param provenance what produced the numbers, or null when the caller did not provide it
 */
public record AccuracyResult(long count, int numClasses, int k, double top1, double topK, double[] perClass,
        long[] classCounts, long[][] confusion, List<String> classNames, Provenance provenance) {

    /** The same result carrying {@code provenance}. */
    public AccuracyResult withProvenance(Provenance provenance) {
        return new AccuracyResult(count, numClasses, k, top1, topK, perClass, classCounts, confusion, classNames,
                provenance);
    }

    /** The mean of the per-class accuracies over classes with samples (balanced accuracy). */
    public double meanPerClass() {
        double s = 0;
        int n = 0;
        for (double a : perClass) {
            if (!Double.isNaN(a)) {
                s += a;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** The name of class {@code c} (its index when no names were given). */
    public String className(int c) {
        return classNames.isEmpty() ? Integer.toString(c) : classNames.get(c);
    }

    /**
     * A summary line, then (for up to 20 classes) the per-class accuracies and the confusion matrix, rows true and
     * columns predicted.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Accuracy[N=%d, C=%d, top-1 %.4f, top-%d %.4f, mean per class %.4f]", count, numClasses, top1, k, topK,
                meanPerClass()));
        if (provenance != null) {
            s.append("\n  ").append(provenance.caption());
        }
        if (numClasses > 20) {
            return s.toString();
        }
        int w = 5;
        for (int c = 0; c < numClasses; c++) {
            w = Math.max(w, className(c).length());
            for (long v : confusion[c]) {
                w = Math.max(w, Long.toString(v).length());
            }
        }
        String cell = "%" + (w + 1) + "s";
        s.append(String.format(Locale.ROOT, "%n%-" + w + "s %8s %8s   confusion (rows true, columns predicted)%n",
                "class", "count", "accuracy"));
        s.append(String.format(Locale.ROOT, "%" + (w + 21) + "s", ""));
        for (int c = 0; c < numClasses; c++) {
            s.append(String.format(Locale.ROOT, cell, className(c)));
        }
        for (int c = 0; c < numClasses; c++) {
            s.append(String.format(Locale.ROOT, "%n%-" + w + "s %8d %8.4f   ", className(c), classCounts[c],
                    perClass[c]));
            for (long v : confusion[c]) {
                s.append(String.format(Locale.ROOT, cell, v));
            }
        }
        return s.toString();
    }
}
