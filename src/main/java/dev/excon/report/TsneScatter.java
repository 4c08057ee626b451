package dev.excon.report;

import dev.excon.eval.embedding.TsneResult;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A t-SNE scatter plot: one colour per class, a legend with the class names (up to 20 classes; more are drawn
 * without a legend), axes without units (t-SNE distances have none).
 *
 * <pre>{@code
 * TsneScatter.of(Tsne.embed(features, labels, names), "ExCon features, first 10 classes", provenance.caption());
 * }</pre>
 */
public final class TsneScatter extends ChartFigure {

    /** tab20's colours: ten strong, then ten light. */
    static final Color[] CLASS_COLORS = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207), new Color(174, 199, 232), new Color(255, 187, 120),
        new Color(152, 223, 138), new Color(255, 152, 150), new Color(197, 176, 213), new Color(196, 156, 148),
        new Color(247, 182, 210), new Color(199, 199, 199), new Color(219, 219, 141), new Color(158, 218, 229),
    };
    private static final Marker[] SHAPES = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};
    static final int MAX_LEGEND = 20;

    private final TsneResult result;
    private final int width;
    private final int height;

    private TsneScatter(String title, String caption, TsneResult result, int width, int height) {
        super(title, caption);
        this.result = result;
        this.width = width;
        this.height = height;
    }

    /** A 640 x 520 scatter; the t-SNE settings are appended to the caption. */
    public static TsneScatter of(TsneResult result, String title, String caption) {
        return of(result, title, caption, 640, 520);
    }

    /** Full control of the size. */
    public static TsneScatter of(TsneResult result, String title, String caption, int width, int height) {
        String c = (caption == null || caption.isEmpty() ? "" : caption + "; ") + result.parameters().summary();
        return new TsneScatter(title, c, result, Math.max(200, width), Math.max(200, height));
    }

    /** The embedding. */
    public TsneResult result() {
        return result;
    }

    @Override
    List<XYChart> charts() {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title()).xAxisTitle("t-SNE 1")
                .yAxisTitle("t-SNE 2").build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(6);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisTicksVisible(false);
        c.getStyler().setYAxisTicksVisible(false);
        List<String> names = result.classNames();
        boolean legend = names.size() <= MAX_LEGEND;
        c.getStyler().setLegendVisible(legend);
        for (int k = 0; k < names.size(); k++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < result.size(); i++) {
                if (result.labels()[i] == k) {
                    xs.add(result.x()[i]);
                    ys.add(result.y()[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = c.addSeries(uniqueName(names.get(k), k, names), xs, ys);
            Color col = CLASS_COLORS[k % CLASS_COLORS.length];
            s.setMarkerColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 200));
            s.setMarker(SHAPES[(k / CLASS_COLORS.length) % SHAPES.length]);
        }
        return List.of(c);
    }

    private static String uniqueName(String name, int k, List<String> names) {
        return names.indexOf(name) == k ? name : name + " (" + k + ")";
    }
}
