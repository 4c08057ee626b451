package dev.excon.eval.corruption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernels and resampling matrices of the blurs, pixelate and JPEG, against hand-computed cases. */
class SpatialFiltersTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void bordersReadLikeScipyAndOpenCv() {
        SpatialFilters.Border nearest = SpatialFilters.Border.NEAREST;
        SpatialFilters.Border reflect = SpatialFilters.Border.REFLECT_101;
        int[] in = {-3, -2, -1, 0, 3, 4, 5, 6};
        int[] wantNearest = {0, 0, 0, 0, 3, 3, 3, 3};
        int[] wantReflect = {3, 2, 1, 0, 3, 2, 1, 0}; // n = 4: dcb|abcd|cba
        for (int i = 0; i < in.length; i++) {
            assertEquals(wantNearest[i], nearest.index(in[i], 4), "nearest " + in[i]);
            assertEquals(wantReflect[i], reflect.index(in[i], 4), "reflect " + in[i]);
        }
    }

    @Test
    void gaussianTapsAreTruncatedAtFourSigma() {
        double[] taps = SpatialFilters.gaussianTaps(1.0, (int) (GaussianBlur.TRUNCATE * 1.0 + 0.5));
        assertEquals(9, taps.length);
        double sum = 0;
        for (double t : taps) {
            sum += t;
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(Math.exp(-0.5), taps[5] / taps[4], 1e-12);
    }

    @Test
    void defocusKernelIsTheAntiAliasedDisk() {
        // radius 1.5: the 3 x 3 block (x^2 + y^2 <= 2.25), barely smoothed by sigma 0.1
        double[][] k = DefocusBlur.kernel(1.5, 0.1);
        assertEquals(17, k.length);
        double sum = 0;
        for (double[] row : k) {
            for (double v : row) {
                sum += v;
            }
        }
        assertEquals(1.0, sum, 1e-9);
        assertEquals(1.0 / 9, k[8][8], 1e-9);
        assertEquals(1.0 / 9, k[7][9], 1e-9);
        assertEquals(0.0, k[6][8], 1e-9);
        // radius 1: the 5-pixel cross
        double[][] cross = DefocusBlur.kernel(1, 0.2);
        assertEquals(0.2, cross[8][8], 1e-4);
        assertEquals(0.2, cross[7][8], 1e-4);
        assertEquals(0.0, cross[7][7], 1e-4);
        // radius 0.3: one pixel smoothed by a 3 x 3 Gaussian of sigma 0.4
        double[][] point = DefocusBlur.kernel(0.3, 0.4);
        double g = Math.exp(-0.5 / (0.4 * 0.4));
        assertEquals(1 / ((1 + 2 * g) * (1 + 2 * g)), point[8][8], 1e-9);
    }

    @Test
    void boxResamplingAveragesThePixelsUnderEachOutputPixel() {
        double[] half = SpatialFilters.boxResampleMatrix(4, 2);
        assertArrayEquals(new double[] {0.5, 0.5, 0, 0, 0, 0, 0.5, 0.5}, half, 1e-12);
        // 4 -> 3 (scale 4/3): Pillow's box picks pixel 0, the mean of 1 and 2, pixel 3
        double[] threeQuarters = SpatialFilters.boxResampleMatrix(4, 3);
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 1}, threeQuarters, 1e-12);
        // upsampling 2 -> 4 repeats each pixel twice
        assertArrayEquals(new double[] {1, 0, 1, 0, 0, 1, 0, 1}, SpatialFilters.boxResampleMatrix(2, 4), 1e-12);
    }

    @Test
    void blursAndPixelateKeepAConstantImageAndTheMeanOfAnImpulse() {
        try (NDManager m = manager.newSubManager()) {
            NDArray flat = m.full(new Shape(1, 3, 12, 12), 0.37f);
            for (Corruption c : new Corruption[] {Corruptions.gaussianBlur(), Corruptions.defocusBlur(),
                    Corruptions.pixelate()}) {
                for (int s = 1; s <= 5; s++) {
                    float[] y = c.apply(flat, s, 0).toFloatArray();
                    for (float v : y) {
                        assertEquals(0.37f, v, 1e-5f, c.name() + " " + s);
                    }
                }
            }
            // An impulse in the middle keeps its mass under a blur (no border reached) and spreads out.
            float[] v = new float[15 * 15];
            v[7 * 15 + 7] = 1f;
            NDArray impulse = m.create(v, new Shape(1, 1, 15, 15));
            for (Corruption c : new Corruption[] {Corruptions.gaussianBlur(), Corruptions.defocusBlur()}) {
                NDArray y = c.apply(impulse, 5, 0);
                assertEquals(1f, y.sum().getFloat(), 1e-5f, c.name());
                assertTrue(y.getFloat(0, 0, 7, 7) < 0.5f, c.name());
            }
        }
    }

    @Test
    void jpegChangesTheImageLessAtHigherQuality() {
        float[] clean = TestImages.pixels(1, 3, 32);
        double previous = Double.MAX_VALUE;
        for (int q : new int[] {10, 40, 80, 95}) {
            float[] v = clean.clone();
            JpegCompression.roundTrip(v, 0, 3, 32, 32, q);
            double mse = 0;
            for (int i = 0; i < v.length; i++) {
                mse += (v[i] - clean[i]) * (double) (v[i] - clean[i]);
            }
            assertTrue(mse > 0, "quality " + q + " changed nothing");
            assertTrue(mse < previous, "quality " + q + ": MSE " + mse + " >= " + previous);
            previous = mse;
        }
        float[] gray = TestImages.pixels(1, 1, 32);
        float[] g = gray.clone();
        JpegCompression.roundTrip(g, 0, 1, 32, 32, 40);
        assertTrue(!java.util.Arrays.equals(g, gray));
    }
}
