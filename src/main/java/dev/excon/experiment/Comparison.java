package dev.excon.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Several methods, each run with several seeds: per-method summaries, paired comparisons and the paper's claims.
 *
 * <pre>{@code
 * Map<String, Map<Long, Map<String, Double>>> runs = new LinkedHashMap<>();
 * runs.computeIfAbsent("SUPCON", k -> new TreeMap<>()).put(1L, supconSeed1.headline());
 * runs.computeIfAbsent("EXCON", k -> new TreeMap<>()).put(1L, exconSeed1.headline());
 * // ... more seeds
 * Comparison c = Comparison.of(runs);
 * List<Claim> claims = c.claims("SUPCON", "EXCON");
 * }</pre>
 *
 * <p><b>The rule</b> ({@link #claims}): a claim is "better" or "worse" only when the 95% t interval of the mean
 * paired difference (method - baseline) excludes 0 <em>and</em> the two-sided paired t-test gives p &lt; 0.05; the
 * sign of the difference and the measure's direction then say which. Otherwise the verdict is "no evidence either
 * way at this budget". (For the paired t-test the two conditions agree by construction; requiring both guards against
 * a missing or inconsistent number rather than adding a filter.) The Wilcoxon p-value is shown, not used: with fewer
 * than 6 seeds it cannot fall below 0.05.
 */
public final class Comparison {

    /** Classification: top-1 accuracy, higher is better. */
    public static final String TOP1 = "top-1";
    /** Explanation quality, the verdict's measure: Average Drop, lower is better. */
    public static final String AVERAGE_DROP = "average drop";
    /** Explanation quality, shown beside it: Increase in Confidence rate, higher is better. */
    public static final String INCREASE_RATE = "increase rate";
    /** Adversarial robustness: accuracies under FGSM, one key per epsilon, higher is better. */
    public static final String FGSM_PREFIX = "FGSM ";
    /** Calibration under shift: ECE under FGSM, one key per epsilon, lower is better. */
    public static final String ECE_FGSM_PREFIX = "ECE FGSM ";
    /** Calibration under shift: mean ECE over corruptions and severities, when measured. */
    public static final String CORRUPTED_ECE = "corrupted ECE (mean)";
    /** The decision rule shared by every claim. */
    public static final String RULE = "better or worse only when the 95% t interval of the paired difference"
            + " excludes 0 and the two-sided paired t-test gives p < 0.05; otherwise no evidence either way";
    /** The verdict when the rule is not met. */
    public static final String NO_EVIDENCE = "no evidence either way at this budget";

    private final Map<String, Map<Long, Map<String, Double>>> runs;
    private final List<String> measures;

    private Comparison(Map<String, Map<Long, Map<String, Double>>> runs, List<String> measures) {
        this.runs = runs;
        this.measures = measures;
    }

    /**
     * A comparison of {@code method -> seed -> measure -> value}, e.g. each run's {@link
     * dev.excon.eval.ProtocolResult#headline()}. The map's method order is the order of tables, pairs and legends; a
     * missing measure or a null or NaN value is treated as not measured.
     *
     * @throws IllegalArgumentException for a null or empty map, a null name, seed or inner map
     */
    public static Comparison of(Map<String, ? extends Map<Long, ? extends Map<String, Double>>> runs) {
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("runs=" + runs + ": give at least one method with its seeds");
        }
        Map<String, Map<Long, Map<String, Double>>> copy = new LinkedHashMap<>();
        Set<String> measures = new LinkedHashSet<>();
        for (Map.Entry<String, ? extends Map<Long, ? extends Map<String, Double>>> m : runs.entrySet()) {
            String method = m.getKey();
            if (method == null || method.isBlank()) {
                throw new IllegalArgumentException("a method named " + (method == null ? "null" : "'" + method
                        + "'") + ": every method needs a non-blank name");
            }
            if (m.getValue() == null) {
                throw new IllegalArgumentException("method '" + method + "' has a null seed map: pass seed ->"
                        + " measures (empty when it has no run)");
            }
            Map<Long, Map<String, Double>> seeds = new TreeMap<>();
            for (Map.Entry<Long, ? extends Map<String, Double>> s : m.getValue().entrySet()) {
                if (s.getKey() == null) {
                    throw new IllegalArgumentException("method '" + method + "' has a null seed");
                }
                if (s.getValue() == null) {
                    throw new IllegalArgumentException("method '" + method + "', seed " + s.getKey()
                            + ": the measures are null; pass the run's headline() map");
                }
                Map<String, Double> values = new LinkedHashMap<>();
                for (Map.Entry<String, Double> v : s.getValue().entrySet()) {
                    if (v.getKey() == null) {
                        throw new IllegalArgumentException("method '" + method + "', seed " + s.getKey()
                                + ": a measure with a null name (value " + v.getValue() + ")");
                    }
                    values.put(v.getKey(), v.getValue() == null ? Double.NaN : v.getValue());
                    measures.add(v.getKey());
                }
                seeds.put(s.getKey(), Collections.unmodifiableMap(values));
            }
            copy.put(method, Collections.unmodifiableMap(seeds));
        }
        return new Comparison(Collections.unmodifiableMap(copy), List.copyOf(measures));
    }

    /** The methods, in the map's order. */
    public List<String> methods() {
        return List.copyOf(runs.keySet());
    }

    /** Every measure any run has, in first-seen order (the first method's first seed's headline order first). */
    public List<String> measures() {
        return measures;
    }

    /** A method's seeds, ascending. */
    public List<Long> seeds(String method) {
        return List.copyOf(runs(method).keySet());
    }

    /** A method's values of one measure, seed -> value (NaN where not measured), ascending seed. */
    public Map<Long, Double> values(String method, String measure) {
        Map<Long, Double> out = new TreeMap<>();
        runs(method).forEach((seed, m) -> out.put(seed, m.getOrDefault(measure, Double.NaN)));
        return out;
    }

    /** One summary per measure and method: measures in {@link #measures()} order, methods in map order within. */
    public List<SeedSummary> summaries() {
        List<SeedSummary> out = new ArrayList<>();
        for (String measure : measures) {
            for (String method : runs.keySet()) {
                out.add(summary(measure, method));
            }
        }
        return out;
    }

    /** One method's summary of one measure. */
    public SeedSummary summary(String measure, String method) {
        return SeedStatistics.summarize(measure, method, values(method, measure));
    }

    /**
     * Every pair of methods on every measure: measures in {@link #measures()} order, then pairs (A, B) with A before
     * B in the map's method order; the difference is A - B.
     */
    public List<PairedComparison> pairs() {
        List<String> methods = methods();
        List<PairedComparison> out = new ArrayList<>();
        for (String measure : measures) {
            for (int i = 0; i < methods.size(); i++) {
                for (int j = i + 1; j < methods.size(); j++) {
                    out.add(pair(measure, methods.get(i), methods.get(j)));
                }
            }
        }
        return out;
    }

    /** Method A against method B on one measure, paired by seed (A - B). */
    public PairedComparison pair(String measure, String methodA, String methodB) {
        return SeedStatistics.compare(measure, methodA, values(methodA, measure), methodB, values(methodB, measure));
    }

    /**
     * The paper's four claims for {@code method} against {@code baseline}, one row each, paired by seed:
     * <ol>
     * <li>classification: {@value #TOP1}, higher is better;
     * <li>explanation quality: {@value #AVERAGE_DROP}, lower is better, decides; {@value #INCREASE_RATE} (higher is
     * better) is shown in {@link Claim#also()};
     * <li>adversarial robustness: per seed, the mean of the measures whose name starts with "{@value #FGSM_PREFIX}"
     * (accuracy at each epsilon), higher is better;
     * <li>calibration under shift: per seed, the mean of the "{@value #ECE_FGSM_PREFIX}..." measures and {@value
     * #CORRUPTED_ECE} where present, lower is better.
     * </ol>
     * A mean over several measures uses the ones both methods have, and a seed missing any of them is left out.
     * Verdicts follow the rule in the class comment ({@link #RULE}).
     *
     * @throws IllegalArgumentException when either method is not in the comparison, or they are the same
     */
    public List<Claim> claims(String baseline, String method) {
        runs(baseline);
        runs(method);
        if (baseline.equals(method)) {
            throw new IllegalArgumentException("baseline and method are both '" + method + "': compare two methods");
        }
        List<Claim> out = new ArrayList<>();
        out.add(claim("classification", List.of(TOP1), TOP1, true, baseline, method, ""));
        PairedComparison increase = pair(INCREASE_RATE, method, baseline);
        String also = increase.n() == 0 ? "" : INCREASE_RATE + " (higher is better): " + signed(increase);
        out.add(claim("explanation quality", List.of(AVERAGE_DROP), AVERAGE_DROP, false, baseline, method, also));
        List<String> fgsm = shared(baseline, method, k -> k.startsWith(FGSM_PREFIX));
        out.add(claim("adversarial robustness", fgsm, "FGSM accuracy, mean over " + fgsm.size() + " epsilon"
                + (fgsm.size() == 1 ? "" : "s"), true, baseline, method, ""));
        List<String> shift = shared(baseline, method, k -> k.startsWith(ECE_FGSM_PREFIX) || k.equals(CORRUPTED_ECE));
        String shiftName = "ECE under shift, mean of " + shift.stream().filter(k -> k.startsWith(ECE_FGSM_PREFIX))
                .count() + " FGSM ECE(s)" + (shift.contains(CORRUPTED_ECE) ? " and " + CORRUPTED_ECE : "");
        out.add(claim("calibration under shift", shift, shiftName, false, baseline, method, ""));
        return out;
    }

    /**
     * The rule: better or worse only when the interval excludes 0 and the t-test's p &lt; 0.05 (NaN never counts).
     */
    static Claim.Outcome decide(double difference, double ciLow, double ciHigh, double tPValue,
            boolean higherIsBetter) {
        boolean excludesZero = ciLow > 0 || ciHigh < 0;
        boolean significant = tPValue < 0.05;
        if (!excludesZero || !significant) {
            return Claim.Outcome.NO_EVIDENCE;
        }
        return (difference > 0) == higherIsBetter ? Claim.Outcome.BETTER : Claim.Outcome.WORSE;
    }

    private Claim claim(String name, List<String> keys, String label, boolean higherIsBetter, String baseline,
            String method, String also) {
        String rule = label + ", " + (higherIsBetter ? "higher" : "lower") + " is better; " + RULE;
        if (keys.isEmpty()) {
            return new Claim(name, label, higherIsBetter, Claim.Outcome.NO_EVIDENCE, NO_EVIDENCE, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, rule, also, "not measured for both "
                    + method + " and " + baseline + ".");
        }
        PairedComparison p = SeedStatistics.compare(label, method, meanOver(method, keys), baseline,
                meanOver(baseline, keys));
        Claim.Outcome o = decide(p.meanDifference(), p.ciLow(), p.ciHigh(), p.tPValue(), higherIsBetter);
        String verdict = switch (o) {
            case BETTER -> method + " better";
            case WORSE -> method + " worse";
            case NO_EVIDENCE -> NO_EVIDENCE;
        };
        return new Claim(name, label, higherIsBetter, o, verdict, p.meanDifference(), p.ciLow(), p.ciHigh(),
                p.tPValue(), p.wilcoxonPValue(), p.n(), rule, also, p.note());
    }

    /** Per seed, the mean of {@code keys}; NaN for a seed missing any of them. */
    private Map<Long, Double> meanOver(String method, List<String> keys) {
        Map<Long, Double> out = new TreeMap<>();
        runs(method).forEach((seed, m) -> {
            double s = 0;
            for (String k : keys) {
                s += m.getOrDefault(k, Double.NaN);
            }
            out.put(seed, s / keys.size());
        });
        return out;
    }

    /** The measures matching {@code which} that both methods have in some run, in {@link #measures()} order. */
    private List<String> shared(String a, String b, java.util.function.Predicate<String> which) {
        List<String> out = new ArrayList<>();
        for (String k : measures) {
            if (which.test(k) && has(a, k) && has(b, k)) {
                out.add(k);
            }
        }
        return out;
    }

    private boolean has(String method, String measure) {
        return runs(method).values().stream().anyMatch(m -> !Double.isNaN(m.getOrDefault(measure, Double.NaN)));
    }

    private Map<Long, Map<String, Double>> runs(String method) {
        Map<Long, Map<String, Double>> m = runs.get(method);
        if (m == null) {
            throw new IllegalArgumentException("method '" + method + "' is not in the comparison; methods: "
                    + runs.keySet());
        }
        return m;
    }

    /** "+0.0300 [-0.0100, 0.0700]" */
    static String signed(PairedComparison p) {
        return String.format(java.util.Locale.ROOT, "%+.4f [%.4f, %.4f]", p.meanDifference(), p.ciLow(),
                p.ciHigh());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Comparison[");
        runs.forEach((m, seeds) -> s.append(s.length() > 11 ? ", " : "").append(m).append(": seeds ")
                .append(seeds.keySet()));
        return s.append("; ").append(measures.size()).append(" measures]").toString();
    }
}
