package dev.excon.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MapComparisonTest {

    @Test
    void tiesShareTheMeanRank() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, MapComparison.ranks(new float[] {0.1f, 0.5f, 0.5f, 0.9f}));
    }

    @Test
    void handComputedCases() {
        float[] a = {1, 2, 3, 4, 5};
        assertEquals(1.0, MapComparison.spearman(a, new float[] {10, 20, 30, 40, 50}), 1e-12, "monotone");
        assertEquals(-1.0, MapComparison.spearman(a, new float[] {5, 4, 3, 2, 1}), 1e-12, "reversed");
        // ranks of b: 2 1 4 3 5; d = -1 1 -1 1 0; no ties, so rho = 1 - 6 * 4 / (5 * 24) = 0.8
        assertEquals(0.8, MapComparison.spearman(a, new float[] {2, 1, 4, 3, 5}), 1e-12);
        // with ties: ranks of b = 1.5 1.5 3 4 5; Pearson of (1..5) with them = 0.9746794344808963
        assertEquals(0.9746794344808963, MapComparison.spearman(a, new float[] {7, 7, 8, 9, 10}), 1e-12);
        assertTrue(Double.isNaN(MapComparison.spearman(a, new float[] {3, 3, 3, 3, 3})), "constant map");
        assertThrows(IllegalArgumentException.class, () -> MapComparison.spearman(a, new float[] {1, 2}));
    }

    @Test
    void rankCorrelationIgnoresMonotoneTransformsAndBatchesPerImage() {
        SplittableRandom r = new SplittableRandom(3);
        float[] maps = new float[2 * 16];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = (float) r.nextDouble();
        }
        float[] cubed = new float[maps.length];
        float[] mixed = maps.clone();
        for (int i = 0; i < maps.length; i++) {
            cubed[i] = maps[i] * maps[i] * maps[i];
        }
        for (int i = 16; i < 32; i++) {
            mixed[i] = -maps[i]; // second image reversed
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Shape s = new Shape(2, 1, 4, 4);
            assertArrayEquals(new double[] {1, 1},
                    MapComparison.spearman(m.create(maps, s), m.create(cubed, s)), 1e-12);
            assertArrayEquals(new double[] {1, -1},
                    MapComparison.spearman(m.create(maps, s), m.create(mixed, s)), 1e-12);
            assertThrows(IllegalArgumentException.class,
                    () -> MapComparison.spearman(m.create(maps, s), m.create(maps, new Shape(1, 2, 4, 4))));
        }
    }
}
