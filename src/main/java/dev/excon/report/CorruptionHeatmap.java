package dev.excon.report;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A corruption-by-severity heatmap: rows corruptions (first at the top), columns severities 1-5 and their mean, one
 * colour per value on a light scale with the number written in the cell.
 *
 * <pre>{@code
 * CorruptionHeatmap.of(grid, "ExCon", provenance.caption()).savePng(path);
 * }</pre>
 */
public final class CorruptionHeatmap extends ChartFigure {

    /** A light yellow-green-blue scale on which black numbers stay readable. */
    static final Color[] LIGHT_SCALE = {
        new Color(255, 255, 217), new Color(237, 248, 177), new Color(199, 233, 180), new Color(127, 205, 187),
        new Color(65, 182, 196),
    };

    private final SeverityGrid grid;
    private final String decimalPattern;
    private final int width;
    private final int height;

    private CorruptionHeatmap(String title, String caption, SeverityGrid grid, String decimalPattern, int width,
            int height) {
        super(title, caption);
        this.grid = grid;
        this.decimalPattern = decimalPattern;
        this.width = width;
        this.height = height;
    }

    /** A heatmap of one run's grid, three decimals, sized to the number of corruptions. */
    public static CorruptionHeatmap of(SeverityGrid grid, String run, String caption) {
        String title = grid.metric() + " by corruption and severity" + (run == null || run.isEmpty() ? "" : ": " + run);
        return of(title, caption, grid, "0.000", 560, 130 + 32 * grid.corruptions().size());
    }

    /** Full control: title, caption, the grid, a {@link java.text.DecimalFormat} pattern for cells, pixel size. */
    public static CorruptionHeatmap of(String title, String caption, SeverityGrid grid, String decimalPattern,
            int width, int height) {
        new java.text.DecimalFormat(decimalPattern); // fail early on a bad pattern
        return new CorruptionHeatmap(title, caption, grid, decimalPattern, Math.max(200, width),
                Math.max(150, height));
    }

    /** The data. */
    public SeverityGrid grid() {
        return grid;
    }

    @Override
    List<HeatMapChart> charts() {
        HeatMapChart c = new HeatMapChartBuilder().width(width).height(height).title(title()).xAxisTitle("severity")
                .yAxisTitle("").build();
        var s = c.getStyler();
        style(s);
        s.setShowValue(true);
        s.setValueFontColor(Color.BLACK);
        s.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setHeatMapValueDecimalPattern(decimalPattern);
        s.setRangeColors(LIGHT_SCALE);
        s.setPiecewise(false);
        s.setDrawBorder(true);
        s.setPlotGridLinesVisible(false);
        s.setLegendVisible(false); // every cell carries its number
        s.setXAxisTickMarkSpacingHint(10);
        s.setYAxisTickMarkSpacingHint(10);
        double[] range = grid.range();
        double pad = range[1] > range[0] ? 0 : 0.5;
        s.setMin(range[0] - pad);
        s.setMax(range[1] + pad);
        int sev = grid.severities();
        List<String> xs = new ArrayList<>();
        for (int k = 1; k <= sev; k++) {
            xs.add(Integer.toString(k));
        }
        xs.add("mean");
        int rows = grid.corruptions().size();
        List<String> ys = new ArrayList<>();
        for (int r = rows - 1; r >= 0; r--) { // the chart's first category is at the bottom
            ys.add(grid.corruptions().get(r));
        }
        double[] means = grid.corruptionMeans();
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int y = rows - 1 - r;
            for (int k = 0; k < sev; k++) {
                double v = grid.values()[r][k];
                if (!Double.isNaN(v)) {
                    cells.add(new Number[] {k, y, v});
                }
            }
            if (!Double.isNaN(means[r])) {
                cells.add(new Number[] {sev, y, means[r]});
            }
        }
        c.addSeries(grid.metric(), xs, ys, cells);
        return List.of(c);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CorruptionHeatmap[%s, %d corruptions x %d severities; %s]", title(),
                grid.corruptions().size(), grid.severities(), caption());
    }
}
