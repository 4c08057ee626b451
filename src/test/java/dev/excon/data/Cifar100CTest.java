package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar100CTest {

    @TempDir
    Path tmp;

    static final int N = 10; // 5 severities x 2 images
    static final int H = 2;
    static final int W = 3;

    /** The NHWC value of image n at (y, x, c): distinct for every position. */
    static int value(int n, int y, int x, int c) {
        return (n * 18 + y * 9 + x * 3 + c) & 0xFF;
    }

    static byte[] nhwc(int n) {
        byte[] data = new byte[n * H * W * 3];
        int i = 0;
        for (int k = 0; k < n; k++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    for (int c = 0; c < 3; c++) {
                        data[i++] = (byte) value(k, y, x, c);
                    }
                }
            }
        }
        return data;
    }

    static final long[] LABELS = {0, 1, 10, 11, 20, 21, 30, 31, 98, 99};

    @BeforeEach
    void writeFiles() throws IOException {
        Fixtures.write(tmp.resolve("gaussian_noise.npy"), Fixtures.npy(1, "|u1", false, new long[] {N, H, W, 3},
                nhwc(N)));
        Fixtures.write(tmp.resolve("fog.npy"), Fixtures.npy(1, "|u1", false, new long[] {N, H, W, 3}, nhwc(N)));
        Fixtures.write(tmp.resolve("labels.npy"),
                Fixtures.npy(1, "<i8", false, new long[] {N}, Fixtures.littleEndianLongs(LABELS)));
        Files.writeString(tmp.resolve("README.txt"), "not a corruption");
    }

    @Test
    void listsCorruptionsSorted() {
        assertEquals(List.of("fog", "gaussian_noise"), Cifar100C.corruptions(tmp));
    }

    @Test
    void loadsOneSeverityTransposedToChw() {
        ImageDataset ds = Cifar100C.load(tmp, "gaussian_noise", 3);
        assertEquals("cifar100-c/gaussian_noise/3", ds.name());
        assertEquals(2, ds.size());
        assertEquals(List.of(3, H, W), List.of(ds.channels(), ds.height(), ds.width()));
        assertArrayEquals(new int[] {20, 21}, ds.labels());
        assertEquals(ClassNames.CIFAR100_FINE, ds.classNames());
        for (int i = 0; i < 2; i++) {
            byte[] img = ds.image(i);
            int n = 4 + i; // severity 3 = images 4 and 5
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        assertEquals(value(n, y, x, c), img[c * H * W + y * W + x] & 0xFF,
                                "image " + i + " at c=" + c + " y=" + y + " x=" + x);
                    }
                }
            }
        }
        assertArrayEquals(new int[] {98, 99}, Cifar100C.load(tmp, "fog", 5).labels());
        assertArrayEquals(new int[] {0, 1}, Cifar100C.load(tmp, "fog", 1).labels());
    }

    @Test
    void unknownCorruptionListsAvailable() {
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "snow", 1));
        assertEquals("CIFAR-100-C under " + tmp + " has no corruption 'snow' (no snow.npy); available: fog,"
                + " gaussian_noise", e.getMessage());
    }

    @Test
    void severityOutsideOneToFive() {
        for (int s : new int[] {0, 6}) {
            DatasetException e = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "fog", s));
            assertTrue(e.getMessage().contains("severity " + s + " is outside 1-5"), e.getMessage());
        }
    }

    @Test
    void missingDirectoryAndLabels() throws IOException {
        Path absent = tmp.resolve("CIFAR-100-C");
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar100C.corruptions(absent));
        assertTrue(e.getMessage().startsWith("CIFAR-100-C not found under " + absent), e.getMessage());
        assertTrue(e.getMessage().contains("zenodo.org/record/3555552"), e.getMessage());

        Files.delete(tmp.resolve("labels.npy"));
        DatasetException e2 = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "fog", 1));
        assertTrue(e2.getMessage().contains("is missing labels.npy"), e2.getMessage());
    }

    @Test
    void wrongDtypeShapeAndLabels() throws IOException {
        Path f4 = Fixtures.write(tmp.resolve("float.npy"),
                Fixtures.npy(1, "<f4", false, new long[] {5, 1, 1, 3}, new byte[60]));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "float", 1));
        assertTrue(e.getMessage().contains(f4 + " has dtype '<f4', expected uint8 images"), e.getMessage());

        Path flat = Fixtures.write(tmp.resolve("flat.npy"),
                Fixtures.npy(1, "|u1", false, new long[] {N, H * W * 3}, nhwc(N)));
        DatasetException e2 = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "flat", 1));
        assertTrue(e2.getMessage().contains(flat + " has shape (10, 18), expected (N, H, W, 3)"), e2.getMessage());

        Fixtures.write(tmp.resolve("seven.npy"), Fixtures.npy(1, "|u1", false, new long[] {7, 1, 1, 3},
                new byte[21]));
        DatasetException e3 = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "seven", 1));
        assertTrue(e3.getMessage().contains("has shape (7, 1, 1, 3)"), e3.getMessage());

        Path labels = Fixtures.write(tmp.resolve("labels.npy"),
                Fixtures.npy(1, "<i8", false, new long[] {5}, Fixtures.littleEndianLongs(1, 2, 3, 4, 5)));
        DatasetException e4 = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "fog", 1));
        assertTrue(e4.getMessage().contains(labels + " has shape (5,), expected (10,)"), e4.getMessage());

        long[] bad = LABELS.clone();
        bad[3] = 100;
        Fixtures.write(labels, Fixtures.npy(1, "<i8", false, new long[] {N}, Fixtures.littleEndianLongs(bad)));
        assertEquals(2, Cifar100C.load(tmp, "fog", 1).size()); // index 3 is severity 2
        DatasetException e5 = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "fog", 2));
        assertTrue(e5.getMessage().contains("label 100 at index 3 is outside [0, 100)"), e5.getMessage());
    }

    @Test
    void truncatedCorruptionFile() throws IOException {
        byte[] full = Fixtures.npy(1, "|u1", false, new long[] {N, H, W, 3}, nhwc(N));
        Path p = Fixtures.write(tmp.resolve("fog.npy"), java.util.Arrays.copyOf(full, full.length - 20));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar100C.load(tmp, "fog", 1));
        assertTrue(e.getMessage().contains(p + " is truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("needs 180 data bytes"), e.getMessage());
    }
}
