package dev.excon.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ResNet;
import dev.excon.model.ResNetSpec;
import dev.excon.model.Tap;
import org.junit.jupiter.api.Test;

class GradCamTest {

    /**
     * At the last stage's output the features are the spatial mean of A and the logits W mean(A) + b, so d f_c / d
     * A^k_uv = W_ck / (h w) and the map is sum_k W_ck A^k / (h w): computed here on the host from the activation and
     * the classifier weight.
     */
    @Test
    void atTheLastStageOutputTheMapIsTheAnalyticOne() {
        Tap last = Tap.output(ResNetSpec.SMALL.stages());
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, 3, 1);
            long[] c = {0, 3, 4};
            NDArray a = net.backbone().forwardToTap(net.store(), x, false, last).activation();
            Shape s = a.getShape(); // (3, 128, 4, 4)
            int k = (int) s.get(1);
            int hw = (int) (s.get(2) * s.get(3));
            float[] act = a.toFloatArray();
            Parameter weight = net.classifierParameters().stream()
                    .filter(p -> p.getType() == Parameter.Type.WEIGHT).findFirst().orElseThrow();
            assertEquals(new Shape(Fixtures.CLASSES, k), weight.getArray().getShape());
            float[] w = weight.getArray().toFloatArray();
            float[] expected = new float[3 * hw];
            for (int i = 0; i < 3; i++) {
                for (int ch = 0; ch < k; ch++) {
                    for (int p = 0; p < hw; p++) {
                        expected[i * hw + p] += w[(int) c[i] * k + ch] * act[(i * k + ch) * hw + p] / hw;
                    }
                }
            }
            GradCam gradCam = GradCam.builder().optTap(last).build();
            NDArray maps = gradCam.tapMaps(net, x, Target.classes(m.create(c)));
            assertEquals(new Shape(3, 1, 4, 4), maps.getShape());
            float scale = Fixtures.maxAbs(expected);
            assertTrue(scale > 0);
            assertArrayEquals(expected, maps.toFloatArray(), 1e-5f * scale);

            // The same after upsampling both the same way, through the public raw map.
            NDArray expectedUp = m.create(expected, new Shape(3, 1, 4, 4)).getNDArrayInternal()
                    .interpolation(new long[] {16, 16}, Image.Interpolation.BILINEAR.ordinal(), false);
            NDArray raw = gradCam.explainRaw(net, x, Target.classes(m.create(c)));
            assertEquals(new Shape(3, 1, 16, 16), raw.getShape());
            assertArrayEquals(expectedUp.toFloatArray(), raw.toFloatArray(), 1e-5f * scale);

            // A network built with that tap gives the same map through the default factory.
            try (ExconNetwork tapped = Fixtures.network(last)) {
                NDArray viaNet = Explainers.gradCam().tapMaps(tapped, x, Target.classes(m.create(c)));
                assertArrayEquals(expected, viaNet.toFloatArray(), 1e-5f * scale);
            }
        }
    }

    /**
     * At an inner tap (the reference's: the last convolution of stage 2) each channel weight mean_uv d f_c / d A^k_uv
     * is checked against central differences: shifting the whole channel k by +-h changes f_c by about 2 h sum_uv d
     * f_c / d A^k_uv, computed by running the rest of the network from the perturbed activation. The network is only
     * piecewise linear (ReLUs) and float32 rounds the logits, so a few channels may cross a kink: the test asks for a
     * small overall error and nearly all channels within 1% of the largest weight.
     */
    @Test
    void innerTapChannelWeightsMatchFiniteDifferences() {
        Tap tap = Tap.lastConv(2);
        float h = 3e-3f;
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            assertEquals(tap, net.tap(), "the fixture's default tap is the reference's");
            NDArray x = Fixtures.images(m, 2, 2);
            long[] c = {1, 2};
            float[] weights = Explainers.gradCam().channelWeights(net, x, Target.classes(m.create(c))).toFloatArray();
            ResNet.TapState state = net.backbone().forwardToTap(net.store(), x, false, tap);
            Shape s = state.activation().getShape(); // (2, 64, 8, 8)
            int k = (int) s.get(1);
            long hw = s.get(2) * s.get(3);
            assertEquals(2 * k, weights.length);
            float[] fd = new float[2 * k];
            NDArray shift = m.eye(k).mul(h).reshape(k, k, 1, 1); // row j shifts channel j
            for (int i = 0; i < 2; i++) {
                NDArray a = state.activation().get(i).expandDims(0);
                NDArray input = state.blockInput().get(i).expandDims(0).repeat(0, k);
                float[] plus = logit(net, new ResNet.TapState(a.add(shift), input), tap, c[i]);
                float[] minus = logit(net, new ResNet.TapState(a.sub(shift), input), tap, c[i]);
                for (int ch = 0; ch < k; ch++) {
                    fd[i * k + ch] = (plus[ch] - minus[ch]) / (2 * h * hw);
                }
            }
            float scale = Fixtures.maxAbs(fd);
            assertTrue(scale > 0);
            double num = 0;
            double den = 0;
            int close = 0;
            for (int q = 0; q < fd.length; q++) {
                num += Math.pow(fd[q] - weights[q], 2);
                den += Math.pow(fd[q], 2);
                close += Math.abs(fd[q] - weights[q]) <= 0.01f * scale ? 1 : 0;
            }
            double relL2 = Math.sqrt(num / den);
            assertTrue(relL2 < 0.03, "relative L2 error " + relL2);
            assertTrue(close >= 0.95 * fd.length, close + " of " + fd.length + " weights within 1%");
        }
    }

    private static float[] logit(ExconNetwork net, ResNet.TapState state, Tap tap, long c) {
        NDArray logits = net.classify(net.backbone().forwardFromTap(net.store(), state, false, tap));
        return logits.get(":, " + c).toFloatArray();
    }

    @Test
    void theSignedDefaultKeepsNegativeEvidenceAndReluZeroesIt() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, 3, 3);
            Target t = Target.classes(m.create(new long[] {0, 1, 2}));
            float[] signed = Explainers.gradCam().tapMaps(net, x, t).toFloatArray();
            float[] relu = Explainers.gradCam(true).tapMaps(net, x, t).toFloatArray();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : signed) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(min < 0 && max > 0, "the signed map has both signs here: " + min + ".." + max);
            float[] clipped = new float[signed.length];
            for (int i = 0; i < signed.length; i++) {
                clipped[i] = Math.max(0f, signed[i]);
            }
            assertArrayEquals(clipped, relu, 0f);
            // Normalised, the signed map's zero is not at 0: negative evidence stays visible below it.
            float[] normalised = Explainers.gradCam().explain(net, x, t.classes()).toFloatArray();
            float[] normalisedRelu = Explainers.gradCam(true).explain(net, x, t.classes()).toFloatArray();
            assertTrue(Fixtures.maxAbsDiff(normalised, normalisedRelu) > 0.05f);
        }
    }

    @Test
    void predictedTargetsEqualExplainingTheArgmax() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, 4, 4);
            NDArray argmax = net.logits(x).argMax(1);
            GradCam gradCam = Explainers.gradCam();
            try (Explanation predicted = gradCam.explain(net, x, Target.predicted())) {
                assertArrayEquals(argmax.toLongArray(), predicted.classes().toLongArray());
                assertArrayEquals(gradCam.explain(net, x, argmax).toFloatArray(), predicted.map().toFloatArray(),
                        1e-6f);
                assertArrayEquals(gradCam.explainPredicted(net, x).toFloatArray(), predicted.map().toFloatArray(),
                        1e-6f);
                // The logits are those of the very forward pass, equal to an ordinary eval forward.
                assertArrayEquals(net.logits(x).toFloatArray(), predicted.logits().toFloatArray(), 1e-5f);
                assertTrue(!predicted.logits().hasGradient(), "returned logits are off the graph");
            }
        }
    }

    /** PyTorch's F.interpolate(bilinear, align_corners=False) of [[0, 1], [2, 3]] to 4x4, worked out by hand. */
    @Test
    void upsamplingIsPyTorchBilinearWithHalfPixelCentres() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray small = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
            float[] expected = {
                0f, 0.25f, 0.75f, 1f,
                0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2f, 2.25f, 2.75f, 3f
            };
            assertArrayEquals(expected, GradCam.upsample(small, 4, 4).toFloatArray(), 1e-6f);
        }
    }
}
