package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static int[] sourceIndices(ImageDataset part) {
        // numbered data: channel 0 of image i holds i * 7 mod 256; with n <= 256 and 7 coprime to 256, i is unique.
        int[] out = new int[part.size()];
        for (int k = 0; k < part.size(); k++) {
            int v = part.image(k)[0] & 0xFF;
            out[k] = (v * 183) % 256; // 183 is 7's inverse mod 256
        }
        return out;
    }

    @Test
    void keepsClassProportionsAndCoversEveryImageOnce() {
        int[] labels = new int[250];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 150 ? 0 : (i < 200 ? 1 : 2); // 150 / 50 / 50
        }
        ImageDataset data = SyntheticData.numbered(labels, 1, 2, 3);
        TrainValidation s = Splits.stratified(data, 0.2, 42);
        assertArrayEquals(new int[] {30, 10, 10}, s.validation().classCounts());
        assertArrayEquals(new int[] {120, 40, 40}, s.train().classCounts());
        Set<Integer> seen = new HashSet<>();
        for (int i : sourceIndices(s.train())) {
            assertTrue(seen.add(i));
        }
        for (int i : sourceIndices(s.validation())) {
            assertTrue(seen.add(i), "image " + i + " is in both parts");
        }
        assertEquals(250, seen.size());
        // Labels travel with their images.
        int[] idx = sourceIndices(s.validation());
        for (int k = 0; k < idx.length; k++) {
            assertEquals(labels[idx[k]], s.validation().label(k));
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        ImageDataset data = SyntheticData.numbered(200, 1, 2, 4);
        int[] a = sourceIndices(Splits.stratified(data, 0.2, 1).validation());
        int[] b = sourceIndices(Splits.stratified(data, 0.2, 1).validation());
        int[] c = sourceIndices(Splits.stratified(data, 0.2, 2).validation());
        assertArrayEquals(a, b);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
        // Both parts keep the original order.
        for (int k = 1; k < a.length; k++) {
            assertTrue(a[k - 1] < a[k]);
        }
    }

    @Test
    void smallClassesStillGetAValidationImage() {
        ImageDataset data = SyntheticData.numbered(new int[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 2, 2);
        TrainValidation s = Splits.stratified(data, 0.1, 0);
        assertArrayEquals(new int[] {1, 1}, s.validation().classCounts());
    }

    @Test
    void rejectsABadFraction() {
        ImageDataset data = SyntheticData.numbered(10, 1, 2, 2);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Splits.stratified(data, 1.0, 0));
        assertTrue(e.getMessage().contains("validationFraction=1.0"), e.getMessage());
    }

    @Test
    void perClassSampleIsBalancedAndSeeded() {
        ImageDataset data = SyntheticData.numbered(200, 1, 2, 4);
        ImageDataset s = Splits.perClass(data, 5, 3);
        assertArrayEquals(new int[] {5, 5, 5, 5}, s.classCounts());
        assertArrayEquals(sourceIndices(s), sourceIndices(Splits.perClass(data, 5, 3)));
    }
}
