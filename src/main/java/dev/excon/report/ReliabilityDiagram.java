package dev.excon.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Reliability diagrams (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017, figure 1): per confidence
 * bin, a bar at the accuracy of the predictions in the bin, a translucent red "gap" bar from the accuracy to the
 * bin's mean confidence, and the diagonal of perfect calibration; the expected calibration error in the title. Two
 * or more panels (e.g. SupCon and ExCon) are drawn side by side on the same axes.
 *
 * <pre>{@code
 * ReliabilityDiagram d = ReliabilityDiagram.of(provenance.caption(),
 *         ReliabilityDiagram.Panel.of("SupCon", edges, confidence, accuracy, counts),
 *         ReliabilityDiagram.Panel.of("ExCon", edges2, confidence2, accuracy2, counts2));
 * d.savePng(Path.of("reliability.png"));
 * }</pre>
 */
public final class ReliabilityDiagram extends ChartFigure {

    /** Colour of the accuracy bars. */
    static final Color ACCURACY = new Color(31, 119, 180);
    /** Colour of the gap bars (translucent red over the accuracy bars and the background). */
    static final Color GAP = new Color(214, 39, 40, 90);

    private final List<Panel> panels;
    private final int width;
    private final int height;

    /**
     * The binned calibration of one model.
     *
     * @param name the model's name, e.g. {@code "ExCon"}
     * @param binEdges B + 1 increasing edges in [0, 1] (e.g. 0, 1/15, ..., 1)
     * @param confidence the mean confidence of each bin (B values; any value for empty bins)
     * @param accuracy the accuracy of each bin (B values in [0, 1]; any value for empty bins)
     * @param counts the number of predictions in each bin (B values; empty bins are not drawn)
     * @param ece the expected calibration error in [0, 1] ({@link #of} computes it from the bins)
     */
    public record Panel(
            String name, double[] binEdges, double[] confidence, double[] accuracy, int[] counts, double ece) {

        /** Checks the lengths and ranges. */
        public Panel {
            int b = counts.length;
            if (binEdges.length != b + 1 || confidence.length != b || accuracy.length != b || b == 0) {
                throw new IllegalArgumentException(name + ": binEdges.length=" + binEdges.length
                        + ", confidence.length=" + confidence.length + ", accuracy.length=" + accuracy.length
                        + ", counts.length=" + counts.length + "; expected B + 1 edges and B of the others, B >= 1");
            }
            for (int i = 0; i < b; i++) {
                if (binEdges[i + 1] <= binEdges[i]) {
                    throw new IllegalArgumentException(name + ": bin edges must increase, got "
                            + Arrays.toString(binEdges));
                }
                if (counts[i] < 0) {
                    throw new IllegalArgumentException(name + ": counts[" + i + "]=" + counts[i] + " is negative");
                }
            }
            if (!(ece >= 0) || ece > 1) {
                throw new IllegalArgumentException(name + ": ece=" + ece + " must be in [0, 1]");
            }
            binEdges = binEdges.clone();
            confidence = confidence.clone();
            accuracy = accuracy.clone();
            counts = counts.clone();
        }

        /** A panel whose ECE is computed from the bins: {@code sum_b counts_b / N * |accuracy_b - confidence_b|}. */
        public static Panel of(String name, double[] binEdges, double[] confidence, double[] accuracy, int[] counts) {
            return new Panel(name, binEdges, confidence, accuracy, counts,
                    binnedEce(confidence, accuracy, counts));
        }

        /** The number of predictions. */
        public long total() {
            long n = 0;
            for (int c : counts) {
                n += c;
            }
            return n;
        }

        /** {@code "SupCon (ECE 3.42%)"}. */
        public String label() {
            return name + " (ECE " + percent(ece) + ")";
        }
    }

    private ReliabilityDiagram(String title, String caption, List<Panel> panels, int width, int height) {
        super(title, caption);
        this.panels = List.copyOf(panels);
        this.width = width;
        this.height = height;
    }

    /** One or more panels side by side, 440 x 440 pixels each; the title names each with its ECE. */
    public static ReliabilityDiagram of(String caption, Panel... panels) {
        return of(defaultTitle(List.of(panels)), caption, List.of(panels), 440, 440);
    }

    /**
     * Full control.
     *
     * @param title the figure's title (each panel's chart title is its name and ECE)
     * @param caption the provenance line
     * @param panels at least one
     * @param panelWidth pixels per panel
     * @param panelHeight pixels
     */
    public static ReliabilityDiagram of(String title, String caption, List<Panel> panels, int panelWidth,
            int panelHeight) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a reliability diagram needs at least one panel");
        }
        if (panelWidth < 100 || panelHeight < 100) {
            throw new IllegalArgumentException("panel size " + panelWidth + "x" + panelHeight + " is below 100x100");
        }
        return new ReliabilityDiagram(title, caption, panels, panelWidth, panelHeight);
    }

    /** The panels. */
    public List<Panel> panels() {
        return panels;
    }

    static String defaultTitle(List<Panel> panels) {
        List<String> labels = new ArrayList<>();
        for (Panel p : panels) {
            labels.add(p.label());
        }
        return (panels.size() == 1 ? "Reliability diagram: " : "Reliability diagrams: ") + String.join(" vs ", labels);
    }

    @Override
    List<XYChart> charts() {
        List<XYChart> charts = new ArrayList<>();
        for (Panel p : panels) {
            charts.add(chart(p));
        }
        return charts;
    }

    private XYChart chart(Panel p) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(p.name() + ": ECE " + percent(p.ece()))
                .xAxisTitle("confidence (n = " + p.total() + ", " + p.counts().length + " bins)")
                .yAxisTitle("accuracy").build();
        style(c.getStyler());
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        int b = p.counts().length;
        boolean first = true;
        for (int i = 0; i < b; i++) { // accuracy bars first, so the gaps are drawn over them
            if (p.counts()[i] == 0) {
                continue;
            }
            XYSeries s = rectangle(c, first ? "accuracy" : "accuracy " + i, p.binEdges()[i], p.binEdges()[i + 1], 0,
                    clamp01(p.accuracy()[i]));
            s.setFillColor(ACCURACY);
            s.setLineColor(ACCURACY.darker());
            s.setShowInLegend(first);
            first = false;
        }
        first = true;
        for (int i = 0; i < b; i++) {
            if (p.counts()[i] == 0) {
                continue;
            }
            double acc = clamp01(p.accuracy()[i]);
            double conf = clamp01(p.confidence()[i]);
            XYSeries s = rectangle(c, first ? "gap" : "gap " + i, p.binEdges()[i], p.binEdges()[i + 1],
                    Math.min(acc, conf), Math.max(acc, conf));
            s.setFillColor(GAP);
            s.setLineColor(new Color(214, 39, 40, 160));
            s.setShowInLegend(first);
            first = false;
        }
        XYSeries diagonal = c.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(new Color(60, 60, 60));
        diagonal.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        return c;
    }

    private static XYSeries rectangle(XYChart c, String name, double x0, double x1, double y0, double y1) {
        XYSeries s = c.addSeries(name, new double[] {x0, x0, x1, x1}, new double[] {y0, y1, y1, y0});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(new BasicStroke(0.8f));
        return s;
    }

    /** {@code sum_b n_b / N * |acc_b - conf_b|} over non-empty bins; 0 if there are no predictions. */
    static double binnedEce(double[] confidence, double[] accuracy, int[] counts) {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        if (n == 0) {
            return 0;
        }
        double e = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                e += (double) counts[i] / n * Math.abs(accuracy[i] - confidence[i]);
            }
        }
        return e;
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static double clamp01(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
