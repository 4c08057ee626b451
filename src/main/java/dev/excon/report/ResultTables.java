package dev.excon.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Tablesaw tables of results built from plain inputs: a metrics table (rows = runs, columns = named numbers), a
 * corruption-by-severity table (Ovadia et al. 2019 layout) and its long form for CSV export.
 *
 * <pre>{@code
 * ResultTable t = ResultTables.metrics("Test results")
 *         .addRun("SupCon", Map.of("accuracy", 0.71, "ECE", 0.05))
 *         .addRun("ExCon", Map.of("accuracy", 0.73, "ECE", 0.03))
 *         .caption(provenance.caption()).build();
 * }</pre>
 */
public final class ResultTables {

    private ResultTables() {}

    /** A builder of a metrics table named {@code title}. */
    public static MetricsBuilder metrics(String title) {
        return new MetricsBuilder(title);
    }

    /**
     * A training run's history, one row per epoch: losses, validation and test accuracy, the share of accepted
     * masked views and background samples (ExCon), the learning rate, seconds, and a star on the best epoch (the
     * one {@code best.ckpt} holds). The star's column says what the epoch was chosen on: "best by val acc", or "best
     * by test acc" for a run without a validation split (the reference's {@code --validation=0}), which then has no
     * val acc column.
     */
    public static ResultTable history(String title, java.util.List<dev.excon.train.EpochResult> epochs,
            String caption) {
        int n = epochs.size();
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn enc = DoubleColumn.create("encoder loss");
        DoubleColumn cls = DoubleColumn.create("classifier loss");
        DoubleColumn val = DoubleColumn.create("val acc");
        DoubleColumn test = DoubleColumn.create("test acc");
        DoubleColumn acc = DoubleColumn.create("accepted");
        IntColumn bg = IntColumn.create("background");
        DoubleColumn lr = DoubleColumn.create("lr");
        DoubleColumn sec = DoubleColumn.create("seconds");
        boolean onTest = !epochs.isEmpty() && epochs.stream().allMatch(e -> Double.isNaN(e.validationAccuracy()));
        StringColumn best = StringColumn.create(onTest ? "best by test acc" : "best by val acc");
        String bestEpoch = "";
        for (dev.excon.train.EpochResult e : epochs) {
            if (e.best()) {
                bestEpoch = Integer.toString(e.epoch()); // the last epoch flagged best is the one kept
            }
        }
        for (dev.excon.train.EpochResult e : epochs) {
            epoch.append(e.epoch());
            appendOrMissing(enc, e.encoderLoss());
            appendOrMissing(cls, e.classifierLoss());
            appendOrMissing(val, e.validationAccuracy());
            appendOrMissing(test, e.testAccuracy());
            appendOrMissing(acc, e.acceptanceRate());
            bg.append((int) Math.min(Integer.MAX_VALUE, e.backgroundSamples()));
            lr.append(e.learningRate());
            sec.append(e.seconds());
            best.append(Integer.toString(e.epoch()).equals(bestEpoch) ? "*" : "");
        }
        Table t = Table.create(title + " (" + n + " epoch" + (n == 1 ? "" : "s") + ")", epoch, enc, cls, val, test,
                acc, bg, lr, sec, best);
        if (onTest) {
            t.removeColumns(val);
        }
        return ResultTable.of(t, caption);
    }

    private static void appendOrMissing(DoubleColumn c, double v) {
        if (Double.isNaN(v)) {
            c.appendMissing();
        } else {
            c.append(v);
        }
    }

    /**
     * One run's grid as a table: column {@code corruption}, one column per severity ("1" ... "5") and {@code mean};
     * one row per corruption, then a {@code mean} row over corruptions and, when known, a {@code clean} row.
     */
    public static ResultTable corruptionBySeverity(SeverityGrid grid, String run, String caption) {
        String title = grid.metric() + " by corruption and severity" + (run == null || run.isEmpty() ? "" : ": " + run);
        Table t = Table.create(title);
        List<String> rows = new ArrayList<>(grid.corruptions());
        rows.add("mean");
        t.addColumns(StringColumn.create("corruption", rows));
        int sev = grid.severities();
        double[] sevMeans = grid.severityMeans();
        double[] rowMeans = grid.corruptionMeans();
        for (int s = 0; s < sev; s++) {
            double[] col = new double[rows.size()];
            for (int r = 0; r < grid.corruptions().size(); r++) {
                col[r] = grid.values()[r][s];
            }
            col[rows.size() - 1] = sevMeans[s];
            t.addColumns(DoubleColumn.create(Integer.toString(s + 1), col));
        }
        double[] mean = new double[rows.size()];
        System.arraycopy(rowMeans, 0, mean, 0, rowMeans.length);
        mean[rows.size() - 1] = java.util.Arrays.stream(rowMeans).filter(v -> !Double.isNaN(v)).average()
                .orElse(Double.NaN);
        t.addColumns(DoubleColumn.create("mean", mean));
        if (!Double.isNaN(grid.clean())) {
            Table clean = t.emptyCopy(1);
            clean.stringColumn("corruption").set(0, "clean");
            for (int s = 0; s <= sev; s++) {
                clean.doubleColumn(s + 1).set(0, s == 0 ? grid.clean() : Double.NaN);
            }
            clean.doubleColumn("mean").set(0, grid.clean());
            t.append(clean);
        }
        return ResultTable.of(t, caption);
    }

    /**
     * Several runs in long form, one row per (run, corruption, severity): columns run, corruption, severity and the
     * metric; clean values get severity 0 and corruption "clean". For CSV export and further analysis.
     */
    public static ResultTable corruptionLong(Map<String, SeverityGrid> runs, String caption) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        String metric = runs.values().iterator().next().metric();
        StringColumn run = StringColumn.create("run");
        StringColumn corruption = StringColumn.create("corruption");
        IntColumn severity = IntColumn.create("severity");
        DoubleColumn value = DoubleColumn.create(metric);
        for (Map.Entry<String, SeverityGrid> e : runs.entrySet()) {
            SeverityGrid g = e.getValue();
            if (!g.metric().equals(metric)) {
                throw new IllegalArgumentException("run " + e.getKey() + " has metric " + g.metric() + ", the first"
                        + " run " + metric + "; one metric per table");
            }
            if (!Double.isNaN(g.clean())) {
                run.append(e.getKey());
                corruption.append("clean");
                severity.append(0);
                value.append(g.clean());
            }
            for (int r = 0; r < g.corruptions().size(); r++) {
                for (int s = 0; s < g.severities(); s++) {
                    run.append(e.getKey());
                    corruption.append(g.corruptions().get(r));
                    severity.append(s + 1);
                    value.append(g.values()[r][s]);
                }
            }
        }
        return ResultTable.of(Table.create(metric + " per run, corruption and severity", run, corruption, severity,
                value), caption);
    }

    /** Builder of a metrics table: rows are runs, columns the union of metric names in first-seen order. */
    public static final class MetricsBuilder {
        private final String title;
        private final Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
        private String caption = "";
        private String runColumn = "run";

        private MetricsBuilder(String title) {
            this.title = title;
        }

        /** One row: the run's name and its metrics (iteration order = column order for new names). */
        public MetricsBuilder addRun(String run, Map<String, ? extends Number> metrics) {
            if (runs.containsKey(run)) {
                throw new IllegalArgumentException("run " + run + " was already added");
            }
            Map<String, Double> m = new LinkedHashMap<>();
            metrics.forEach((k, v) -> m.put(k, v == null ? Double.NaN : v.doubleValue()));
            runs.put(run, m);
            return this;
        }

        /** The provenance line. */
        public MetricsBuilder caption(String c) {
            this.caption = c;
            return this;
        }

        /** The name of the first column (default "run"). */
        public MetricsBuilder runColumn(String name) {
            this.runColumn = name;
            return this;
        }

        /** The table; a metric a run lacks is missing (blank). */
        public ResultTable build() {
            Set<String> names = new LinkedHashSet<>();
            runs.values().forEach(m -> names.addAll(m.keySet()));
            if (names.contains(runColumn)) {
                throw new IllegalArgumentException("a metric is named like the run column '" + runColumn
                        + "': rename it or call runColumn(...)");
            }
            Table t = Table.create(title);
            t.addColumns(StringColumn.create(runColumn, new ArrayList<>(runs.keySet())));
            for (String name : names) {
                DoubleColumn c = DoubleColumn.create(name);
                for (Map<String, Double> m : runs.values()) {
                    Double v = m.get(name);
                    if (v == null || Double.isNaN(v)) {
                        c.appendMissing();
                    } else {
                        c.append(v);
                    }
                }
                t.addColumns(c);
            }
            return ResultTable.of(t, caption);
        }
    }
}
