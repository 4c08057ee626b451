package dev.excon.eval.corruption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hand-computed values of the closed-form colour corruptions on tiny images. */
class ColourCorruptionsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** One RGB image of width {@code pixels.length}, pixels given as {r, g, b}. */
    private static NDArray rgb(NDManager m, float[]... pixels) {
        int w = pixels.length;
        float[] v = new float[3 * w];
        for (int p = 0; p < w; p++) {
            for (int c = 0; c < 3; c++) {
                v[c * w + p] = pixels[p][c];
            }
        }
        return m.create(v, new Shape(1, 3, 1, w));
    }

    @Test
    void brightnessAddsToTheHsvValueAndKeepsHueAndSaturation() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = rgb(m, new float[] {0.2f, 0.4f, 0.1f}, new float[] {0f, 0f, 0f});
            // severity 1, delta 0.05: v 0.4 -> 0.45, every channel scaled by 0.45 / 0.4; black becomes gray 0.05
            assertArrayEquals(new float[] {0.225f, 0.05f, 0.45f, 0.05f, 0.1125f, 0.05f},
                    Corruptions.brightness().apply(x, 1, 0).toFloatArray(), 1e-6f);
            NDArray bright = rgb(m, new float[] {0.9f, 0.98f, 0.5f});
            // severity 5, delta 0.3: v 0.98 -> 1 (clipped), scale 1 / 0.98
            assertArrayEquals(new float[] {0.9f / 0.98f, 1f, 0.5f / 0.98f},
                    Corruptions.brightness().apply(bright, 5, 0).toFloatArray(), 1e-6f);
            NDArray gray = m.create(new float[] {0.1f, 0.9f}, new Shape(1, 1, 1, 2));
            assertArrayEquals(new float[] {0.2f, 1f}, Corruptions.brightness().apply(gray, 2, 0).toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void contrastShrinksEachChannelTowardsItsOwnMean() {
        try (NDManager m = manager.newSubManager()) {
            // channel 0 (0.2, 0.6) mean 0.4; channel 1 (1, 0) mean 0.5; severity 2: c = 0.5
            NDArray x = m.create(new float[] {0.2f, 0.6f, 1f, 0f}, new Shape(1, 2, 1, 2));
            NDArray two = x.concat(x.get(":, 0:1"), 1); // 3 channels: (0.2, 0.6), (1, 0), (0.2, 0.6)
            assertArrayEquals(new float[] {0.3f, 0.5f, 0.75f, 0.25f, 0.3f, 0.5f},
                    Corruptions.contrast().apply(two, 2, 0).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void saturateScalesTheHsvSaturationAndTintsGrayLikeScikitImage() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = rgb(m, new float[] {0.8f, 0.4f, 0.2f}, new float[] {0.5f, 0.5f, 0.5f});
            // severity 1, s * 0.3: (0.8, 0.4, 0.2) has h = 1/18, s = 0.75 -> 0.225: (v, t, p) = (0.8, 0.68, 0.62).
            // Gray stays gray when b = 0.
            assertArrayEquals(new float[] {0.8f, 0.5f, 0.68f, 0.5f, 0.62f, 0.5f},
                    Corruptions.saturate().apply(x, 1, 0).toFloatArray(), 1e-6f);
            // severity 4, s * 2 + 0.1: gray has hue 0 (red) in scikit-image, s 0 -> 0.1: (0.5, 0.45, 0.45).
            float[] s4 = Corruptions.saturate().apply(x, 4, 0).toFloatArray();
            assertArrayEquals(new float[] {0.5f, 0.45f, 0.45f}, new float[] {s4[1], s4[3], s4[5]}, 1e-6f);
            // s = 0.75 * 2 + 0.1 -> 1 (clipped): p = 0, t = 0.8 * (1 - 2/3) = 0.2667
            assertArrayEquals(new float[] {0.8f, 0.8f / 3, 0f}, new float[] {s4[0], s4[2], s4[4]}, 1e-6f);
        }
    }

    @Test
    void saturateIsANoOpOnGrayImagesAndItsSeveritiesAreNotOrderedByDistance() {
        try (NDManager m = manager.newSubManager()) {
            NDArray gray = TestImages.images(m, 1, 1, 8);
            for (int s = 1; s <= 5; s++) {
                assertArrayEquals(gray.toFloatArray(), Corruptions.saturate().apply(gray, s, 0).toFloatArray());
            }
            // The generator's severities 1-2 desaturate (s * 0.3, s * 0.1) and 3-5 oversaturate: distance grows
            // within each group, and severity 3 (s * 1.5) is closer to the clean image than severity 2.
            NDArray x = TestImages.images(m, 4, 3, 32);
            float[] clean = x.toFloatArray();
            double[] d = new double[6];
            for (int s = 1; s <= 5; s++) {
                float[] y = Corruptions.saturate().apply(x, s, 0).toFloatArray();
                for (int i = 0; i < y.length; i++) {
                    d[s] += (y[i] - clean[i]) * (double) (y[i] - clean[i]);
                }
            }
            assertTrue(d[2] > d[1] && d[4] > d[3] && d[5] > d[4] && d[3] < d[2], java.util.Arrays.toString(d));
        }
    }
}
