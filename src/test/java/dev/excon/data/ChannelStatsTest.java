package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelStatsTest {

    @Test
    void computesMeanAndPopulationStdPerChannel() {
        // Two 1x2 RGB images, channel-major. Channel 0: 0, 255, 255, 255 -> mean 0.75, std sqrt(3)/4.
        // Channel 1: 51, 51, 51, 102 -> mean 0.25, std 0.2 * sqrt(3) / 4. Channel 2: 0, 0, 255, 255 -> 0.5, 0.5.
        byte[] px = {0, (byte) 255, 51, 51, 0, 0, (byte) 255, (byte) 255, 51, 102, (byte) 255, (byte) 255};
        ImageDataset d = new ArrayImageDataset("t", px, new int[] {0, 0}, 3, 1, 2, List.of("a"));
        ChannelStats s = ChannelStats.compute(d);
        float r3 = (float) Math.sqrt(3);
        assertArrayEquals(new float[] {0.75f, 0.25f, 0.5f}, s.mean(), 1e-6f);
        assertArrayEquals(new float[] {r3 / 4, 0.2f * r3 / 4, 0.5f}, s.std(), 1e-6f);
    }

    @Test
    void aConstantChannelIsNotAUsableNormaliser() {
        byte[] px = {10, 20, 30, 30, 30, 30};
        ImageDataset d = new ArrayImageDataset("t", px, new int[] {0, 0}, 1, 1, 3, List.of("a"));
        assertTrue(ChannelStats.compute(d).std()[0] > 0);
        ImageDataset flat = new ArrayImageDataset("flat", new byte[] {5, 5}, new int[] {0, 0}, 1, 1, 1, List.of("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelStats.compute(flat));
        assertTrue(e.getMessage().contains("std=0.0"), e.getMessage());
    }

    @Test
    void grayscaleStatsExpandToThreeChannels() {
        ChannelStats s = ChannelStats.FASHION_MNIST.expandTo(3);
        assertArrayEquals(new float[] {0.2860f, 0.2860f, 0.2860f}, s.mean(), 0f);
        assertEquals(3, s.channels());
    }

    @Test
    void rejectsMismatchedLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChannelStats(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.2f}));
        assertTrue(e.getMessage().contains("mean has 3 values and std 1"), e.getMessage());
    }
}
