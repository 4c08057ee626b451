package dev.excon.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.excon.model.ExconNetwork;
import org.junit.jupiter.api.Test;

class GradientExplainersTest {

    private static final int PIXELS = 3 * Fixtures.SIZE * Fixtures.SIZE;

    /**
     * d f_c / d x at the pixels with the largest gradient of each image, against central differences of the logit
     * (all perturbed copies in one batch). The network is piecewise linear and many ReLUs sit near their kink, so a
     * step small enough to cross few of them is used (float32 rounds the logit differences to about 0.1% there), and
     * a few probes may still straddle a kink: all must agree within 5%, most within 1%.
     */
    @Test
    void inputGradientMatchesFiniteDifferences() {
        float h = 3e-4f;
        int probes = 8;
        int close = 0;
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, 2, 11);
            long[] c = {2, 0};
            InputGradient explainer = Explainers.inputGradient();
            float[] g = explainer.attributions(net, x, Target.classes(m.create(c))).toFloatArray();
            assertEquals(2 * PIXELS, g.length);
            float[] pixels = x.toFloatArray();
            for (int i = 0; i < 2; i++) {
                int[] top = largest(g, i * PIXELS, PIXELS, probes);
                float[] batch = new float[2 * probes * PIXELS];
                for (int p = 0; p < probes; p++) {
                    for (int sign = 0; sign < 2; sign++) {
                        int row = (2 * p + sign) * PIXELS;
                        System.arraycopy(pixels, i * PIXELS, batch, row, PIXELS);
                        batch[row + top[p]] += sign == 0 ? h : -h;
                    }
                }
                NDArray logits = net.logits(m.create(batch, new Shape(2 * probes, 3, Fixtures.SIZE, Fixtures.SIZE)));
                float[] f = logits.get(":, " + c[i]).toFloatArray();
                for (int p = 0; p < probes; p++) {
                    float fd = (f[2 * p] - f[2 * p + 1]) / (2 * h);
                    float exact = g[i * PIXELS + top[p]];
                    assertEquals(exact, fd, 0.05f * Math.abs(exact), "image " + i + " pixel " + top[p]);
                    close += Math.abs(fd - exact) <= 0.01f * Math.abs(exact) ? 1 : 0;
                }
            }
            // The map is the signed channel sum of those attributions.
            NDArray map = explainer.explainRaw(net, x, Target.classes(m.create(c)));
            float[] expected = new float[2 * Fixtures.SIZE * Fixtures.SIZE];
            int plane = Fixtures.SIZE * Fixtures.SIZE;
            for (int i = 0; i < 2; i++) {
                for (int ch = 0; ch < 3; ch++) {
                    for (int q = 0; q < plane; q++) {
                        expected[i * plane + q] += g[i * PIXELS + ch * plane + q];
                    }
                }
            }
            assertArrayEquals(expected, map.toFloatArray(), 1e-6f * Fixtures.maxAbs(expected) + 1e-9f);
        }
        assertTrue(close >= 0.8 * 2 * probes, close + " of " + 2 * probes + " probes within 1%");
    }

    private static int[] largest(float[] v, int from, int length, int count) {
        int[] best = new int[count];
        boolean[] taken = new boolean[length];
        for (int b = 0; b < count; b++) {
            int arg = -1;
            for (int q = 0; q < length; q++) {
                if (!taken[q] && (arg < 0 || Math.abs(v[from + q]) > Math.abs(v[from + arg]))) {
                    arg = q;
                }
            }
            taken[arg] = true;
            best[b] = arg;
        }
        return best;
    }

    /**
     * Completeness: the signed attributions of each image sum to f(x)_c - f(x0)_c, up to a quadrature error that
     * shrinks with the number of steps. Each image explains the class whose logit changes most along the path, so the
     * relative error is measured against a sizeable difference.
     */
    @Test
    void integratedGradientsAreComplete() {
        for (IntegratedGradients.Baseline baseline : IntegratedGradients.Baseline.values()) {
            try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
                NDArray x = Fixtures.images(m, 3, 21);
                IntegratedGradients probe = IntegratedGradients.builder().optBaseline(baseline).build();
                NDArray x0 = probe.baselineImage(net, m).broadcast(x.getShape());
                NDArray difference = net.logits(x).sub(net.logits(x0));
                NDArray c = difference.abs().argMax(1);
                float[] delta = difference.toFloatArray();
                long[] cls = c.toLongArray();
                double[] errors = new double[3];
                int[] steps = {4, 64, 256};
                for (int s = 0; s < steps.length; s++) {
                    IntegratedGradients ig = IntegratedGradients.builder().optBaseline(baseline).optSteps(steps[s])
                            .optInternalBatchSize(48).build();
                    float[] a = ig.attributions(net, x, Target.classes(c)).toFloatArray();
                    for (int i = 0; i < 3; i++) {
                        double sum = 0;
                        for (int q = 0; q < PIXELS; q++) {
                            sum += a[i * PIXELS + q];
                        }
                        double expected = delta[i * Fixtures.CLASSES + (int) cls[i]];
                        errors[s] = Math.max(errors[s], Math.abs(sum - expected) / Math.abs(expected));
                    }
                }
                System.out.printf("IG %s completeness error at 4/64/256 steps: %.4f %.4f %.5f%n", baseline,
                        errors[0], errors[1], errors[2]);
                assertTrue(errors[1] < 0.05, baseline + ": relative error " + errors[1] + " at 64 steps");
                assertTrue(errors[2] < 0.01, baseline + ": relative error " + errors[2] + " at 256 steps");
                assertTrue(errors[2] < errors[1] && errors[1] < errors[0], baseline + ": more steps, smaller error");
            }
        }
    }

    @Test
    void integratedGradientsDoNotDependOnTheInternalBatchSize() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, 3, 31);
            Target t = Target.classes(m.create(new long[] {4, 1, 0}));
            // 1 step per pass (internal batch below N), 3 steps per pass with a ragged last pass, all 10 in one pass.
            float[] reference = null;
            for (int internal : new int[] {1, 9, 30}) {
                float[] a = Explainers.integratedGradients(10, internal).attributions(net, x, t).toFloatArray();
                if (reference == null) {
                    reference = a;
                } else {
                    assertArrayEquals(reference, a, 1e-5f * Fixtures.maxAbs(reference), "internal batch " + internal);
                }
            }
        }
    }

    @Test
    void smoothGradIsSeededAndReducesToTheInputGradientWithoutNoise() {
        try (ExconNetwork net = Fixtures.network(); NDManager m = net.manager().newSubManager()) {
            NDArray x = Fixtures.images(m, 3, 41);
            Target t = Target.classes(m.create(new long[] {0, 2, 3}));
            float[] once = Explainers.smoothGrad(6, 0.2f, 5).explainRaw(net, x, t).toFloatArray();
            float[] again = Explainers.smoothGrad(6, 0.2f, 5).explainRaw(net, x, t).toFloatArray();
            assertArrayEquals(once, again, 0f, "same seed, same map");
            float[] chunked = SmoothGrad.builder().optSamples(6).optNoiseLevel(0.2f).optSeed(5)
                    .optInternalBatchSize(6).build().explainRaw(net, x, t).toFloatArray();
            assertArrayEquals(once, chunked, 1e-5f * Fixtures.maxAbs(once), "internal batch size does not matter");
            float[] otherSeed = Explainers.smoothGrad(6, 0.2f, 6).explainRaw(net, x, t).toFloatArray();
            assertTrue(Fixtures.maxAbsDiff(once, otherSeed) > 1e-3f * Fixtures.maxAbs(once), "another seed differs");

            float[] gradient = Explainers.inputGradient().explainRaw(net, x, t).toFloatArray();
            assertTrue(Fixtures.maxAbsDiff(once, gradient) > 1e-2f * Fixtures.maxAbs(gradient), "noise changes it");
            float[] noiseless = Explainers.smoothGrad(4, 0f, 5).explainRaw(net, x, t).toFloatArray();
            assertArrayEquals(gradient, noiseless, 1e-5f * Fixtures.maxAbs(gradient));
            float[] noiselessAbs = SmoothGrad.builder().optSamples(3).optNoiseLevel(0f)
                    .optReduction(ChannelReduction.ABS_SUM).build().explain(net, x, t.classes()).toFloatArray();
            float[] saliency = Explainers.byName("Saliency").explain(net, x, t.classes()).toFloatArray();
            assertArrayEquals(saliency, noiselessAbs, 1e-5f);
        }
    }

    @Test
    void absSumIsTheSumOfChannelMagnitudes() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray a = m.create(new float[] {1, -2, -3, 4, 5, 6}, new Shape(1, 3, 1, 2));
            assertArrayEquals(new float[] {3, 8}, ChannelReduction.SUM.apply(a).toFloatArray());
            assertArrayEquals(new float[] {9, 12}, ChannelReduction.ABS_SUM.apply(a).toFloatArray());
        }
    }
}
