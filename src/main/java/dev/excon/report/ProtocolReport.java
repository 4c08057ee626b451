package dev.excon.report;

import dev.excon.eval.CalibrationResult;
import dev.excon.eval.ProtocolResult;
import dev.excon.eval.ReliabilityBin;
import dev.excon.eval.RobustnessResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tables and charts of {@link ProtocolResult}s: one run, or several side by side (e.g. SupCon against ExCon). Every
 * item carries the runs' provenance line; those showing calibration also say how the ECE was binned (e.g. "10
 * equal-width bins (a, b], Guo et al." or "[a, b) after clipping, netcal").
 *
 * <pre>{@code
 * Report page = ProtocolReport.compare("SupCon vs ExCon on Fashion-MNIST", List.of(supcon, excon));
 * page.save(Path.of("reports/comparison.html"));
 * }</pre>
 */
public final class ProtocolReport {

    private ProtocolReport() {}

    /** One row per run with every headline number ({@link ProtocolResult#headline()}). */
    public static ResultTable summary(List<ProtocolResult> runs) {
        ResultTables.MetricsBuilder b = ResultTables.metrics("Evaluation summary").caption(calibrationCaption(runs));
        for (ProtocolResult r : runs) {
            b.addRun(r.run(), r.headline());
        }
        return b.build();
    }

    /** Reliability diagrams of the clean test predictions, one panel per run, ECE in each title. */
    public static ReliabilityDiagram reliability(List<ProtocolResult> runs) {
        List<ReliabilityDiagram.Panel> panels = new ArrayList<>();
        for (ProtocolResult r : runs) {
            panels.add(panel(r.run(), r.calibration()));
        }
        return ReliabilityDiagram.of(calibrationCaption(runs), panels.toArray(new ReliabilityDiagram.Panel[0]));
    }

    /** A reliability-diagram panel from a calibration result; empty bins are drawn empty. */
    public static ReliabilityDiagram.Panel panel(String name, CalibrationResult c) {
        List<ReliabilityBin> bins = c.bins();
        int b = bins.size();
        double[] edges = new double[b + 1];
        double[] conf = new double[b];
        double[] acc = new double[b];
        int[] counts = new int[b];
        for (int i = 0; i < b; i++) {
            ReliabilityBin bin = bins.get(i);
            edges[i] = bin.lower();
            edges[i + 1] = bin.upper();
            counts[i] = (int) bin.count();
            conf[i] = bin.count() == 0 ? 0 : bin.meanConfidence();
            acc[i] = bin.count() == 0 ? 0 : bin.accuracy();
        }
        return new ReliabilityDiagram.Panel(name, edges, conf, acc, counts, c.ece());
    }

    /** Accuracy against epsilon under FGSM (and PGD when measured), one line per run. */
    public static List<RobustnessCurves> robustness(List<ProtocolResult> runs) {
        List<RobustnessCurves> out = new ArrayList<>();
        out.add(curves("FGSM", runs, false));
        if (runs.stream().allMatch(r -> r.pgd() != null)) {
            out.add(curves("PGD", runs, true));
        }
        return out;
    }

    private static RobustnessCurves curves(String attack, List<ProtocolResult> runs, boolean pgd) {
        RobustnessCurves.Builder b = RobustnessCurves.builder().title("Robustness to " + attack + ": top-1 accuracy")
                .caption(caption(runs)).xLabel("epsilon (/255)").yLabel("accuracy").unitRange(true);
        for (ProtocolResult r : runs) {
            RobustnessResult res = pgd ? r.pgd() : r.fgsm();
            double[] x = new double[res.epsilons().length + 1];
            double[] y = new double[x.length];
            x[0] = 0;
            y[0] = res.clean().top1();
            for (int i = 0; i < res.epsilons().length; i++) {
                x[i + 1] = res.epsilons()[i];
                y[i + 1] = res.accuracies()[i];
            }
            b.addRun(r.run(), x, y);
        }
        return b.build();
    }

    /** ECE under FGSM, the reference's "calibration under shift", one line per run. */
    public static RobustnessCurves eceUnderFgsm(List<ProtocolResult> runs) {
        RobustnessCurves.Builder b = RobustnessCurves.builder().title("Calibration under FGSM: ECE")
                .caption(calibrationCaption(runs)).xLabel("epsilon (/255)").yLabel("ECE").unitRange(false);
        for (ProtocolResult r : runs) {
            double[] eps = r.fgsm().epsilons();
            double[] x = new double[eps.length + 1];
            double[] y = new double[x.length];
            y[0] = r.calibration().ece();
            for (int i = 0; i < eps.length; i++) {
                x[i + 1] = eps[i];
                y[i + 1] = r.fgsm().eces()[i];
            }
            b.addRun(r.run(), x, y);
        }
        return b.build();
    }

    /** Per severity, the spread of ECE across corruptions for each run (Ovadia et al. 2019), or null if none. */
    public static SeveritySummary shift(List<ProtocolResult> runs, boolean ece) {
        Map<String, SeverityGrid> grids = grids(runs, ece);
        return grids.isEmpty() ? null : SeveritySummary.of(grids, ece ? calibrationCaption(runs) : caption(runs));
    }

    /** Each run's corruption-by-severity grid of ECE or accuracy, with the clean value. */
    public static Map<String, SeverityGrid> grids(List<ProtocolResult> runs, boolean ece) {
        Map<String, SeverityGrid> grids = new LinkedHashMap<>();
        for (ProtocolResult r : runs) {
            Map<String, double[]> values = ece ? r.corruptionEce() : r.corruptionAccuracy();
            if (!values.isEmpty()) {
                grids.put(r.run(), SeverityGrid.of(ece ? "ECE" : "accuracy", values,
                        ece ? r.calibration().ece() : r.accuracy().top1()));
            }
        }
        return grids;
    }

    /** A whole page for one run. */
    public static Report single(ProtocolResult r) {
        return compare("Evaluation of " + r.run(), List.of(r));
    }

    /** A whole page comparing runs: summary, reliability, robustness, shift, t-SNE per run. */
    public static Report compare(String title, List<ProtocolResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to report");
        }
        Report page = Report.create(title);
        if (runs.get(0).provenance() != null) {
            page.provenance(runs.get(0).provenance());
        }
        page.section("Summary").add(summary(runs));
        page.section("Calibration").add(reliability(runs)).add(eceUnderFgsm(runs));
        page.section("Adversarial robustness");
        for (RobustnessCurves c : robustness(runs)) {
            page.add(c);
        }
        SeveritySummary shift = shift(runs, true);
        if (shift != null) {
            page.section("Calibration under corruptions (" + runs.get(0).corruptionSuite() + ")").add(shift);
            for (Map.Entry<String, SeverityGrid> e : grids(runs, true).entrySet()) {
                page.add(CorruptionHeatmap.of(e.getValue(), e.getKey(), calibrationCaption(runs)));
            }
            page.add(ResultTables.corruptionLong(grids(runs, false), caption(runs)));
        }
        for (ProtocolResult r : runs) {
            if (r.tsne() != null) {
                page.section("Embeddings: " + r.run()).add(TsneScatter.of(r.tsne(), "t-SNE of backbone features, "
                        + r.run(), caption(List.of(r))));
            }
        }
        return page;
    }

    /**
     * The provenance line, then how the ECE was binned: once when every run used the same bins, else per run (so two
     * conventions side by side cannot pass for one).
     */
    private static String calibrationCaption(List<ProtocolResult> runs) {
        Set<String> binnings = new LinkedHashSet<>();
        for (ProtocolResult r : runs) {
            binnings.add(r.calibration().binning());
        }
        StringBuilder s = new StringBuilder(caption(runs)).append("; ECE over ");
        if (binnings.size() == 1) {
            return s.append(binnings.iterator().next()).toString();
        }
        for (int i = 0; i < runs.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(runs.get(i).run()).append(": ")
                    .append(runs.get(i).calibration().binning());
        }
        return s.toString();
    }

    private static String caption(List<ProtocolResult> runs) {
        StringBuilder s = new StringBuilder();
        for (ProtocolResult r : runs) {
            if (r.provenance() != null) {
                if (s.length() > 0) {
                    s.append("; ");
                }
                s.append(r.run()).append(": ").append(r.provenance().caption());
            }
        }
        return s.length() == 0 ? "provenance not recorded" : s.toString();
    }
}
