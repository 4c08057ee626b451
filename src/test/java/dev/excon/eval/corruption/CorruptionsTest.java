package dev.excon.eval.corruption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CorruptionsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static double mse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return s / a.length;
    }

    @Test
    void catalogueHasTheGeneratorNamesInOrder() {
        assertEquals(List.of("gaussian_noise", "shot_noise", "impulse_noise", "speckle_noise", "gaussian_blur",
                "defocus_blur", "brightness", "contrast", "saturate", "pixelate", "jpeg_compression"),
                Corruptions.names());
        assertEquals("shot_noise", Corruptions.byName("Shot-Noise").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corruptions.byName("fog"));
        assertTrue(e.getMessage().contains("gaussian_noise"), e.getMessage());
        assertEquals("sigma=0.08", Corruptions.gaussianNoise().parameter(3));
        assertEquals("quality=40", Corruptions.jpegCompression().parameter(5));
        assertTrue(Corruptions.defocusBlur().toString().contains("CIFAR-C-like"));
        assertThrows(IllegalArgumentException.class, () -> Corruptions.brightness().parameter(6));
    }

    @Test
    void everyCorruptionKeepsShapeAndRangeAndIsDeterministic() {
        for (int channels : new int[] {1, 3}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray x = TestImages.images(m, 2, channels, 32);
                for (Corruption c : Corruptions.all()) {
                    for (int s = 1; s <= 5; s++) {
                        NDArray a = c.apply(x, s, 7);
                        assertEquals(x.getShape(), a.getShape(), c.name());
                        float[] av = a.toFloatArray();
                        for (float v : av) {
                            assertTrue(v >= 0f && v <= 1f && !Float.isNaN(v), c.name() + " " + s + ": " + v);
                        }
                        assertArrayEquals(av, c.apply(x, s, 7).toFloatArray(), c.name() + " same seed");
                        boolean differs = !Arrays.equals(av, c.apply(x, s, 8).toFloatArray());
                        assertEquals(c.isRandom(), differs, c.name() + " other seed differs iff random");
                    }
                }
            }
        }
    }

    @Test
    void severityIncreasesTheDistanceFromTheCleanImage() {
        try (NDManager m = manager.newSubManager()) {
            // Eight copies of the test scene, each shifted by one more pixel: the mean distance over several
            // alignments, so that pixelate's non-integer box ratios (32 -> 30, 28, 27, ...) are not judged on one.
            NDArray x = TestImages.images(m, 8, 3, 32);
            float[] clean = x.toFloatArray();
            for (Corruption c : Corruptions.all()) {
                double[] d = new double[6];
                for (int s = 1; s <= 5; s++) {
                    d[s] = mse(clean, c.apply(x, s, 3).toFloatArray());
                }
                String msg = c.name() + " MSE by severity " + Arrays.toString(Arrays.copyOfRange(d, 1, 6));
                assertTrue(d[1] > 0, msg);
                for (int s = 2; s <= 5; s++) {
                    if (c.name().equals("saturate") && s == 3) {
                        continue; // the generator's severities 1-2 desaturate, 3-5 oversaturate: see SaturateTest
                    }
                    assertTrue(d[s] > d[s - 1], msg);
                }
            }
        }
    }

    @Test
    void aBatchGivesTheSameImagesAsItsImagesOneByOne() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = TestImages.images(m, 3, 3, 16);
            for (Corruption c : Corruptions.all()) {
                float[] batch = c.apply(x, 4, 11).get(2).toFloatArray();
                float[] single = c.apply(x.get("2:3"), 4, 11, 2).toFloatArray();
                assertArrayEquals(batch, single, 1e-6f, c.name());
            }
        }
    }

    @Test
    void theInputIsNotChangedAndStaysOnItsManager() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = TestImages.images(m, 1, 3, 8);
            float[] before = x.toFloatArray();
            for (Corruption c : Corruptions.all()) {
                NDArray y = c.apply(x, 5, 1);
                assertEquals(m, y.getManager(), c.name());
                assertEquals(m, x.getManager(), c.name());
            }
            assertArrayEquals(before, x.toFloatArray());
        }
    }

    @Test
    void rejectsBadShapesAndSeverities() {
        try (NDManager m = manager.newSubManager()) {
            NDArray two = m.zeros(new Shape(2, 2, 4, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Corruptions.contrast().apply(two, 1, 0));
            assertTrue(e.getMessage().contains("(2, 2, 4, 4)"), e.getMessage());
            NDArray ok = m.zeros(new Shape(1, 3, 4, 4));
            e = assertThrows(IllegalArgumentException.class, () -> Corruptions.contrast().apply(ok, 0, 0));
            assertTrue(e.getMessage().contains("severity 0"), e.getMessage());
        }
    }
}
