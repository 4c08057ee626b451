package dev.excon.notebook;

import dev.excon.report.Html;
import dev.excon.train.EpochResult;
import dev.excon.train.StepEvent;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * The state of a training run as {@link LiveProgress} shows it, and its rendering: a progress bar, the loss and
 * accuracy as sparklines, acceptance rate, images per second and the time left. Plain HTML and inline SVG (no
 * script), so an exported notebook shows the same thing offline; a text/plain form for consoles.
 */
public final class ProgressView {

    /** Share of an epoch's work the encoder phase stands for in the bar (the classifier phase is much cheaper). */
    static final double ENCODER_SHARE = 0.85;

    private static final int SPARK_POINTS = 120;

    private String title = "training";
    private int epochs = 1;
    private int epoch;
    private boolean twoPhases = true;
    private StepEvent.Phase phase;
    private int step;
    private int steps;
    private float lastLoss = Float.NaN;
    private double acceptance = Double.NaN;
    private double imagesPerSecond = Double.NaN;
    private Duration eta;
    private final List<Float> losses = new ArrayList<>();
    private final List<Double> validation = new ArrayList<>();
    private final List<Double> test = new ArrayList<>();
    private int bestEpoch;
    private double bestValidation = Double.NaN;
    private double bestTest = Double.NaN;
    private double lastTest = Double.NaN;
    private int lastEpoch;
    private boolean finished;
    private long startNanos = System.nanoTime();
    private double seconds = Double.NaN;

    /** Before the first step: what runs, how long, from which epoch (after a resume, the next one). */
    public synchronized void start(TrainConfig config, int firstEpoch) {
        title = config.name() + " \u00b7 " + config.method() + " \u00b7 " + config.backbone() + " on "
                + config.dataset();
        epochs = config.epochs();
        epoch = firstEpoch - 1;
        twoPhases = config.method() != dev.excon.train.Method.CE;
        phase = null;
        finished = false;
        startNanos = System.nanoTime();
    }

    /** After every optimisation step. */
    public synchronized void step(StepEvent e) {
        epoch = e.epoch();
        epochs = e.epochs();
        phase = e.phase();
        step = e.step();
        steps = e.steps();
        if (e.phase() == StepEvent.Phase.ENCODER) {
            lastLoss = e.loss();
            losses.add(e.loss());
            if (!Double.isNaN(e.acceptanceRate())) {
                acceptance = e.acceptanceRate();
            }
        }
        imagesPerSecond = e.imagesPerSecond();
        eta = e.eta();
    }

    /** After every epoch. */
    public synchronized void epoch(EpochResult r) {
        epoch = r.epoch();
        phase = null;
        validation.add(r.validationAccuracy());
        test.add(r.testAccuracy());
        if (r.best()) {
            bestEpoch = r.epoch();
            bestValidation = r.validationAccuracy();
            bestTest = r.testAccuracy();
        }
    }

    /** When the run ends normally. */
    public synchronized void end(TrainingResult result) {
        finished = true;
        seconds = (System.nanoTime() - startNanos) / 1e9;
        if (result.bestEpoch() > 0) {
            EpochResult b = result.best();
            bestEpoch = b.epoch();
            bestValidation = b.validationAccuracy();
            bestTest = b.testAccuracy();
            lastEpoch = result.last().epoch();
            lastTest = result.last().testAccuracy();
        }
    }

    /** Share of the run done, 0 to 1. */
    public synchronized double fraction() {
        if (finished) {
            return 1;
        }
        double inEpoch = 0;
        if (phase != null && steps > 0) {
            double p = (double) step / steps;
            double encoder = twoPhases ? ENCODER_SHARE : 1;
            inEpoch = phase == StepEvent.Phase.ENCODER ? p * encoder : encoder + p * (1 - encoder);
            inEpoch = Math.min(inEpoch, 1);
            return Math.min(1, (epoch - 1 + inEpoch) / epochs);
        }
        return Math.min(1, Math.max(0, (double) epoch / epochs));
    }

    /** The current state as text/html and text/plain. */
    public synchronized DisplayData render() {
        DisplayData d = new DisplayData(text());
        d.putHTML(html());
        return d;
    }

    /** One line of plain text. */
    public synchronized String text() {
        double f = fraction();
        int filled = (int) Math.round(f * 20);
        StringBuilder s = new StringBuilder();
        s.append(title).append("  [").append("#".repeat(filled)).append(".".repeat(20 - filled)).append("] ")
                .append(percent(f));
        s.append("  ").append(status());
        if (!Float.isNaN(lastLoss)) {
            s.append("  loss ").append(fmt(lastLoss)).append(' ').append(blocks(downsample(losses)));
        }
        if (!validation.isEmpty()) {
            if (!Double.isNaN(last(validation))) {
                s.append("  val ").append(percent(last(validation)));
            }
            s.append(" test ").append(percent(last(test)));
        }
        if (!Double.isNaN(acceptance)) {
            s.append("  accepted ").append(percent(acceptance));
        }
        if (!finished && !Double.isNaN(imagesPerSecond)) {
            s.append("  ").append(String.format(Locale.ROOT, "%.0f img/s", imagesPerSecond));
        }
        if (!finished && eta != null) {
            s.append("  ETA ").append(clock(eta.toSeconds()));
        }
        return s.toString();
    }

    private String status() {
        if (finished) {
            // Without a validation split the best epoch is chosen on test accuracy (the reference's way): say so.
            String best = bestEpoch == 0 ? "" : Double.isNaN(bestValidation)
                    ? ", best epoch by test accuracy " + bestEpoch + ": test " + percent(bestTest) + ", last epoch "
                            + lastEpoch + ": test " + percent(lastTest)
                    : ", best epoch " + bestEpoch + ": val " + percent(bestValidation) + " test " + percent(bestTest);
            return "done in " + clock(Math.round(seconds)) + best;
        }
        if (phase == null) {
            return epoch == 0 ? "starting" : "epoch " + epoch + "/" + epochs + " done";
        }
        return "epoch " + epoch + "/" + epochs + " \u00b7 " + (phase == StepEvent.Phase.ENCODER ? "encoder" : "classifier")
                + " step " + step + "/" + steps;
    }

    /** Static HTML: bar, figures, inline SVG sparklines. */
    public synchronized String html() {
        double f = fraction();
        StringBuilder h = new StringBuilder(2048);
        h.append("<div class=\"excon-progress\" style=\"font-family:monospace;font-size:12px;line-height:1.6\">");
        h.append("<div><b>").append(Html.escape(title)).append("</b> &middot; ").append(Html.escape(status()))
                .append("</div>");
        String colour = finished ? "#55a868" : "#4c72b0";
        h.append("<div style=\"display:flex;align-items:center;gap:8px\">")
                .append("<div style=\"background:#e5e5e5;width:320px;height:10px;border-radius:3px;overflow:hidden\">")
                .append("<div style=\"background:").append(colour).append(";width:")
                .append(String.format(Locale.ROOT, "%.1f", f * 100)).append("%;height:100%\"></div></div>")
                .append("<span>").append(percent(f)).append("</span></div>");
        h.append("<div>");
        if (!Float.isNaN(lastLoss)) {
            h.append("loss <b>").append(fmt(lastLoss)).append("</b> ")
                    .append(sparkline(downsample(losses), "#c44e52")).append(" &nbsp; ");
        }
        if (!validation.isEmpty() && Double.isNaN(last(validation))) {
            h.append("accuracy test <b>").append(percent(last(test))).append("</b> ").append(sparkline(test, "#4c72b0"))
                    .append(" &nbsp; ");
        } else if (!validation.isEmpty()) {
            h.append("accuracy val <b>").append(percent(last(validation))).append("</b> test <b>")
                    .append(percent(last(test))).append("</b> ").append(sparkline(validation, "#4c72b0"))
                    .append(" &nbsp; ");
        }
        if (!Double.isNaN(acceptance)) {
            h.append("masks accepted <b>").append(percent(acceptance)).append("</b> &nbsp; ");
        }
        if (!finished && !Double.isNaN(imagesPerSecond)) {
            h.append(String.format(Locale.ROOT, "%.0f img/s", imagesPerSecond)).append(" &nbsp; ");
        }
        if (!finished && eta != null) {
            h.append("ETA ").append(clock(eta.toSeconds()));
        }
        h.append("</div></div>");
        return h.toString();
    }

    /** An inline SVG polyline of {@code values} (NaN skipped), scaled to its own range. */
    static String sparkline(List<? extends Number> values, String colour) {
        List<double[]> pts = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i).doubleValue();
            if (Double.isFinite(v)) {
                pts.add(new double[] {i, v});
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        int w = 120;
        int hgt = 18;
        StringBuilder s = new StringBuilder("<svg width=\"" + w + "\" height=\"" + hgt
                + "\" style=\"vertical-align:middle\" xmlns=\"http://www.w3.org/2000/svg\">");
        if (!pts.isEmpty()) {
            double span = max - min > 1e-12 ? max - min : 1;
            int n = Math.max(1, values.size() - 1);
            s.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"");
            for (double[] p : pts) {
                double x = pts.size() == 1 ? w / 2.0 : 1 + p[0] / n * (w - 2);
                double y = hgt - 2 - (p[1] - min) / span * (hgt - 4);
                s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append("\"/>");
        }
        return s.append("</svg>").toString();
    }

    /** At most {@value #SPARK_POINTS} points: bucket means of the series. */
    static List<Double> downsample(List<? extends Number> values) {
        List<Double> out = new ArrayList<>();
        int n = values.size();
        if (n <= SPARK_POINTS) {
            for (Number v : values) {
                out.add(v.doubleValue());
            }
            return out;
        }
        for (int b = 0; b < SPARK_POINTS; b++) {
            int from = (int) ((long) b * n / SPARK_POINTS);
            int to = (int) ((long) (b + 1) * n / SPARK_POINTS);
            double sum = 0;
            int k = 0;
            for (int i = from; i < to; i++) {
                double v = values.get(i).doubleValue();
                if (Double.isFinite(v)) {
                    sum += v;
                    k++;
                }
            }
            out.add(k == 0 ? Double.NaN : sum / k);
        }
        return out;
    }

    /** A text sparkline of block characters (last 30 points). */
    static String blocks(List<Double> values) {
        String ticks = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
        List<Double> v = values.subList(Math.max(0, values.size() - 30), values.size());
        double min = v.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).min().orElse(0);
        double max = v.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(1);
        double span = max - min > 1e-12 ? max - min : 1;
        StringBuilder s = new StringBuilder();
        for (double x : v) {
            s.append(Double.isFinite(x) ? ticks.charAt((int) Math.round((x - min) / span * 7)) : ' ');
        }
        return s.toString();
    }

    private static double last(List<Double> v) {
        return v.get(v.size() - 1);
    }

    private static String percent(double f) {
        return Double.isNaN(f) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", f * 100);
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Seconds as m:ss or h:mm:ss. */
    static String clock(long seconds) {
        long s = Math.max(0, seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
