package dev.excon.bench;

import ai.djl.Device;
import dev.excon.data.DataPaths;
import dev.excon.train.EpochResult;
import dev.excon.train.ExconTrainer;
import dev.excon.train.Method;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingData;
import dev.excon.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code make bench BENCH=quick}: the {@code quick} preset on the real Fashion-MNIST, SupCon then ExCon, on the CPU,
 * printing per epoch the seconds since the run started (data loading included), the training images the encoder has
 * seen and the linear probe's test accuracy; then the best epoch's test accuracy against the preset's 80% target.
 * The load average is printed too: another process on the CPU makes the seconds read high.
 */
final class QuickBench {

    /** The accuracy the quick preset is chosen to reach within about two minutes on 2 cores. */
    static final double TARGET = 0.80;

    private QuickBench() {}

    static void run() {
        boolean present = Files.isRegularFile(DataPaths.fashionMnist().resolve("train-images-idx3-ubyte.gz"))
                || Files.isRegularFile(DataPaths.fashionMnist().resolve("train-images-idx3-ubyte"));
        System.out.println();
        if (!present) {
            String msg = "quick: Fashion-MNIST not under " + DataPaths.fashionMnist() + " (install Debian's "
                    + "dataset-fashion-mnist or put the IDX files there)";
            if ("1".equals(System.getenv("EXCON_REQUIRE_REAL_DATA"))) {
                throw new IllegalStateException(msg);
            }
            System.out.println(msg + "; skipped");
            return;
        }
        for (Method method : new Method[] {Method.SUPCON, Method.EXCON}) {
            one(TrainConfig.preset("quick").toBuilder().method(method).build());
        }
    }

    private static void one(TrainConfig c) {
        System.out.println("quick preset, " + c.method() + ": " + c);
        System.out.printf("load average at start: %s%n", loadAverage());
        System.out.printf("%-6s %9s %13s %10s %10s%n", "epoch", "seconds", "images seen", "val acc", "test acc");
        long start = System.nanoTime();
        TrainingData data = TrainingData.load(c);
        int trainImages = data.train().size();
        try (ExconTrainer t = ExconTrainer.create(c, data, null, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onEpoch(EpochResult r) {
                    System.out.printf("%-6d %9.1f %13d %9.2f%% %9.2f%%%s%n", r.epoch(),
                            (System.nanoTime() - start) / 1e9, (long) trainImages * r.epoch(),
                            100 * r.validationAccuracy(), 100 * r.testAccuracy(), r.best() ? "  best" : "");
                }
            });
            var result = t.fit();
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochResult best = result.best();
            System.out.printf("%s: best epoch %d (by %s), test accuracy %.2f%% on %d images, target %.0f%%: %s; "
                    + "%.1f s in all, load average at end: %s%n%n", c.method(), best.epoch(), c.selectionMeasure(),
                    100 * best.testAccuracy(), data.test().size(), 100 * TARGET,
                    best.testAccuracy() >= TARGET ? "reached" : "NOT reached", seconds, loadAverage());
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }
}
