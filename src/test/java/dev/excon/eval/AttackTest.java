package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.excon.loss.CrossEntropy;
import dev.excon.model.BatchNormMode;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ImageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttackTest {

    /** Logits linear in the pixels: {@code z = W flatten(x) + b}, a DJL {@code Linear} block. */
    static final class LinearModel implements ImageModel {
        final Linear linear;
        final ParameterStore store;
        final float[] w;
        final float[] b;
        final int k;
        final int d;

        LinearModel(NDManager m, int k, int d, long seed) {
            this.k = k;
            this.d = d;
            SplittableRandom rng = new SplittableRandom(seed);
            w = new float[k * d];
            b = new float[k];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) rng.nextGaussian();
            }
            for (int i = 0; i < k; i++) {
                b[i] = (float) rng.nextGaussian();
            }
            linear = Linear.builder().setUnits(k).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(1, d));
            for (Pair<String, Parameter> p : linear.getParameters()) {
                p.getValue().getArray().set(p.getKey().equals("weight") ? w : b);
            }
            store = new ParameterStore(m, false);
        }

        @Override
        public NDArray logits(NDArray images, BatchNormMode mode) {
            return linear.forward(store, new NDList(images.reshape(images.getShape().get(0), -1)), false)
                    .singletonOrThrow();
        }

        @Override
        public Device device() {
            return Device.cpu();
        }

        @Override
        public int numClasses() {
            return k;
        }

        @Override
        public int channels() {
            return 0;
        }

        @Override
        public float[] meanColour() {
            return null;
        }

        @Override
        public Block layerRoot() {
            return linear;
        }

        @Override
        public String description() {
            return "linear model";
        }

        @Override
        public List<Parameter> trainableParameters() {
            List<Parameter> out = new ArrayList<>();
            for (Pair<String, Parameter> p : linear.getParameters()) {
                out.add(p.getValue());
            }
            return out;
        }

        /**
         * The input gradient of the batch-mean cross-entropy, in double precision: {@code (1/N) sum_k (p_ik - 1[k =
         * y_i]) W_k} for image i.
         */
        double[] lossGradient(float[] x, int[] y) {
            int n = y.length;
            double[] g = new double[n * d];
            for (int i = 0; i < n; i++) {
                double[] z = new double[k];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    z[c] = b[c];
                    for (int j = 0; j < d; j++) {
                        z[c] += (double) w[c * d + j] * x[i * d + j];
                    }
                    max = Math.max(max, z[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(z[c] - max);
                }
                for (int c = 0; c < k; c++) {
                    double coeff = (Math.exp(z[c] - max) / sum - (c == y[i] ? 1 : 0)) / n;
                    for (int j = 0; j < d; j++) {
                        g[i * d + j] += coeff * w[c * d + j];
                    }
                }
            }
            return g;
        }
    }

    /** Images with values spread over [0, 1], a quarter of them exactly 0 or 1 (where FGSM may clamp). */
    static float[] pixels(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            int kind = rng.nextInt(8);
            v[i] = kind == 0 ? 0f : kind == 1 ? 1f : (float) rng.nextDouble();
        }
        return v;
    }

    @Test
    void fgsmOnALinearModelMovesEachPixelByEpsAlongTheKnownGradientSign() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int n = 6;
            int k = 4;
            int d = 3 * 8 * 8;
            LinearModel model = new LinearModel(m, k, d, 11);
            float[] x = pixels(n * d, 12);
            int[] y = {0, 1, 2, 3, 1, 2};
            NDArray images = m.create(x, new Shape(n, 3, 8, 8));
            NDArray labels = m.create(new long[] {0, 1, 2, 3, 1, 2});
            float[] adv = Attacks.fgsm(4).perturb(model, images, labels).toFloatArray();
            double[] g = model.lossGradient(x, y);
            double eps = 4 / 255.0;
            int moved = 0;
            int clamped = 0;
            for (int i = 0; i < x.length; i++) {
                double sign = Math.signum(g[i]);
                double target = x[i] + eps * sign;
                if (target >= 0 && target <= 1) {
                    assertEquals(eps * sign, adv[i] - x[i], 1e-6, "pixel " + i + ", gradient " + g[i]);
                    moved++;
                } else {
                    assertEquals(target < 0 ? 0f : 1f, adv[i], 0f, "clamped pixel " + i);
                    clamped++;
                }
            }
            assertTrue(moved > 900 && clamped > 50, moved + " moved, " + clamped + " clamped");
            assertArrayEquals(x, images.toFloatArray(), 0f, "the input images are not modified");
            for (Parameter p : model.trainableParameters()) {
                assertTrue(p.requiresGradient(), p.getName() + " is trainable again");
                try (NDArray grad = p.getArray().getGradient()) {
                    assertEquals(0f, grad.abs().max().getFloat(), p.getName() + " has no gradient");
                }
            }
        }
    }

    /** FGSM on the ResNet equals clamp(x + eps sign(g)) with g computed directly through a gradient collector. */
    @Test
    void fgsmOnTheNetworkEqualsADirectComputation() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 5, 21);
            NDArray y = m.create(new long[] {0, 1, 2, 3, 4});
            float[] adv = Attacks.fgsm(8).perturb(net, x, y).toFloatArray();
            net.freeze(true);
            NDArray expected;
            try {
                NDArray leaf = x.duplicate();
                leaf.setRequiresGradient(true);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    gc.backward(CrossEntropy.mean(net.logits(leaf), y));
                }
                expected = x.add(leaf.getGradient().sign().mul(8 / 255f)).clip(0f, 1f);
            } finally {
                net.freeze(false);
            }
            assertEquals(0f, EvalFixtures.maxAbsDiff(expected.toFloatArray(), adv));
        }
    }

    @Test
    @SuppressWarnings("try") // the collector is opened only to be open while the attack is called
    void attacksLeaveNoParameterGradientAndRestoreTheFreezeState() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 4, 22);
            float[] before = x.toFloatArray();
            NDArray y = m.create(new long[] {4, 3, 2, 1});
            List<Parameter> params = net.trainableParameters();
            Parameter frozen = net.classifierParameters().get(0);
            frozen.freeze(true);
            for (Attack a : new Attack[] {Attacks.fgsm(4), Attacks.pgd(4)}) {
                a.perturb(net, x, y);
                assertFalse(frozen.requiresGradient(), a + ": a parameter frozen before stays frozen");
                assertTrue(net.encoderParameters().get(0).requiresGradient(), a + ": the others are trainable");
                assertArrayEquals(before, x.toFloatArray(), 0f, a + ": the images are not modified");
                assertFalse(x.hasGradient(), a + ": the images were not marked for gradients");
            }
            frozen.freeze(false);
            assertEquals(0f, EvalFixtures.maxParameterGradient(params), "no parameter gradient");
            // Inside a caller's collector the attack refuses to start and leaves everything as it was.
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> Attacks.fgsm(4).perturb(net, x, y));
                assertTrue(e.getMessage().contains("cannot nest"), e.getMessage());
            }
            assertFalse(net.isFrozen());
            assertThrows(IllegalArgumentException.class,
                    () -> Attacks.fgsm(4).perturb(net, x, m.create(new long[] {1, 2})));
            assertThrows(IllegalArgumentException.class, () -> Attacks.fgsm(-1));
        }
    }

    @Test
    void pgdStaysInsideTheEpsBallAndTheUnitBox() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int n = 6;
            NDArray x = m.create(pixels(n * 3 * 16 * 16, 23), new Shape(n, 3, 16, 16));
            NDArray y = m.create(new long[] {0, 1, 2, 3, 4, 0});
            float[] clean = x.toFloatArray();
            for (double eps : new double[] {2, 32}) { // mostly inside [0, 1], and mostly clamped
                for (Pgd pgd : new Pgd[] {Attacks.pgd(eps), Attacks.pgd(eps, 7, eps / 2, false, 0),
                        Attacks.pgd(eps, 3, 3 * eps, true, 5)}) {
                    float[] adv = pgd.perturb(net, x, y).toFloatArray();
                    double maxStep = 0;
                    for (int i = 0; i < adv.length; i++) {
                        assertTrue(adv[i] >= 0 && adv[i] <= 1, pgd + ": pixel " + i + " = " + adv[i]);
                        maxStep = Math.max(maxStep, Math.abs(adv[i] - clean[i]));
                    }
                    assertTrue(maxStep <= eps / 255 + 1e-6, pgd + ": moved " + maxStep * 255 + "/255");
                    assertTrue(maxStep >= eps / 255 - 1e-6, pgd + ": reaches the ball's edge");
                }
            }
            assertArrayEquals(clean, x.toFloatArray(), 0f, "the input images are not modified");
        }
    }

    @Test
    void pgdIsSeededAndOneStepOfEpsFromXIsFgsm() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 4, 24);
            NDArray y = m.create(new long[] {0, 1, 2, 3});
            float[] a = Attacks.pgd(8).perturb(net, x, y).toFloatArray();
            float[] b = Attacks.pgd(8).perturb(net, x, y).toFloatArray();
            float[] c = Attacks.pgd(8).withSeed(1).perturb(net, x, y).toFloatArray();
            float[] d = Attacks.pgd(8).forBatch(1).perturb(net, x, y).toFloatArray();
            assertArrayEquals(a, b, 0f, "the same seed gives the same adversarial images");
            assertNotEquals(0f, EvalFixtures.maxAbsDiff(a, c), "another seed, another random start");
            assertNotEquals(0f, EvalFixtures.maxAbsDiff(a, d), "another batch, another random start");
            assertEquals(2.0, Attacks.pgd(8).stepSize255(), 1e-12, "default step 2.5 eps / 10");
            assertEquals(4.0, Attacks.pgd(8).withEpsilon(16).stepSize255(), 1e-12, "a default step follows eps");
            assertEquals(1.0, Attacks.pgd(8, 5, 1, true, 0).withEpsilon(16).stepSize255(), 0, "an explicit one stays");
            assertEquals("PGD[10 steps of 2.5 eps / 10, random start, seed 0]", Attacks.pgd(8).settings());
            assertEquals("PGD[5 steps of 1/255, start at x, seed 3]", Attacks.pgd(8, 5, 1, false, 3).settings());
            float[] oneStep = Attacks.pgd(8, 1, 8, false, 0).perturb(net, x, y).toFloatArray();
            float[] fgsm = Attacks.fgsm(8).perturb(net, x, y).toFloatArray();
            assertEquals(0f, EvalFixtures.maxAbsDiff(fgsm, oneStep), 1e-7f);
        }
    }
}
