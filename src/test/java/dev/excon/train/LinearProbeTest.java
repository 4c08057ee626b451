package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.excon.ExconRuntime;
import dev.excon.data.ChannelStats;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ResNetSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The linear probe of {@code probeEpochs > 0} on synthetic features whose answer is known by construction. */
class LinearProbeTest {

    static final int CLASSES = 10;
    static final int PER_CLASS = 30;
    static final int DIM = 128; // the small ResNet's feature dimension

    static ExconNetwork network(long seed) {
        ExconRuntime.init();
        return ExconNetwork.builder().setSpec(ResNetSpec.byName("small"))
                .setStats(new ChannelStats(new float[] {0.5f}, new float[] {0.25f})).setImageSize(16)
                .setNumClasses(CLASSES).optProjectionDim(8).optSeed(seed).optDevice(Device.cpu()).build();
    }

    /**
     * Class c sits at 2 * e_c plus Gaussian noise of 0.1 per dimension: the nearest class centre is always right,
     * so a linear classifier that reaches 100% exists.
     */
    static NDArray[] separable(NDManager m) {
        int n = CLASSES * PER_CLASS;
        float[] x = new float[n * DIM];
        long[] y = new long[n];
        Random r = new Random(7);
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            y[i] = c;
            for (int d = 0; d < DIM; d++) {
                x[i * DIM + d] = (float) (r.nextGaussian() * 0.1) + (d == c ? 2f : 0f);
            }
        }
        return new NDArray[] {m.create(x, new Shape(n, DIM)), m.create(y)};
    }

    static double accuracy(ExconNetwork net, NDArray x, NDArray y) {
        try (NDManager m = x.getManager().newSubManager()) {
            NDArray predicted = net.classify(x).argMax(1);
            predicted.attach(m);
            NDArray hits = predicted.eq(y).sum();
            hits.attach(m);
            return hits.getLong() / (double) y.getShape().get(0);
        }
    }

    static float[] classifierWeights(ExconNetwork net) {
        return ExconTrainerTest.values(net.classifierParameters());
    }

    private static double fit(ExconNetwork net, NDArray[] data, long shuffleSeed, List<Double> epochLosses) {
        Sgd sgd = new Sgd(net.classifierParameters(), 0.9f, 1e-4f);
        LinearProbe probe = new LinearProbe(net, sgd, 10, 32, 0.1f);
        return probe.fit(data[0], data[1], k -> new SplittableRandom(shuffleSeed * 31 + k),
                (k, loss, lr) -> epochLosses.add(loss));
    }

    @Test
    void separableFeaturesAreClassifiedPerfectly() {
        ExconRuntime.noGradientRecording();
        try (ExconNetwork net = network(1); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] data = separable(m);
            double before = accuracy(net, data[0], data[1]);
            List<Double> losses = new ArrayList<>();
            double loss = fit(net, data, 3, losses);
            assertEquals(1.0, accuracy(net, data[0], data[1]), 0.0, "accuracy before the fit was " + before);
            assertEquals(10, losses.size(), "one report per probe epoch");
            // ln(10) = 2.30 is the loss of a uniform guess; a perfect separator with margin gets far below it.
            assertTrue(loss < 0.2, "training loss after the fit " + loss);
            assertTrue(losses.get(9) < losses.get(0), "the loss falls over the fit: " + losses);
        }
    }

    @Test
    void theSameOrderGivesTheSameClassifierAndAnotherOrderAnother() {
        ExconRuntime.noGradientRecording();
        try (ExconNetwork a = network(1); ExconNetwork b = network(1); ExconNetwork c = network(1);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] data = separable(m);
            fit(a, data, 3, new ArrayList<>());
            fit(b, data, 3, new ArrayList<>());
            fit(c, data, 4, new ArrayList<>());
            assertArrayEquals(classifierWeights(a), classifierWeights(b), 0f);
            assertFalse(Arrays.equals(classifierWeights(a), classifierWeights(c)), "another batch order");
        }
    }

    @Test
    void theRateFollowsACosineFromThePeakOverTheWholeFit() {
        try (ExconNetwork net = network(1)) {
            LinearProbe probe = new LinearProbe(net, new Sgd(net.classifierParameters(), 0.9f, 0f), 4, 32, 0.2f);
            assertEquals(0.2f, probe.rate(0, 0, 10), 1e-7f, "the first step runs at the peak");
            // Half way (probe epoch 3 of 4 starts): eta_min + (peak - eta_min) * (1 + cos(pi / 2)) / 2.
            assertEquals(0.0002 + 0.1998 / 2, probe.rate(2, 0, 10), 1e-6);
            assertEquals(0.0002 + 0.1998 * (1 + Math.cos(Math.PI * 2.5 / 4)) / 2, probe.rate(2, 5, 10), 1e-6,
                    "step 5 of 10 in probe epoch 3 is 2.5 of 4 epochs in");
            assertTrue(probe.rate(3, 9, 10) < 0.2f * 0.02f, "the last step is near eta_min");
        }
    }

    @Test
    void aPermutationHoldsEveryIndexOnce() {
        int[] p = dev.excon.data.DataLoader.permutation(1000, new SplittableRandom(5));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(p, sorted), "shuffled");
    }
}
