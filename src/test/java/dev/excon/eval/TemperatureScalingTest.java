package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    /**
     * Logits z of n samples, C classes (Gaussian, scale 4), with labels drawn from softmax(z / trueT): a model whose
     * calibrated probabilities are softmax(z / trueT), so its logits are over-confident by the factor trueT.
     */
    static Logits overconfident(int n, int c, double trueT, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] z = new float[n * c];
        int[] y = new int[n];
        double[] p = new double[c];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                z[i * c + k] = (float) (4 * rng.nextGaussian());
                p[k] = Math.exp(z[i * c + k] / trueT);
                sum += p[k];
            }
            double u = rng.nextDouble() * sum;
            int k = 0;
            while (k < c - 1 && (u -= p[k]) > 0) {
                k++;
            }
            y[i] = k;
        }
        return new Logits(z, c, y);
    }

    @Test
    void recoversAKnownTemperature() {
        Logits val = overconfident(20_000, 10, 2.5, 1);
        TemperatureScaling t = TemperatureScaling.fit(val);
        assertEquals(2.5, t.temperature(), 0.1, t.toString());
        assertTrue(t.nllAfter() < t.nllBefore(), t.toString());
        assertEquals(TemperatureScaling.nll(val, t.temperature()), t.nllAfter(), 1e-12);
        assertTrue(t.evaluations() < 60, t.toString());
        // It minimises: a little to either side is worse.
        assertTrue(TemperatureScaling.nll(val, t.temperature() * 1.01) > t.nllAfter());
        assertTrue(TemperatureScaling.nll(val, t.temperature() / 1.01) > t.nllAfter());
        // Applied to a test split from the same model, the ECE falls.
        Logits test = overconfident(20_000, 10, 2.5, 2);
        double before = Calibration.standard().ofLogits(test).ece();
        double after = Calibration.standard().ofLogits(t.apply(test)).ece();
        assertTrue(after < before / 3, "ECE " + before + " -> " + after);
        // Under-confident logits give T < 1.
        assertEquals(0.5, TemperatureScaling.fit(overconfident(20_000, 10, 0.5, 3)).temperature(), 0.03);
    }

    @Test
    void neverIncreasesTheValidationNll() {
        for (long seed = 10; seed < 16; seed++) {
            for (double trueT : new double[] {0.3, 1.0, 4.0}) {
                Logits val = overconfident(300, 5, trueT, seed);
                TemperatureScaling t = TemperatureScaling.fit(val);
                assertTrue(t.nllAfter() <= t.nllBefore(), seed + " " + trueT + ": " + t);
                assertEquals(TemperatureScaling.nll(val, 1), t.nllBefore(), 1e-12);
            }
        }
        // Separable logits (every label is the argmax): the NLL falls as T shrinks, down to the bracket's end.
        Logits separable = new Logits(new float[] {3, 0, 0, 0, 2, 0, 0, 0, 1}, 3, new int[] {0, 1, 2});
        TemperatureScaling t = TemperatureScaling.fit(separable);
        assertTrue(t.temperature() < 0.011, t.toString());
        assertTrue(t.nllAfter() < t.nllBefore());
        // Constant logits: nothing to gain, T stays 1.
        TemperatureScaling flat = TemperatureScaling.fit(new Logits(new float[] {1, 1, 1, 1}, 2, new int[] {0, 1}));
        assertEquals(1.0, flat.temperature(), 0);
    }

    @Test
    void appliesToDeviceLogitsAndIsDeterministic() {
        Logits val = overconfident(2000, 4, 2.0, 7);
        TemperatureScaling a = TemperatureScaling.fit(val);
        assertEquals(a.temperature(), TemperatureScaling.fit(val).temperature(), 0);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = m.create(new float[] {2, -4, 6, 0}, new Shape(2, 2));
            float[] scaled = a.apply(logits).toFloatArray();
            double t = a.temperature();
            assertArrayEquals(new float[] {(float) (2 / t), (float) (-4 / t), (float) (6 / t), 0}, scaled, 1e-6f);
            assertEquals(a.temperature(),
                    TemperatureScaling.fit(val.toNDArray(m), val.labelsNDArray(m)).temperature(), 0);
        }
    }
}
