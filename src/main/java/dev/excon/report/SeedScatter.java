package dev.excon.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Per-seed values of several groups (usually methods), one panel per measure: each seed's value as a point, and
 * beside it the mean with an error bar (usually its 95% t interval). Showing every seed keeps a mean from hiding one
 * odd run.
 *
 * <pre>{@code
 * SeedScatter.builder().title("Per-seed results").caption(provenance.caption())
 *         .add("top-1", "SUPCON", new double[] {0.70, 0.72, 0.69}, 0.7033, 0.0379)
 *         .add("top-1", "EXCON", new double[] {0.72, 0.74, 0.71}, 0.7233, 0.0379)
 *         .build().savePng(path);
 * }</pre>
 */
public final class SeedScatter extends ChartFigure {

    /** One group in one panel: its per-seed values, mean and error-bar half-width (NaN draws no bar). */
    public record Group(String name, double[] values, double mean, double halfWidth) {

        /** Copies the values. */
        public Group {
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }
    }

    private static final double OFFSET = 0.15;
    private final Map<String, List<Group>> panels;
    private final int width;
    private final int height;

    private SeedScatter(Builder b) {
        super(b.title, b.caption);
        this.panels = new LinkedHashMap<>();
        b.panels.forEach((k, v) -> panels.put(k, List.copyOf(v)));
        this.width = b.width;
        this.height = b.height;
    }

    /** A builder; panels 420 x 360 pixels by default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The panels (measure to groups), in the order added. */
    public Map<String, List<Group>> panels() {
        return new LinkedHashMap<>(panels);
    }

    @Override
    List<XYChart> charts() {
        List<XYChart> out = new ArrayList<>();
        for (Map.Entry<String, List<Group>> p : panels.entrySet()) {
            List<Group> groups = p.getValue();
            XYChart c = new XYChartBuilder().width(width).height(height).title(p.getKey())
                    .xAxisTitle("dots: one per seed; black: mean ± 95% t interval").yAxisTitle(p.getKey())
                    .build();
            style(c.getStyler());
            c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            // groups side by side at x = 1, 2, ...; the legend names them (XChart cannot label chosen x ticks)
            c.getStyler().setXAxisTicksVisible(false);
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
            c.getStyler().setMarkerSize(7);
            c.getStyler().setErrorBarsColorSeriesColor(false);
            c.getStyler().setErrorBarsColor(java.awt.Color.BLACK);
            c.getStyler().setXAxisMin(0.5).setXAxisMax(groups.size() + 0.5);
            List<Double> mx = new ArrayList<>();
            List<Double> my = new ArrayList<>();
            List<Double> me = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                Group group = groups.get(g);
                double[] y = group.values;
                double[] x = new double[y.length];
                for (int i = 0; i < y.length; i++) {
                    // points spread a little around their slot so equal values stay visible, in seed order
                    x[i] = g + 1 - OFFSET + (y.length == 1 ? 0 : 0.1 * i / (y.length - 1) - 0.05);
                }
                c.addSeries(group.name(), x, y);
                mx.add(g + 1 + OFFSET);
                my.add(group.mean());
                me.add(Double.isNaN(group.halfWidth()) ? 0 : group.halfWidth());
            }
            XYSeries mean = c.addSeries("mean ± 95% CI", mx, my, me);
            mean.setMarker(SeriesMarkers.DIAMOND);
            mean.setMarkerColor(java.awt.Color.BLACK);
            mean.setLineColor(java.awt.Color.BLACK);
            mean.setShowInLegend(false); // the axis title says what the diamonds are
            out.add(c);
        }
        return out;
    }

    /** Builder: the panels and groups in the order added. */
    public static final class Builder {
        private String title = "Per-seed results";
        private String caption = "";
        private int width = 420;
        private int height = 360;
        private final Map<String, List<Group>> panels = new LinkedHashMap<>();

        private Builder() {}

        /** The title (default "Per-seed results"). */
        public Builder title(String t) {
            this.title = t;
            return this;
        }

        /** The provenance line. */
        public Builder caption(String c) {
            this.caption = c;
            return this;
        }

        /** The size of each panel in pixels (default 420 x 360). */
        public Builder size(int w, int h) {
            if (w < 100 || h < 100) {
                throw new IllegalArgumentException("size " + w + "x" + h + " is below 100x100");
            }
            this.width = w;
            this.height = h;
            return this;
        }

        /**
         * One group in panel {@code panel} (created on first use): its finite per-seed values (at least one), their
         * mean and the error bar's half-width (NaN for none, e.g. one seed).
         */
        public Builder add(String panel, String group, double[] values, double mean, double halfWidth) {
            if (values == null || values.length == 0 || Double.isNaN(mean)) {
                throw new IllegalArgumentException("panel '" + panel + "', group '" + group + "': values="
                        + (values == null ? "null" : values.length + " value(s)") + ", mean=" + mean
                        + "; give at least one value and its mean (leave out a group with no run)");
            }
            List<Group> groups = panels.computeIfAbsent(panel, k -> new ArrayList<>());
            if (groups.stream().anyMatch(g -> g.name().equals(group))) {
                throw new IllegalArgumentException("panel '" + panel + "' already has group '" + group + "'");
            }
            groups.add(new Group(group, values, mean, halfWidth));
            return this;
        }

        /** The figure. */
        public SeedScatter build() {
            if (panels.isEmpty()) {
                throw new IllegalArgumentException("a seed scatter needs at least one group: call add");
            }
            return new SeedScatter(this);
        }
    }
}
