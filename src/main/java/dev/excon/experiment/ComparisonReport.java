package dev.excon.experiment;

import dev.excon.report.Report;
import dev.excon.report.ResultTable;
import dev.excon.report.SeedScatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The comparison over seeds as report items: a table of means and paired differences, the claims table, a per-seed
 * chart and one HTML page with a short reading. Lives here, not in {@code report}, so that {@code report} stays
 * independent of experiments (it renders plain data; this class feeds it).
 *
 * <pre>{@code
 * Comparison c = Comparison.of(runs);
 * ComparisonReport.page("SUPCON vs EXCON, 5 seeds", c, "SUPCON", "EXCON", provenanceLine)
 *         .save(Path.of("sweeps/cifar100/comparison.html"));
 * }</pre>
 */
public final class ComparisonReport {

    private ComparisonReport() {}

    /**
     * One row per measure: per method "mean ± half-width of the 95% t interval" and n, then per pair of methods the
     * mean paired difference A - B with its interval, the paired t-test p and the Wilcoxon p.
     */
    public static ResultTable table(Comparison c, String caption) {
        List<String> methods = c.methods();
        Table t = Table.create("Mean over seeds ± 95% t interval, and paired differences");
        t.addColumns(StringColumn.create("measure", c.measures()));
        for (String m : methods) {
            StringColumn mean = StringColumn.create(m + " mean ± 95% CI");
            IntColumn n = IntColumn.create(m + " n");
            for (String measure : c.measures()) {
                SeedSummary s = c.summary(measure, m);
                mean.append(s.n() == 0 ? "" : s.n() == 1 ? fmt(s.mean()) : fmt(s.mean()) + " ± "
                        + fmt(s.halfWidth()));
                n.append(s.n());
            }
            t.addColumns(mean, n);
        }
        for (int i = 0; i < methods.size(); i++) {
            for (int j = i + 1; j < methods.size(); j++) {
                String a = methods.get(i);
                String b = methods.get(j);
                StringColumn diff = StringColumn.create(a + " − " + b + " [95% CI]");
                DoubleColumn tp = DoubleColumn.create(a + " vs " + b + " t p");
                DoubleColumn wp = DoubleColumn.create(a + " vs " + b + " Wilcoxon p");
                for (String measure : c.measures()) {
                    PairedComparison p = c.pair(measure, a, b);
                    diff.append(p.n() == 0 ? "" : p.n() == 1 ? String.format(Locale.ROOT, "%+.4f", p.meanDifference())
                            : Comparison.signed(p));
                    tp.append(p.tPValue());
                    wp.append(p.wilcoxonPValue());
                }
                t.addColumns(diff, tp, wp);
            }
        }
        return ResultTable.of(t, caption);
    }

    /** The claims, one row each: verdict, difference method - baseline with its interval, p-values, n, notes. */
    public static ResultTable claimsTable(List<Claim> claims, String baseline, String method, String caption) {
        StringColumn name = StringColumn.create("claim");
        StringColumn measure = StringColumn.create("measure");
        StringColumn better = StringColumn.create("better when");
        StringColumn verdict = StringColumn.create("verdict");
        DoubleColumn diff = DoubleColumn.create(method + " − " + baseline);
        DoubleColumn low = DoubleColumn.create("95% CI low");
        DoubleColumn high = DoubleColumn.create("95% CI high");
        DoubleColumn tp = DoubleColumn.create("t p");
        DoubleColumn wp = DoubleColumn.create("Wilcoxon p");
        IntColumn n = IntColumn.create("n");
        StringColumn also = StringColumn.create("also");
        StringColumn note = StringColumn.create("note");
        for (Claim c : claims) {
            name.append(c.name());
            measure.append(c.measure());
            better.append(c.higherIsBetter() ? "higher" : "lower");
            verdict.append(c.verdict());
            diff.append(c.difference());
            low.append(c.ciLow());
            high.append(c.ciHigh());
            tp.append(c.tPValue());
            wp.append(c.wilcoxonPValue());
            n.append(c.n());
            also.append(c.also());
            note.append(c.note());
        }
        Table t = Table.create("Claims: " + method + " against " + baseline + ", paired by seed", name, measure,
                better, verdict, diff, low, high, tp, wp, n, also, note);
        return ResultTable.of(t, caption + (caption == null || caption.isEmpty() ? "" : "; ") + "verdict rule: "
                + Comparison.RULE);
    }

    /** Per measure asked, each method's per-seed values and its mean with the 95% t interval as an error bar. */
    public static SeedScatter perSeed(Comparison c, List<String> measures, String caption) {
        SeedScatter.Builder b = SeedScatter.builder().title("Per-seed values, mean ± 95% t interval")
                .caption(caption);
        boolean any = false;
        for (String measure : measures) {
            if (!c.measures().contains(measure)) {
                throw new IllegalArgumentException("measure '" + measure + "' is in no run; measures: "
                        + c.measures());
            }
            for (String m : c.methods()) {
                SeedSummary s = c.summary(measure, m);
                if (s.n() > 0) {
                    b.add(measure, m, s.bySeed().values().stream().mapToDouble(Double::doubleValue).toArray(),
                            s.mean(), s.halfWidth());
                    any = true;
                }
            }
        }
        if (!any) {
            throw new IllegalArgumentException("no method has a value for " + measures);
        }
        return b.build();
    }

    /**
     * The whole page: a reading, the claims of {@code method} against {@code baseline}, the table of every measure
     * and pair, and the per-seed chart of top-1 and average drop (those present).
     */
    public static Report page(String title, Comparison c, String baseline, String method, String caption) {
        List<String> shown = new ArrayList<>();
        for (String m : List.of(Comparison.TOP1, Comparison.AVERAGE_DROP)) {
            if (c.measures().contains(m)) {
                shown.add(m);
            }
        }
        return page(title, c, baseline, method, shown.isEmpty() ? c.measures().subList(0, 1) : shown, caption);
    }

    /** The whole page, charting the measures named. */
    public static Report page(String title, Comparison c, String baseline, String method, List<String> chartMeasures,
            String caption) {
        List<Claim> claims = c.claims(baseline, method);
        Report r = Report.create(title);
        r.section("Reading").text(reading(c, claims, baseline, method));
        r.section("The paper's claims").add(claimsTable(claims, baseline, method, caption));
        r.section("Every measure").add(table(c, caption));
        r.section("Per seed").add(perSeed(c, chartMeasures, caption));
        return r;
    }

    /** A few plain sentences: what was run, how to read the numbers, each claim's verdict. */
    static String reading(Comparison c, List<Claim> claims, String baseline, String method) {
        StringBuilder s = new StringBuilder();
        s.append(c.methods().stream().map(m -> m + " " + c.seeds(m).size() + " seed"
                + (c.seeds(m).size() == 1 ? "" : "s")).collect(Collectors.joining(", ", "Runs: ", ". ")));
        s.append("Each mean is shown ± the half-width of its 95% t interval. Differences are paired over the seeds"
                + " both methods share, with a two-sided paired t-test and a two-sided Wilcoxon signed-rank test."
                + " A claim is ").append(Comparison.RULE).append(".\n\n");
        for (Claim k : claims) {
            s.append(k.name()).append(" (").append(k.measure()).append("): ").append(k.verdict());
            if (k.n() > 0) {
                s.append(String.format(Locale.ROOT, "; %s − %s = %+.4f", method, baseline, k.difference()));
                if (k.n() > 1) {
                    s.append(String.format(Locale.ROOT, " [%.4f, %.4f], t p = %.4g", k.ciLow(), k.ciHigh(),
                            k.tPValue()));
                }
                s.append(", n = ").append(k.n());
            }
            s.append(".").append(k.note().isEmpty() ? "" : " " + k.note()).append('\n');
        }
        return s.toString().strip();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
