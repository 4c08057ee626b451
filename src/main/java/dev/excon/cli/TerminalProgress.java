package dev.excon.cli;

import dev.excon.train.EpochResult;
import dev.excon.train.StepEvent;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingListener;
import dev.excon.train.TrainingResult;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line progress bar on a terminal (redrawn with carriage returns, at most every 200 ms) and one summary line per
 * epoch. On a pipe or a log file ({@code interactive = false}) only the epoch lines are written.
 */
public final class TerminalProgress implements TrainingListener {

    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean interactive;
    private long lastDraw;

    /**
     * @param out where to write (stderr for the command line)
     * @param interactive whether to redraw a progress bar in place
     */
    public TerminalProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void onStart(TrainConfig config, int firstEpoch, int batchesPerEpoch) {
        out.printf("%s: %s on %s, %s, %d epochs of %d steps%s%n", config.name(), config.method(), config.dataset(),
                config.backbone(), config.epochs(), batchesPerEpoch,
                firstEpoch > 1 ? ", resuming at epoch " + firstEpoch : "");
    }

    @Override
    public void onNote(String note) {
        out.println("note: " + note);
    }

    @Override
    public void onStep(StepEvent e) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && e.step() != e.steps()) {
            return;
        }
        lastDraw = now;
        int filled = (int) Math.round(BAR * (double) e.step() / e.steps());
        String bar = "#".repeat(filled) + ".".repeat(BAR - filled);
        String acceptance = Double.isNaN(e.acceptanceRate()) ? "" : String.format(" kept %.0f%%", 100 * e.acceptanceRate());
        out.printf("\r%-10s [%s] epoch %d/%d step %d/%d loss %.4f lr %.4g%s %.1f img/s ETA %s   ",
                e.phase().name().toLowerCase(), bar, e.epoch(), e.epochs(), e.step(), e.steps(), e.loss(),
                e.learningRate(), acceptance, e.imagesPerSecond(), format(e.eta()));
        out.flush();
    }

    @Override
    public void onEpoch(EpochResult r) {
        if (interactive) {
            out.print("\r" + " ".repeat(120) + "\r");
        }
        boolean onTest = Double.isNaN(r.validationAccuracy());
        out.printf("epoch %d: encoder loss %.4f, classifier loss %.4f, %stest acc %.2f%%%s, %.0f s%s%n",
                r.epoch(), r.encoderLoss(), r.classifierLoss(),
                onTest ? "" : String.format("val acc %.2f%%, ", 100 * r.validationAccuracy()), 100 * r.testAccuracy(),
                Double.isNaN(r.acceptanceRate()) ? "" : String.format(", masks kept %.1f%%", 100 * r.acceptanceRate()),
                r.seconds(), r.best() ? (onTest ? " (best by test acc)" : " (best)") : "");
    }

    @Override
    public void onEnd(TrainingResult result) {
        EpochResult best = result.best();
        EpochResult last = result.last();
        if (result.config().selectsOnTest()) {
            // The reference's number: the maximum test accuracy over epochs, an optimistic estimate.
            out.printf("done: %s: epoch %d, test acc %.2f%% (chosen on the test set, as the reference does: "
                    + "optimistic); last epoch %d: test acc %.2f%%%n", result.bestLabel(), best.epoch(),
                    100 * best.testAccuracy(), last.epoch(), 100 * last.testAccuracy());
        } else {
            out.printf("done: %s: epoch %d, val acc %.2f%%, test acc %.2f%%; last epoch %d: val acc %.2f%%, test acc "
                    + "%.2f%%%n", result.bestLabel(), best.epoch(), 100 * best.validationAccuracy(),
                    100 * best.testAccuracy(), last.epoch(), 100 * last.validationAccuracy(),
                    100 * last.testAccuracy());
        }
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
