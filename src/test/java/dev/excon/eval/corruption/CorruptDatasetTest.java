package dev.excon.eval.corruption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.excon.data.ArrayImageDataset;
import dev.excon.data.ImageDataset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorruptDatasetTest {

    /** 300 small images (more than one batch of 256), labels i % 3. */
    private static ImageDataset data() {
        int n = 300;
        float[] v = TestImages.pixels(n, 3, 8);
        byte[] px = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            px[i] = (byte) Math.round(v[i] * 255);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new ArrayImageDataset("synthetic/test", px, labels, 3, 8, 8, List.of("a", "b", "c"));
    }

    @Test
    void aCorruptedDataSetIsNamedCifarCLikeAndKeepsItsLabels() {
        ImageDataset clean = data();
        ImageDataset c = Corruptions.corrupt(clean, "gaussian_noise", 3, 9);
        assertEquals("cifar-c-like/gaussian_noise/3", c.name());
        assertEquals(clean.size(), c.size());
        assertArrayEquals(clean.labels(), c.labels());
        assertEquals(clean.classNames(), c.classNames());
        assertFalse(Arrays.equals(clean.image(5), c.image(5)));
        assertArrayEquals(c.image(299), Corruptions.corrupt(clean, "gaussian_noise", 3, 9).image(299));
    }

    @Test
    void imagesInTheSecondBatchEqualTheirCorruptionAlone() {
        ImageDataset clean = data();
        ImageDataset c = Corruptions.corrupt(clean, Corruptions.impulseNoise(), 5, 4);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            byte[] raw = clean.image(280);
            float[] v = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                v[i] = (raw[i] & 0xFF) / 255f;
            }
            NDArray x = m.create(v, new Shape(1, 3, 8, 8));
            float[] y = Corruptions.impulseNoise().apply(x, 5, 4, 280).toFloatArray();
            byte[] want = new byte[y.length];
            for (int i = 0; i < y.length; i++) {
                want[i] = (byte) Math.round(y[i] * 255f);
            }
            assertArrayEquals(want, c.image(280));
        }
    }

    @Test
    void aNoOpKeepsEveryPixelExactly() {
        ImageDataset clean = data();
        // saturate on 1-channel images is the identity: uint8 -> float -> uint8 must not lose a level
        int n = 4;
        byte[] px = new byte[n * 36];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        ImageDataset gray = new ArrayImageDataset("g", px, new int[n], 1, 6, 6, List.of("x"));
        ImageDataset same = Corruptions.corrupt(gray, Corruptions.saturate(), 4);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(gray.image(i), same.image(i));
        }
        assertEquals(300, clean.size());
    }
}
