package dev.excon.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.data.ChannelStats;
import dev.excon.model.ExconNetwork;
import dev.excon.model.Precision;
import dev.excon.model.ResNetSpec;
import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explainers;
import dev.excon.train.EncoderStep;
import dev.excon.train.Method;
import dev.excon.train.Sgd;
import dev.excon.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference's training step on CIFAR ResNet-18 with 100 classes, random data and random initialisation, the
 * reference README's flags (ExConB, background as negatives only, temperature 0.1, mask threshold 0.5).
 */
final class TrainBench {

    private TrainBench() {}

    static TrainConfig config(Method method, int batch, boolean shareBackgroundRows) {
        return TrainConfig.preset("paper-cifar100").toBuilder().name("bench").method(method).backbone("resnet18")
                .batchSize(batch).expEpochs(0).shareBackgroundRows(shareBackgroundRows).build();
    }

    static ExconNetwork network(long seed, Precision precision) {
        ExconNetwork net = ExconNetwork.builder().setSpec(ResNetSpec.RESNET18).setStats(ChannelStats.CIFAR100)
                .setImageSize(32).setNumClasses(100).optSeed(seed).build();
        net.backbone().setPrecision(precision);
        return net;
    }

    /** Median seconds per step (forward, backward, SGD update) over {@code steps} after {@code warm} warm-up steps. */
    static double[] stepSeconds(Method method, int batch, int warm, int steps, Precision precision,
            boolean shareBackgroundRows) {
        TrainConfig c = config(method, batch, shareBackgroundRows);
        try (ExconNetwork net = network(1, precision)) {
            EncoderStep step = new EncoderStep(c, net, ChannelStats.CIFAR100);
            Sgd sgd = new Sgd(net.encoderParameters(), 0.9f, 1e-4f);
            SplittableRandom rng = new SplittableRandom(3);
            double[] t = new double[steps];
            double background = 0;
            for (int s = 0; s < warm + steps; s++) {
                try (NDManager m = net.manager().newSubManager()) {
                    NDArray x = randomImages(m, batch, rng);
                    NDArray y = randomLabels(m, batch, rng);
                    long start = System.nanoTime();
                    EncoderStep.Outcome o = step.run(x, y, method.explains(), rng);
                    sgd.step(0.01f);
                    if (s >= warm) {
                        t[s - warm] = (System.nanoTime() - start) / 1e9;
                        background += o.background();
                    }
                }
            }
            return new double[] {median(t), background / steps};
        }
    }

    /** Images per second of Grad-CAM (forward, target backward, upsampling, normalisation), median of runs. */
    static double gradCamImagesPerSecond(int batch, int warm, int runs, Precision precision) {
        try (ExconNetwork net = network(1, precision)) {
            Explainer gc = Explainers.gradCam();
            SplittableRandom rng = new SplittableRandom(4);
            double[] t = new double[runs];
            for (int s = 0; s < warm + runs; s++) {
                try (NDManager m = net.manager().newSubManager()) {
                    NDArray x = randomImages(m, batch, rng);
                    NDArray y = randomLabels(m, batch, rng);
                    long start = System.nanoTime();
                    gc.explain(net, x, y).getFloat(0, 0, 0, 0);
                    if (s >= warm) {
                        t[s - warm] = (System.nanoTime() - start) / 1e9;
                    }
                }
            }
            return batch / median(t);
        }
    }

    /** RSS in bytes at step {@code from} and {@code to} of a long ExCon run, and the peak. */
    static long[] rssGrowth(Method method, int batch, int from, int to) {
        TrainConfig c = config(method, batch, true);
        long atFrom = 0;
        try (ExconNetwork net = network(1, Precision.FP32)) {
            EncoderStep step = new EncoderStep(c, net, ChannelStats.CIFAR100);
            Sgd sgd = new Sgd(net.encoderParameters(), 0.9f, 1e-4f);
            SplittableRandom rng = new SplittableRandom(5);
            for (int s = 1; s <= to; s++) {
                try (NDManager m = net.manager().newSubManager()) {
                    step.run(randomImages(m, batch, rng), randomLabels(m, batch, rng), method.explains(), rng);
                    sgd.step(0.01f);
                }
                if (s == from) {
                    atFrom = rss("VmRSS");
                }
                if (s % 50 == 0) {
                    System.out.printf("  ... step %d of %d, RSS %.2f GB%n", s, to, rss("VmRSS") / 1e9);
                }
            }
        }
        return new long[] {atFrom, rss("VmRSS"), rss("VmHWM")};
    }

    static NDArray randomImages(NDManager m, int n, SplittableRandom rng) {
        byte[] px = new byte[n * 3 * 32 * 32];
        rng.nextBytes(px);
        return m.create(java.nio.ByteBuffer.wrap(px), new Shape(n, 3, 32, 32), DataType.UINT8)
                .toType(DataType.FLOAT32, false).div(255f);
    }

    static NDArray randomLabels(NDManager m, int n, SplittableRandom rng) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(100);
        }
        return m.create(y);
    }

    /** A value from /proc/self/status in bytes (VmRSS now, VmHWM the peak), or -1 where there is no /proc. */
    static long rss(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
