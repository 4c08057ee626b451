package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PixelRankingTest {

    @Test
    void ranksByDecreasingValueWithTiesInIndexOrder() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // Map 1: values 1, 3, 3, 0: order 1, 2 (the tie, lower index first), 0, 3.
            // Map 2: constant: row-major order. Map 3: -0 and 0 are equal.
            float[] maps = {1, 3, 3, 0, 5, 5, 5, 5, 0, -0f, 2, 0};
            long[] ranks = PixelRanking.ranks(m.create(maps, new Shape(3, 1, 2, 2))).toLongArray();
            assertArrayEquals(new long[] {2, 0, 1, 3, 0, 1, 2, 3, 1, 2, 0, 3}, ranks);
        }
    }

    @Test
    void equalsAJavaSortOnMapsWithManyTies() {
        int n = 5;
        int p = 12 * 12;
        SplittableRandom rng = new SplittableRandom(3);
        float[] maps = new float[n * p];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = rng.nextInt(7) - 3; // seven levels: lots of ties
        }
        long[] expected = new long[n * p];
        for (int i = 0; i < n; i++) {
            final int base = i * p;
            Integer[] order = new Integer[p];
            for (int j = 0; j < p; j++) {
                order[j] = j;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(j -> -maps[base + j]).thenComparingInt(j -> j));
            for (int r = 0; r < p; r++) {
                expected[base + order[r]] = r;
            }
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            long[] ranks = PixelRanking.ranks(m.create(maps, new Shape(n, 1, 12, 12))).toLongArray();
            assertArrayEquals(expected, ranks);
        }
    }
}
