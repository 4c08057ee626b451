package dev.excon.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SupConAugmentationTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static float[][][][] randomImages(int n, int c, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][][][] x = new float[n][c][h][w];
        for (float[][][] img : x) {
            for (float[][] plane : img) {
                for (float[] row : plane) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = (float) r.nextDouble();
                    }
                }
            }
        }
        return x;
    }

    static NDArray toArray(float[][][][] x) {
        int n = x.length;
        int c = x[0].length;
        int h = x[0][0].length;
        int w = x[0][0][0].length;
        float[] flat = new float[n * c * h * w];
        int k = 0;
        for (float[][][] img : x) {
            for (float[][] plane : img) {
                for (float[] row : plane) {
                    System.arraycopy(row, 0, flat, k, w);
                    k += w;
                }
            }
        }
        return manager.create(flat, new Shape(n, c, h, w));
    }

    static float[] flatten(float[][][][] x) {
        return toArray(x).toFloatArray();
    }

    @Test
    void matchesThePerPixelReferenceOnRgb() {
        float[][][][] x = randomImages(24, 3, 12, 12, 1);
        SupConAugmentation aug = SupConAugmentation.reference(12);
        ViewParams p = aug.sample(24, 12, 12, new SplittableRandom(7));
        float[] got = aug.apply(toArray(x), p).toFloatArray();
        float[] want = flatten(ReferenceViews.apply(x, p, 12));
        assertArrayEquals(want, got, 2e-5f);
        // The sample must exercise every branch the comparison is meant to cover.
        assertTrue(count(p.flip()) > 0 && count(p.flip()) < 24);
        assertTrue(count(p.jitter()) > 0 && count(p.grayscale()) > 0);
    }

    @Test
    void matchesThePerPixelReferenceOnGrayscaleImages() {
        float[][][][] x = randomImages(16, 1, 10, 10, 2);
        SupConAugmentation aug = SupConAugmentation.reference(10);
        ViewParams p = aug.sample(16, 10, 10, new SplittableRandom(3));
        NDArray out = aug.apply(toArray(x), p);
        assertEquals(new Shape(16, 1, 10, 10), out.getShape());
        assertArrayEquals(flatten(ReferenceViews.apply(x, p, 10)), out.toFloatArray(), 2e-5f);
    }

    @Test
    void sameSeedSameViewsOtherSeedOtherViews() {
        NDArray x = toArray(randomImages(8, 3, 16, 16, 4));
        SupConAugmentation aug = SupConAugmentation.reference(16);
        float[] a = aug.apply(x, 42L).toFloatArray();
        float[] b = aug.apply(x, 42L).toFloatArray();
        float[] c = aug.apply(x, 43L).toFloatArray();
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void fullCropWithoutOtherChangesIsTheIdentity() {
        float[][][][] x = randomImages(3, 3, 8, 8, 5);
        SupConAugmentation aug = SupConAugmentation.builder().setSize(8).optCropScale(1, 1).optCropRatio(1, 1)
                .optFlipProbability(0).optJitterProbability(0).optGrayscaleProbability(0).build();
        assertArrayEquals(flatten(x), aug.apply(toArray(x), 0L).toFloatArray(), 1e-6f);
    }

    @Test
    void flipMirrorsEachRow() {
        // One 1x1x3 image [0, 0.5, 1]: flipped it reads [1, 0.5, 0].
        NDArray x = manager.create(new float[] {0f, 0.5f, 1f}, new Shape(1, 1, 1, 3));
        ViewParams p = new ViewParams(new int[] {0}, new int[] {0}, new int[] {1}, new int[] {3},
                new boolean[] {true}, new boolean[] {false}, new float[] {1}, new float[] {1}, new float[] {1},
                new float[] {0}, new int[][] {{0, 1, 2, 3}}, new boolean[] {false});
        float[] out = SupConAugmentation.builder().setSize(3).build().apply(x, p).toFloatArray();
        assertArrayEquals(new float[] {1f, 0.5f, 0f}, rowOf(out, 1, 3), 1e-6f);
    }

    private static float[] rowOf(float[] out, int row, int width) {
        // A 3x3 output of a 1-row crop repeats the row; take the middle one.
        return Arrays.copyOfRange(out, row * width, row * width + width);
    }

    @Test
    void aOnePixelCropIsConstant() {
        float[][][][] x = randomImages(1, 3, 6, 6, 6);
        ViewParams p = new ViewParams(new int[] {2}, new int[] {3}, new int[] {1}, new int[] {1},
                new boolean[] {false}, new boolean[] {false}, new float[] {1}, new float[] {1}, new float[] {1},
                new float[] {0}, new int[][] {{0, 1, 2, 3}}, new boolean[] {false});
        float[] out = SupConAugmentation.reference(4).apply(toArray(x), p).toFloatArray();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 16; i++) {
                assertEquals(x[0][c][2][3], out[c * 16 + i], 1e-6f);
            }
        }
    }

    @Test
    void hueRotatesPureColoursAndKeepsGrays() {
        // red, gray 0.4, and a dark blue; shifted by one third of a turn: green, gray 0.4, dark red.
        NDArray x = manager.create(new float[] {1f, 0.4f, 0f, 0f, 0.4f, 0f, 0f, 0.4f, 0.5f}, new Shape(1, 3, 1, 3));
        float[] out = ColorOps.hue(x, manager.create(new float[] {1f / 3})).toFloatArray();
        assertArrayEquals(new float[] {0f, 0.4f, 0.5f, 1f, 0.4f, 0f, 0f, 0.4f, 0f}, out, 1e-6f);
        float[] same = ColorOps.hue(x, manager.create(new float[] {0f})).toFloatArray();
        assertArrayEquals(x.toFloatArray(), same, 1e-6f);
    }

    @Test
    void brightnessStaysInItsRangeAndScalesUniformly() {
        int n = 400;
        float[] gray = new float[n * 3 * 4 * 4];
        Arrays.fill(gray, 0.5f);
        NDArray x = manager.create(gray, new Shape(n, 3, 4, 4));
        SupConAugmentation aug = SupConAugmentation.builder().setSize(4).optCropScale(1, 1).optCropRatio(1, 1)
                .optFlipProbability(0).optJitterProbability(1).optColorJitter(0.4f, 0, 0, 0)
                .optGrayscaleProbability(0).build();
        ViewParams p = aug.sample(n, 4, 4, new SplittableRandom(9));
        float[] out = aug.apply(x, p).toFloatArray();
        float lo = 1;
        float hi = 0;
        for (int i = 0; i < n; i++) {
            float expected = 0.5f * p.brightness()[i];
            for (int k = 0; k < 48; k++) {
                assertEquals(expected, out[i * 48 + k], 1e-6f);
            }
            lo = Math.min(lo, out[i * 48]);
            hi = Math.max(hi, out[i * 48]);
        }
        assertTrue(lo >= 0.3f - 1e-6f && hi <= 0.7f + 1e-6f, "brightness range [" + lo + ", " + hi + "]");
        assertTrue(lo < 0.32f && hi > 0.68f, "400 draws should come close to both ends: [" + lo + ", " + hi + "]");
    }

    @Test
    void grayscaleViewsHaveEqualChannels() {
        int n = 64;
        float[][][][] x = randomImages(n, 3, 8, 8, 10);
        SupConAugmentation aug = SupConAugmentation.reference(8);
        ViewParams p = aug.sample(n, 8, 8, new SplittableRandom(11));
        float[] out = aug.apply(toArray(x), p).toFloatArray();
        int plane = 64;
        int grays = 0;
        for (int i = 0; i < n; i++) {
            int base = i * 3 * plane;
            boolean equal = true;
            for (int k = 0; k < plane; k++) {
                equal &= out[base + k] == out[base + plane + k] && out[base + k] == out[base + 2 * plane + k];
            }
            assertEquals(p.grayscale()[i], equal, "image " + i);
            grays += p.grayscale()[i] ? 1 : 0;
        }
        assertTrue(grays > 0);
    }

    @Test
    void drawsFollowTheReferenceDistributions() {
        int n = 20_000;
        ViewParams p = SupConAugmentation.reference(32).sample(n, 32, 32, new SplittableRandom(12));
        assertEquals(0.5, count(p.flip()) / (double) n, 0.015, "flip rate");
        assertEquals(0.8, count(p.jitter()) / (double) n, 0.015, "jitter rate");
        assertEquals(0.2, count(p.grayscale()) / (double) n, 0.015, "grayscale rate");
        double areaSum = 0;
        for (int i = 0; i < n; i++) {
            int h = p.cropHeight()[i];
            int w = p.cropWidth()[i];
            assertTrue(p.cropTop()[i] >= 0 && p.cropTop()[i] + h <= 32 && p.cropLeft()[i] >= 0
                    && p.cropLeft()[i] + w <= 32, "crop inside the image");
            double area = h * w / 1024.0;
            // Rounding each side to whole pixels moves the area and ratio a little past the nominal bounds.
            assertTrue(area >= 0.2 * 0.8 && area <= 1.0, "area " + area);
            double ratio = (double) w / h;
            assertTrue(ratio >= 0.75 * 0.85 && ratio <= 4.0 / 3 / 0.85, "ratio " + ratio);
            areaSum += area;
            if (p.jitter()[i]) {
                assertTrue(p.brightness()[i] >= 0.6f && p.brightness()[i] <= 1.4f);
                assertTrue(p.contrast()[i] >= 0.6f && p.contrast()[i] <= 1.4f);
                assertTrue(p.saturation()[i] >= 0.6f && p.saturation()[i] <= 1.4f);
                assertTrue(p.hue()[i] >= -0.1f && p.hue()[i] <= 0.1f);
                int[] sorted = p.jitterOrder()[i].clone();
                Arrays.sort(sorted);
                assertArrayEquals(new int[] {0, 1, 2, 3}, sorted);
            } else {
                assertEquals(1f, p.brightness()[i]);
                assertEquals(0f, p.hue()[i]);
            }
        }
        // Large areas with a skewed ratio do not fit and are redrawn, which pulls the mean below the 0.6 of a uniform
        // [0.2, 1]: torchvision's get_params, simulated 400,000 times at 32x32, averages 0.551.
        assertEquals(0.551, areaSum / n, 0.01, "mean crop area");
        // Every order of the four jitter operations occurs.
        long orders = java.util.stream.IntStream.range(0, n).filter(i -> p.jitter()[i])
                .mapToObj(i -> Arrays.toString(p.jitterOrder()[i])).distinct().count();
        assertEquals(24, orders, "all 24 orders occur among jittered images");
    }

    @Test
    void outputsStayInTheUnitIntervalAndHaveTheRequestedSize() {
        NDArray x = toArray(randomImages(32, 3, 20, 24, 13));
        NDArray out = SupConAugmentation.reference(16).apply(x, 5L);
        assertEquals(new Shape(32, 3, 16, 16), out.getShape());
        assertTrue(out.min().getFloat() >= 0f && out.max().getFloat() <= 1f);
    }

    @Test
    void theFusedLinearPassEqualsEachOperationAlone() {
        NDArray x = toArray(randomImages(3, 3, 5, 5, 16));
        NDArray f = manager.create(new float[] {0.7f, 1.3f, 0.9f});
        NDArray one = f.onesLike();
        NDArray zero = f.zerosLike();
        NDArray complement = one.sub(f);
        assertArrayEquals(ColorOps.brightness(x, f).toFloatArray(),
                ColorOps.linearJitter(x, f, zero, zero).toFloatArray(), 1e-6f);
        assertArrayEquals(ColorOps.contrast(x, f).toFloatArray(),
                ColorOps.linearJitter(x, f, zero, complement).toFloatArray(), 1e-6f);
        assertArrayEquals(ColorOps.saturation(x, f).toFloatArray(),
                ColorOps.linearJitter(x, f, complement, zero).toFloatArray(), 1e-6f);
        assertArrayEquals(x.toFloatArray(), ColorOps.linearJitter(x, one, zero, zero).toFloatArray(), 0f);
    }

    @Test
    void downscalingAveragesLikePil() {
        // PIL's bilinear filter widens to the scale when shrinking: 4 -> 2 pixels weighs the first output 3/7, 3/7,
        // 1/7 over inputs 0, 1, 2.
        float[] m = ResampleWeights.matrix(4, 0, 4, 2, false);
        assertArrayEquals(new float[] {3f / 7, 3f / 7, 1f / 7, 0f, 0f, 1f / 7, 3f / 7, 3f / 7}, m, 1e-6f);
    }

    @Test
    void standardViewKeepsNativeSizeAndResizesOthers() {
        NDArray x = toArray(randomImages(2, 3, 8, 8, 14));
        assertArrayEquals(x.toFloatArray(), new StandardView(8).apply(x).toFloatArray(), 0f);
        NDArray wide = toArray(randomImages(2, 3, 8, 16, 15));
        assertEquals(new Shape(2, 3, 4, 8), new StandardView(4).apply(wide).getShape());
    }

    @Test
    void badShapesAndOptionsSayWhatIsWrong() {
        NDArray threeD = manager.ones(new Shape(3, 8, 8));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SupConAugmentation.reference(8).apply(threeD, 0L));
        assertTrue(e.getMessage().contains("(3, 8, 8)") && e.getMessage().contains("expandDims"), e.getMessage());
        IllegalArgumentException noSize =
                assertThrows(IllegalArgumentException.class, () -> SupConAugmentation.builder().build());
        assertTrue(noSize.getMessage().contains("setSize"), noSize.getMessage());
        IllegalArgumentException badScale = assertThrows(IllegalArgumentException.class,
                () -> SupConAugmentation.builder().setSize(8).optCropScale(0.5, 0.2).build());
        assertTrue(badScale.getMessage().contains("(0.5, 0.2)"), badScale.getMessage());
        assertNotEquals(null, SupConAugmentation.reference(8).toString());
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            c += v ? 1 : 0;
        }
        return c;
    }
}
