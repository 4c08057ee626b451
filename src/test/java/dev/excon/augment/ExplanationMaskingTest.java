package dev.excon.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import dev.excon.data.ChannelStats;
import dev.excon.model.BatchNormMode;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ResNetSpec;
import dev.excon.saliency.Explainers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationMaskingTest {

    @Test
    void keepsPixelsAboveTheThresholdAndFillsTheRestWithTheMeanColour() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // A 3-channel 1x3 image; the same mask applies to every channel.
            NDArray img = m.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f},
                    new Shape(1, 3, 1, 3));
            NDArray map = m.create(new float[] {0.9f, 0.5f, 0.51f}, new Shape(1, 1, 1, 3));
            ExplanationMasking masking = new ExplanationMasking(0.5f, new float[] {0.25f, 0.5f, 0.75f});
            // 0.5 is not above the threshold: that pixel takes the fill colour, as the reference's "S > tau" keeps.
            float[] expected = {0.1f, 0.25f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.75f, 0.9f};
            assertArrayEquals(expected, masking.mask(img, map).toFloatArray(), 1e-7f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> masking.mask(img, m.ones(new Shape(1, 1, 2, 3))));
            assertTrue(e.getMessage().contains("(1, 1, 1, 3)"), e.getMessage());
        }
    }

    @Test
    void acceptsMaskedViewsTheClassifierStillRecognisesAndCollectsTheRest() {
        try (ExconNetwork net = ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.CIFAR10)
                .setImageSize(16).setNumClasses(3).optSeed(4).optDevice(Device.cpu()).build();
                NDManager m = net.manager().newSubManager()) {
            int n = 24;
            NDArray v0 = m.randomUniform(0, 1, new Shape(n, 3, 16, 16));
            NDArray backup = m.randomUniform(0, 1, new Shape(n, 3, 16, 16));
            ExplanationMasking masking = new ExplanationMasking(0.5f, ChannelStats.CIFAR10.mean());
            ExplanationMasking.Saliency gradCam = (x, t, mode) -> Explainers.gradCam().explain(net, x, t, mode);
            NDArray maps =
                    gradCam.maps(v0, m.zeros(new Shape(n), ai.djl.ndarray.types.DataType.INT64), BatchNormMode.EVAL);
            NDArray masked = masking.mask(v0, maps);
            long[] predicted = net.logits(masked).argMax(1).toLongArray();
            // Labels chosen so that about half of the masked images are still "recognised".
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 2 == 0 ? predicted[i] : (predicted[i] + 1) % 3;
            }
            NDArray y = m.create(labels);
            ExplanationMasking.Result r = masking.apply(net, gradCam, v0, y, backup, true);
            NDArray expectedMasks = masking.mask(v0, gradCam.maps(v0, y, BatchNormMode.EVAL));
            long[] expectedPred = net.logits(expectedMasks).argMax(1).toLongArray();
            float[] first = r.firstView().toFloatArray();
            float[] maskedPx = expectedMasks.toFloatArray();
            float[] backupPx = backup.toFloatArray();
            int per = 3 * 16 * 16;
            List<Integer> rejected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean ok = expectedPred[i] == labels[i];
                float[] want = ok ? maskedPx : backupPx;
                for (int p = 0; p < per; p++) {
                    assertEquals(want[i * per + p], first[i * per + p], 1e-6f, "image " + i);
                }
                if (!ok) {
                    rejected.add(i);
                }
            }
            assertEquals(n - rejected.size(), r.accepted());
            assertEquals(n, r.total());
            assertTrue(r.accepted() > 0 && !rejected.isEmpty(), "both branches exercised: " + rejected);
            assertEquals(rejected.size(), r.backgroundCount());
            float[] bg = r.background().toFloatArray();
            for (int k = 0; k < rejected.size(); k++) {
                int i = rejected.get(k);
                for (int p = 0; p < per; p++) {
                    assertEquals(maskedPx[i * per + p], bg[k * per + p], 1e-6f, "background " + k);
                }
            }
            assertTrue(r.keptFraction() > 0 && r.keptFraction() < 1);
            // ExCon without negatives collects nothing.
            assertNull(masking.apply(net, gradCam, v0, y, backup, false).background());
        }
    }

    /**
     * The reference explains and predicts with the encoder in train mode: three forwards per step (Grad-CAM on v0,
     * the prediction on the masked images, the unused prediction on v0), each using batch statistics and moving the
     * running statistics. Checked on the stem's batch norm against PyTorch's update rule computed here by hand:
     * running = 0.9 running + 0.1 batch (momentum 0.1), the variance unbiased, in the reference's pass order. Eval
     * mode must leave the statistics bit for bit as they were.
     */
    @Test
    void trainModePassesMoveTheRunningStatisticsAsTheReferencesThreeForwards() {
        try (ExconNetwork net = ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.CIFAR10)
                .setImageSize(16).setNumClasses(3).optSeed(5).optDevice(Device.cpu()).build();
                NDManager m = net.manager().newSubManager()) {
            int n = 12;
            // Bright images, so that masking (fill: the mean colour, about 0.47) moves the batch statistics clearly.
            java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
            float[] pixels = new float[n * 3 * 16 * 16];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) (0.7 + 0.3 * rng.nextDouble());
            }
            NDArray v0 = m.create(pixels, new Shape(n, 3, 16, 16));
            NDArray backup = v0.mul(0.5f);
            NDArray y = m.create(new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2});
            ExplanationMasking masking = new ExplanationMasking(0.5f, ChannelStats.CIFAR10.mean());
            ExplanationMasking.Saliency gradCam = (x, t, mode) -> Explainers.gradCam().explain(net, x, t, mode);
            Block stemConv = child(net.backbone(), "stem_conv");
            Block stemNorm = child(net.backbone(), "stem_bn");
            NDArray weight = param(stemConv, "weight");
            NDArray runningMean = param(stemNorm, "runningMean");
            NDArray runningVar = param(stemNorm, "runningVar");

            double[] mean0 = toDouble(runningMean.toFloatArray());
            double[] var0 = toDouble(runningVar.toFloatArray());
            masking.apply(net, gradCam, v0, y, backup, true, BatchNormMode.EVAL);
            assertArrayEquals(runningMean.toFloatArray(), toFloat(mean0), 0f, "eval mode moved the running mean");
            assertArrayEquals(runningVar.toFloatArray(), toFloat(var0), 0f, "eval mode moved the running variance");

            ExplanationMasking.Result r = masking.apply(net, gradCam, v0, y, backup, true, BatchNormMode.TRAIN);
            double[][] original = batchMoments(v0, weight);
            double[][] masked = batchMoments(r.masked(), weight);
            double[][][] passes = {original, masked, original}; // the reference's order
            double[] mean = mean0.clone();
            double[] var = var0.clone();
            for (double[][] p : passes) {
                for (int c = 0; c < mean.length; c++) {
                    mean[c] = 0.9 * mean[c] + 0.1 * p[0][c];
                    var[c] = 0.9 * var[c] + 0.1 * p[1][c];
                }
            }
            assertArrayEquals(toFloat(mean), runningMean.toFloatArray(), 2e-5f, "running mean after the passes");
            assertArrayEquals(toFloat(var), runningVar.toFloatArray(), 2e-4f, "running variance after the passes");
            // The order is visible: the masked pass last would give other values.
            double[] wrongOrder = mean0.clone();
            for (double[][] p : new double[][][] {original, original, masked}) {
                for (int c = 0; c < wrongOrder.length; c++) {
                    wrongOrder[c] = 0.9 * wrongOrder[c] + 0.1 * p[0][c];
                }
            }
            double gap = 0;
            for (int c = 0; c < mean.length; c++) {
                gap = Math.max(gap, Math.abs(wrongOrder[c] - mean[c]));
            }
            assertTrue(gap > 50 * 2e-5, "the test case tells the pass orders apart: " + gap);
        }
    }

    /** Per channel of the stem convolution's output: the batch mean and the unbiased batch variance. */
    private static double[][] batchMoments(NDArray images, NDArray weight) {
        float[] mu = ChannelStats.CIFAR10.mean();
        float[] sd = ChannelStats.CIFAR10.std();
        NDManager m = images.getManager();
        NDArray x = images.sub(m.create(mu, new Shape(1, 3, 1, 1))).div(m.create(sd, new Shape(1, 3, 1, 1)));
        NDArray out = Conv2d.conv2d(x, weight, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                .singletonOrThrow();
        long[] s = out.getShape().getShape();
        float[] v = out.toFloatArray();
        int channels = (int) s[1];
        long plane = s[2] * s[3];
        double[] mean = new double[channels];
        double[] var = new double[channels];
        long count = s[0] * plane;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < s[0]; i++) {
                for (long k = 0; k < plane; k++) {
                    sum += v[(int) ((i * channels + c) * plane + k)];
                }
            }
            mean[c] = sum / count;
            double sq = 0;
            for (int i = 0; i < s[0]; i++) {
                for (long k = 0; k < plane; k++) {
                    double d = v[(int) ((i * channels + c) * plane + k)] - mean[c];
                    sq += d * d;
                }
            }
            var[c] = sq / (count - 1);
        }
        return new double[][] {mean, var};
    }

    private static Block child(Block parent, String suffix) {
        for (var e : parent.getChildren()) {
            if (e.getKey().endsWith(suffix)) {
                return e.getValue();
            }
        }
        throw new AssertionError("no child block " + suffix + " in " + parent.getChildren().keys());
    }

    private static NDArray param(Block block, String name) {
        for (var e : block.getParameters()) {
            if (e.getKey().equals(name)) {
                return e.getValue().getArray();
            }
        }
        throw new AssertionError("no parameter " + name + " in " + block.getParameters().keys());
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
