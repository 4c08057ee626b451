package dev.excon.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The summary of Ovadia et al. 2019 (figure 2): for each severity, the spread of a metric across the corruptions as a
 * box plot (a line at the median, a box from the first to the third quartile, whiskers to the minimum and maximum;
 * no outlier points), clean data first when known. Runs sit side by side in their own colour at every shift
 * intensity, so SupCon and ExCon can be compared. Drawn on an XChart XY chart (XChart's own box chart fixes its
 * colours and y range).
 *
 * <pre>{@code
 * SeveritySummary.of(Map.of("SupCon", supconGrid, "ExCon", exconGrid), provenance.caption()).savePng(path);
 * }</pre>
 */
public final class SeveritySummary extends ChartFigure {

    /** Run colours, in order (tab10). */
    static final Color[] RUN_COLORS = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75),
    };

    private final Map<String, SeverityGrid> runs;
    private final int width;
    private final int height;

    private SeveritySummary(String title, String caption, Map<String, SeverityGrid> runs, int width, int height) {
        super(title, caption);
        this.runs = runs;
        this.width = width;
        this.height = height;
    }

    /**
     * Box plots per severity for one or more runs (iteration order = left to right within a severity), all grids of
     * the same metric and number of severities.
     */
    public static SeveritySummary of(Map<String, SeverityGrid> runs, String caption) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a severity summary needs at least one run");
        }
        SeverityGrid first = runs.values().iterator().next();
        for (Map.Entry<String, SeverityGrid> e : runs.entrySet()) {
            SeverityGrid g = e.getValue();
            if (!g.metric().equals(first.metric()) || g.severities() != first.severities()) {
                throw new IllegalArgumentException("run " + e.getKey() + " has " + g.metric() + " at "
                        + g.severities() + " severities, the first run " + first.metric() + " at "
                        + first.severities() + "; compare one metric at a time");
            }
        }
        String title = first.metric() + " across " + first.corruptions().size() + " corruptions by severity";
        return new SeveritySummary(title, caption, new LinkedHashMap<>(runs), 620, 460);
    }

    @Override
    List<XYChart> charts() {
        SeverityGrid first = runs.values().iterator().next();
        XYChart c = new XYChartBuilder().width(width).height(height).title(title()).xAxisTitle("severity")
                .yAxisTitle(first.metric()).build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        boolean anyClean = runs.values().stream().anyMatch(g -> !Double.isNaN(g.clean()));
        int firstX = anyClean ? 0 : 1;
        c.getStyler().setXAxisMin(firstX - 0.6).setXAxisMax(first.severities() + 0.6);
        c.getStyler().setXAxisTickLabelsFormattingFunction(v -> {
            long k = Math.round(v);
            if (Math.abs(v - k) > 1e-6 || k < firstX || k > first.severities()) {
                return String.format(java.util.Locale.ROOT, "%.1f", v); // not expected: ticks fall on integers
            }
            return k == 0 ? "clean" : Long.toString(k);
        });
        c.getStyler().setPlotGridVerticalLinesVisible(false);
        int r = 0;
        int count = runs.size();
        double slot = 0.7 / count;
        for (Map.Entry<String, SeverityGrid> e : runs.entrySet()) {
            Color colour = RUN_COLORS[r % RUN_COLORS.length];
            double offset = (r - (count - 1) / 2.0) * slot;
            SeverityGrid g = e.getValue();
            boolean legend = true;
            for (int s = firstX; s <= g.severities(); s++) {
                double[] vals = s == 0 ? (Double.isNaN(g.clean()) ? new double[0] : new double[] {g.clean()})
                        : g.atSeverity(s);
                if (vals.length == 0) {
                    continue;
                }
                box(c, e.getKey(), s, s + offset, slot * 0.8, vals, colour, legend);
                legend = false;
            }
            r++;
        }
        return List.of(c);
    }

    /** Whiskers from min to max, a box from the first to the third quartile, a line at the median. */
    private static void box(XYChart c, String run, int severity, double x, double w, double[] values, Color colour,
            boolean legend) {
        double[] v = values.clone();
        Arrays.sort(v);
        double q1 = quantile(v, 0.25);
        double median = quantile(v, 0.5);
        double q3 = quantile(v, 0.75);
        String id = run + " @" + severity;
        XYSeries whisker = c.addSeries(id + " range", new double[] {x, x}, new double[] {v[0], v[v.length - 1]});
        whisker.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        whisker.setMarker(SeriesMarkers.NONE);
        whisker.setLineColor(colour.darker());
        whisker.setLineStyle(new BasicStroke(1.2f));
        whisker.setShowInLegend(false);
        double half = w / 2;
        XYSeries box = c.addSeries(legend ? run : id + " box", new double[] {x - half, x - half, x + half, x + half},
                new double[] {q1, Math.max(q3, q1 + 1e-9), Math.max(q3, q1 + 1e-9), q1});
        box.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        box.setMarker(SeriesMarkers.NONE);
        box.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 170));
        box.setLineColor(colour.darker());
        box.setLineStyle(new BasicStroke(1f));
        box.setShowInLegend(legend);
        XYSeries mid = c.addSeries(id + " median", new double[] {x - half, x + half}, new double[] {median, median});
        mid.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mid.setMarker(SeriesMarkers.NONE);
        mid.setLineColor(Color.BLACK);
        mid.setLineStyle(new BasicStroke(2f));
        mid.setShowInLegend(false);
    }

    /** The q-quantile of sorted values with linear interpolation (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The runs. */
    public Map<String, SeverityGrid> runs() {
        return new LinkedHashMap<>(runs);
    }
}
