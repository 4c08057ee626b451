package dev.excon.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.StandardDeviation;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.TTest;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;

/**
 * Statistics over seeds: {@link #summarize} one method's values, {@link #compare} two methods paired by seed. The t
 * and Wilcoxon tests and the t quantile come from Apache Commons Statistics.
 *
 * <pre>{@code
 * SeedSummary s = SeedStatistics.summarize("top-1", "EXCON", Map.of(1L, 0.71, 2L, 0.73, 3L, 0.72));
 * PairedComparison c = SeedStatistics.compare("top-1", "EXCON", excon, "SUPCON", supcon);
 * }</pre>
 */
public final class SeedStatistics {

    /** The two-sided level of every interval here (95%). */
    public static final double CONFIDENCE = 0.95;
    /** Below this many seeds a two-sided exact Wilcoxon test cannot reach p &lt; 0.05 (its floor is 2 / 2^n). */
    static final int WILCOXON_MIN_SEEDS = 6;

    private SeedStatistics() {}

    /**
     * Mean, sample standard deviation and 95% t interval of one method's per-seed values. NaN values are dropped with
     * their seed; n counts what is left (0 gives NaN everywhere).
     *
     * @throws IllegalArgumentException for a null name or map, a null seed or an infinite value
     */
    public static SeedSummary summarize(String measure, String method, Map<Long, Double> bySeed) {
        requireName("measure", measure);
        requireName("method", method);
        Map<Long, Double> kept = finite(measure, method, bySeed);
        double[] v = kept.values().stream().mapToDouble(Double::doubleValue).toArray();
        int n = v.length;
        if (n == 0) {
            return new SeedSummary(measure, method, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, kept);
        }
        double mean = Mean.of(v).getAsDouble();
        if (n < 2) {
            return new SeedSummary(measure, method, 1, mean, Double.NaN, Double.NaN, Double.NaN, kept);
        }
        double sd = StandardDeviation.of(v).getAsDouble(); // divisor n - 1 (the library's default)
        double half = halfWidth(sd, n);
        return new SeedSummary(measure, method, n, mean, sd, mean - half, mean + half, kept);
    }

    /**
     * Method A against method B on one measure, paired over the seeds both have (a seed whose value is NaN in either
     * map is dropped). The difference is A - B.
     *
     * @throws IllegalArgumentException for a null name or map, a null seed or an infinite value
     */
    public static PairedComparison compare(String measure, String methodA, Map<Long, Double> a, String methodB,
            Map<Long, Double> b) {
        requireName("measure", measure);
        requireName("methodA", methodA);
        requireName("methodB", methodB);
        Map<Long, Double> fa = finite(measure, methodA, a);
        Map<Long, Double> fb = finite(measure, methodB, b);
        List<Long> seeds = new ArrayList<>(fa.keySet());
        seeds.retainAll(fb.keySet());
        int n = seeds.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = fa.get(seeds.get(i));
            y[i] = fb.get(seeds.get(i));
            d[i] = x[i] - y[i];
        }
        double nan = Double.NaN;
        if (n == 0) {
            return new PairedComparison(measure, methodA, methodB, seeds, 0, nan, nan, nan, nan, nan, nan, nan,
                    "no shared seed: nothing to compare (" + methodA + " has " + fa.size() + " seed(s), " + methodB
                            + " " + fb.size() + ").");
        }
        double mean = Mean.of(d).getAsDouble();
        if (n == 1) {
            return new PairedComparison(measure, methodA, methodB, seeds, 1, mean, nan, nan, nan, nan, nan, nan,
                    "one shared seed: no test possible.");
        }
        List<String> notes = new ArrayList<>();
        if (allEqual(d, 0)) {
            notes.add("all " + n + " paired differences are zero: the methods agree on every shared seed, so"
                    + " neither test applies.");
            return new PairedComparison(measure, methodA, methodB, seeds, n, 0, 0, 0, nan, nan, nan, nan,
                    String.join(" ", notes));
        }
        double half = halfWidth(StandardDeviation.of(d).getAsDouble(), n);
        TTest.Result t = TTest.withDefaults().pairedTest(x, y);
        WilcoxonSignedRankTest.Result w = WilcoxonSignedRankTest.withDefaults().test(x, y);
        if (allEqual(d, d[0])) {
            notes.add("all " + n + " paired differences equal " + format(d[0]) + ": with zero spread the t"
                    + " interval has zero width and the t-test is degenerate.");
        }
        if (n < WILCOXON_MIN_SEEDS) {
            notes.add("with " + n + " seeds the smallest two-sided Wilcoxon p is " + Math.scalb(2.0, -n)
                    + " (> 0.05): it cannot show a difference at 5%.");
        }
        if (w.hasZeroValues()) {
            notes.add("some differences are zero: Wilcoxon ranks them and leaves them out of the statistic"
                    + " (Pratt), p from the normal approximation.");
        } else if (w.hasTiedValues()) {
            notes.add("tied differences: Wilcoxon p from the normal approximation with tie correction.");
        }
        return new PairedComparison(measure, methodA, methodB, seeds, n, mean, mean - half, mean + half,
                t.getStatistic(), t.getPValue(), w.getStatistic(), w.getPValue(), String.join(" ", notes));
    }

    /** {@code t(0.975, n - 1) * sd / sqrt(n)}, the half-width of the 95% t interval of a mean. */
    static double halfWidth(double sd, int n) {
        double t = TDistribution.of(n - 1).inverseSurvivalProbability((1 - CONFIDENCE) / 2);
        return t * sd / Math.sqrt(n);
    }

    /** The finite values in seed order; NaN (and null) values dropped with their seed. */
    private static Map<Long, Double> finite(String measure, String method, Map<Long, Double> bySeed) {
        if (bySeed == null) {
            throw new IllegalArgumentException("values of measure '" + measure + "' for method '" + method
                    + "' are null: pass a seed -> value map (empty when the method has no run)");
        }
        Map<Long, Double> kept = new TreeMap<>();
        for (Map.Entry<Long, Double> e : bySeed.entrySet()) {
            Double v = e.getValue();
            if (e.getKey() == null) {
                throw new IllegalArgumentException("measure '" + measure + "', method '" + method
                        + "': a null seed (value " + v + "); every value needs the seed that produced it");
            }
            if (v != null && Double.isInfinite(v)) {
                throw new IllegalArgumentException("measure '" + measure + "', method '" + method + "', seed "
                        + e.getKey() + ": value " + v + " is infinite; a measure must be finite or NaN (missing)");
            }
            if (v != null && !Double.isNaN(v)) {
                kept.put(e.getKey(), v);
            }
        }
        return kept;
    }

    private static void requireName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + "=" + (name == null ? "null" : "'" + name + "'")
                    + ": give a non-blank name");
        }
    }

    private static boolean allEqual(double[] v, double to) {
        for (double x : v) {
            if (x != to) {
                return false;
            }
        }
        return true;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
