package dev.excon.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric of one run per corruption and severity: the layout of Ovadia et al. 2019 ("Can You Trust Your Model's
 * Uncertainty?", NeurIPS), rows corruptions, columns severities 1-5, plus the metric on clean data when known.
 *
 * @param metric the metric's name, e.g. {@code "accuracy"} or {@code "ECE"}
 * @param corruptions the row names, e.g. {@code gaussian_noise}
 * @param values {@code values[row][severity - 1]}; NaN for a missing cell
 * @param clean the metric on the uncorrupted test set, or NaN
 */
public record SeverityGrid(String metric, List<String> corruptions, double[][] values, double clean) {

    /** Checks every row has the same number of severities and copies the arrays. */
    public SeverityGrid {
        corruptions = List.copyOf(corruptions);
        if (values.length != corruptions.size() || values.length == 0) {
            throw new IllegalArgumentException("values has " + values.length + " rows for " + corruptions.size()
                    + " corruptions; expected one row per corruption, at least one");
        }
        double[][] copy = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != values[0].length || values[i].length == 0) {
                throw new IllegalArgumentException("row " + corruptions.get(i) + " has " + values[i].length
                        + " severities, row 0 has " + values[0].length);
            }
            copy[i] = values[i].clone();
        }
        values = copy;
    }

    /** From a map of corruption to its values at severities 1, 2, ... (iteration order = row order), no clean value. */
    public static SeverityGrid of(String metric, Map<String, double[]> byCorruption) {
        return of(metric, byCorruption, Double.NaN);
    }

    /** As {@link #of(String, Map)} with the clean-data value. */
    public static SeverityGrid of(String metric, Map<String, double[]> byCorruption, double clean) {
        Map<String, double[]> m = new LinkedHashMap<>(byCorruption);
        return new SeverityGrid(metric, new ArrayList<>(m.keySet()), m.values().toArray(new double[0][]), clean);
    }

    /** The number of severities (columns), usually 5. */
    public int severities() {
        return values[0].length;
    }

    /** The value at a corruption's row and severity (1-based). */
    public double value(String corruption, int severity) {
        int row = corruptions.indexOf(corruption);
        if (row < 0) {
            throw new IllegalArgumentException("no corruption " + corruption + " in " + corruptions);
        }
        return values[row][severity - 1];
    }

    /** The values at one severity (1-based) across corruptions, NaNs left out. */
    public double[] atSeverity(int severity) {
        return Arrays.stream(values).mapToDouble(r -> r[severity - 1]).filter(v -> !Double.isNaN(v)).toArray();
    }

    /** The mean over corruptions of each severity (NaNs left out). */
    public double[] severityMeans() {
        double[] m = new double[severities()];
        for (int s = 0; s < m.length; s++) {
            m[s] = Arrays.stream(atSeverity(s + 1)).average().orElse(Double.NaN);
        }
        return m;
    }

    /** The mean over severities of each corruption (NaNs left out). */
    public double[] corruptionMeans() {
        double[] m = new double[values.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = Arrays.stream(values[i]).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
        }
        return m;
    }

    /** Smallest and largest non-NaN value (clean included), or {0, 1} if there is none. */
    double[] range() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] r : values) {
            for (double v : r) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!Double.isNaN(clean)) {
            lo = Math.min(lo, clean);
            hi = Math.max(hi, clean);
        }
        return lo > hi ? new double[] {0, 1} : new double[] {lo, hi};
    }
}
