package dev.excon.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Robustness curves: a metric (usually accuracy) against attack strength epsilon, one line with markers per run, as
 * in adversarial-robustness comparisons of SupCon and ExCon.
 *
 * <pre>{@code
 * RobustnessCurves.of("FGSM", new double[] {0, 1/255., 2/255., 4/255.},
 *         Map.of("SupCon", supcon, "ExCon", excon), provenance.caption()).savePng(path);
 * }</pre>
 */
public final class RobustnessCurves extends ChartFigure {

    private final String xLabel;
    private final String yLabel;
    private final Map<String, double[][]> runs;
    private final boolean unitRange;
    private final int width;
    private final int height;

    private RobustnessCurves(Builder b) {
        super(b.title, b.caption);
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.runs = new LinkedHashMap<>(b.runs);
        this.unitRange = b.unitRange;
        this.width = b.width;
        this.height = b.height;
    }

    /**
     * Accuracy against epsilon, every run on the same epsilons.
     *
     * @param attack the attack's name, for the title (e.g. "FGSM")
     * @param epsilons the x values, increasing
     * @param accuracyByRun run name to accuracies (one per epsilon, in [0, 1]); iteration order is legend order
     * @param caption the provenance line
     */
    public static RobustnessCurves of(String attack, double[] epsilons, Map<String, double[]> accuracyByRun,
            String caption) {
        Builder b = builder().title("Robustness to " + attack + ": accuracy vs epsilon").caption(caption);
        accuracyByRun.forEach((run, acc) -> b.addRun(run, epsilons, acc));
        return b.build();
    }

    /** A builder with axis labels "epsilon" and "accuracy", y from 0 to 1, 560 x 420 pixels. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    List<XYChart> charts() {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title()).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(7);
        if (unitRange) {
            c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        }
        for (Map.Entry<String, double[][]> e : runs.entrySet()) {
            XYSeries s = c.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setLineStyle(new java.awt.BasicStroke(2f));
        }
        return List.of(c);
    }

    /** The runs as name to {x values, y values}. */
    public Map<String, double[][]> runs() {
        Map<String, double[][]> copy = new LinkedHashMap<>();
        runs.forEach((k, v) -> copy.put(k, new double[][] {v[0].clone(), v[1].clone()}));
        return copy;
    }

    /** Builder: {@code setX} for required values, {@code optX}-style named setters for the rest. */
    public static final class Builder {
        private String title = "Robustness";
        private String caption = "";
        private String xLabel = "epsilon";
        private String yLabel = "accuracy";
        private boolean unitRange = true;
        private int width = 560;
        private int height = 420;
        private final Map<String, double[][]> runs = new LinkedHashMap<>();

        private Builder() {}

        /** The title. */
        public Builder title(String t) {
            this.title = t;
            return this;
        }

        /** The provenance line. */
        public Builder caption(String c) {
            this.caption = c;
            return this;
        }

        /** The x-axis label (default "epsilon"). */
        public Builder xLabel(String l) {
            this.xLabel = l;
            return this;
        }

        /** The y-axis label (default "accuracy"). */
        public Builder yLabel(String l) {
            this.yLabel = l;
            return this;
        }

        /** Whether the y axis spans [0, 1] (default true); false fits the data. */
        public Builder unitRange(boolean u) {
            this.unitRange = u;
            return this;
        }

        /** Pixel size (default 560 x 420). */
        public Builder size(int w, int h) {
            if (w < 100 || h < 100) {
                throw new IllegalArgumentException("size " + w + "x" + h + " is below 100x100");
            }
            this.width = w;
            this.height = h;
            return this;
        }

        /** One line: x values and y values of equal, non-zero length. */
        public Builder addRun(String name, double[] x, double[] y) {
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("run " + name + ": x.length=" + x.length + ", y.length="
                        + y.length + "; expected equal, non-zero lengths (one accuracy per epsilon)");
            }
            if (runs.containsKey(name)) {
                throw new IllegalArgumentException("run " + name + " was already added");
            }
            runs.put(name, new double[][] {x.clone(), y.clone()});
            return this;
        }

        /** The figure. */
        public RobustnessCurves build() {
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("robustness curves need at least one run: call addRun");
            }
            return new RobustnessCurves(this);
        }
    }

    /** The run names, in legend order. */
    public List<String> runNames() {
        return new ArrayList<>(runs.keySet());
    }
}
