package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    @TempDir
    Path tmp;

    @Test
    void readsGzipAndPlainImagesIdentically() throws IOException {
        byte[] pixels = Fixtures.pattern(3 * 2 * 4, 5);
        byte[] file = Fixtures.idx(Idx.MAGIC_IMAGES, new int[] {3, 2, 4}, pixels);
        Path plain = Fixtures.write(tmp.resolve("img"), file);
        // A misleading name on purpose: compression is detected from the content.
        Path gz = Fixtures.write(tmp.resolve("img-gz.bin"), Fixtures.gzip(file));

        for (Path p : new Path[] {plain, gz}) {
            Idx.Images images = Idx.readImages(p);
            assertEquals(3, images.count());
            assertEquals(2, images.rows());
            assertEquals(4, images.cols());
            assertArrayEquals(pixels, images.pixels(), p.toString());
        }
    }

    @Test
    void labelsAreUnsigned() throws IOException {
        Path p = Fixtures.write(tmp.resolve("lab.gz"),
                Fixtures.gzip(Fixtures.idx(Idx.MAGIC_LABELS, new int[] {4}, Fixtures.bytes(0, 9, 200, 255))));
        assertArrayEquals(new int[] {0, 9, 200, 255}, Idx.readLabels(p));
    }

    @Test
    void wrongMagicSaysExpectedFoundAndSuggestsSwap() throws IOException {
        Path labels = Fixtures.write(tmp.resolve("labels"),
                Fixtures.idx(Idx.MAGIC_LABELS, new int[] {2}, Fixtures.bytes(1, 2)));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(labels));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("found 0x00000801") || e.getMessage().contains("magic number 0x00000801"),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("is this a label file?"), e.getMessage());

        Path images = Fixtures.write(tmp.resolve("images"),
                Fixtures.idx(Idx.MAGIC_IMAGES, new int[] {1, 1, 1}, Fixtures.bytes(7)));
        DatasetException e2 = assertThrows(DatasetException.class, () -> Idx.readLabels(images));
        assertTrue(e2.getMessage().contains("is this an image file?"), e2.getMessage());
    }

    @Test
    void notAnIdxFileAtAll() throws IOException {
        Path p = Fixtures.write(tmp.resolve("readme.txt"), "hello world, not idx".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void truncatedDataGivesOffsetAndExpectedLength() throws IOException {
        // Header declares 3 images of 2x2 (12 data bytes, 16 header bytes) but only 5 data bytes follow.
        byte[] full = Fixtures.idx(Idx.MAGIC_IMAGES, new int[] {3, 2, 2}, Fixtures.pattern(12, 1));
        byte[] cut = Arrays.copyOf(full, 16 + 5);
        for (boolean gz : new boolean[] {false, true}) {
            Path p = Fixtures.write(tmp.resolve("cut" + gz), gz ? Fixtures.gzip(cut) : cut);
            DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(p));
            assertTrue(e.getMessage().contains(p + " is truncated"), e.getMessage());
            assertTrue(e.getMessage().contains("ended at byte 21"), e.getMessage());
            assertTrue(e.getMessage().contains("needs 28 bytes"), e.getMessage());
            assertTrue(e.getMessage().contains("download it again"), e.getMessage());
        }
    }

    @Test
    void truncatedHeader() throws IOException {
        Path p = Fixtures.write(tmp.resolve("head"), Fixtures.bytes(0, 0, 8, 3, 0, 0));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains("the header ended at byte 6"), e.getMessage());
        assertTrue(e.getMessage().contains("needs 16 bytes"), e.getMessage());
    }

    @Test
    void corruptGzipIsReportedAsSuch() throws IOException {
        byte[] gz = Fixtures.gzip(Fixtures.idx(Idx.MAGIC_IMAGES, new int[] {4, 8, 8}, Fixtures.pattern(256, 3)));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        Path truncatedGz = Fixtures.write(tmp.resolve("cut.gz"), cut);
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(truncatedGz));
        assertTrue(e.getMessage().contains(truncatedGz + " is not valid gzip data"), e.getMessage());
        assertTrue(e.getMessage().contains("download it again"), e.getMessage());

        byte[] garbled = gz.clone();
        for (int i = 12; i < garbled.length - 8; i++) {
            garbled[i] = (byte) 0xFF;
        }
        Path bad = Fixtures.write(tmp.resolve("bad.gz"), garbled);
        DatasetException e2 = assertThrows(DatasetException.class, () -> Idx.readImages(bad));
        assertTrue(e2.getMessage().contains("is not valid gzip data"), e2.getMessage());
    }

    /** 36 images of 32x32: 36,880 bytes, one stored deflate block, so flipped bytes decode without an error. */
    private static byte[] storedGzipImages() throws IOException {
        return Fixtures.gzipStored(Fixtures.idx(Idx.MAGIC_IMAGES, new int[] {36, 32, 32}, Fixtures.pattern(36 * 1024, 4)));
    }

    /** Asserts that the system's gzip (when installed) also finds {@code file} damaged: the independent verdict. */
    private static void assertGzipRejects(Path file) throws IOException, InterruptedException {
        Optional<SystemTools.Run> r = SystemTools.gzipTest(file);
        r.ifPresent(run -> assertNotEquals(0, run.exitCode(), "gzip -t accepted " + file + ": " + run.output()));
    }

    @Test
    void flippedBytesInTheMiddleFailTheCrc() throws Exception {
        byte[] gz = storedGzipImages();
        Path intact = Fixtures.write(tmp.resolve("intact.gz"), gz);
        SystemTools.gzipTest(intact).ifPresent(r -> assertEquals(0, r.exitCode(), r.output()));
        assertEquals(36, Idx.readImages(intact).count());

        byte[] flipped = gz.clone();
        for (int i = flipped.length / 2; i < flipped.length / 2 + 100; i++) {
            flipped[i] ^= (byte) 0xFF;
        }
        Path bad = Fixtures.write(tmp.resolve("flipped.gz"), flipped);
        assertGzipRejects(bad);
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(bad));
        assertTrue(e.getMessage().startsWith(bad + " is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("CRC32"), e.getMessage());
        assertTrue(e.getMessage().contains("download it again"), e.getMessage());
    }

    @Test
    void gzipCutInsideItsTrailerIsRefused() throws Exception {
        byte[] gz = storedGzipImages();
        // The whole IDX payload is there; only the CRC-32 and the length at the end are cut off.
        Path cut = Fixtures.write(tmp.resolve("cut-trailer.gz"), Arrays.copyOf(gz, gz.length - 6));
        assertGzipRejects(cut);
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(cut));
        assertTrue(e.getMessage().startsWith(cut + " is not valid gzip data"), e.getMessage());
        assertTrue(e.getMessage().contains("download it again"), e.getMessage());
    }

    @Test
    void garbageAfterTheGzipStreamIsRefused() throws Exception {
        byte[] gz = Fixtures.gzip(Fixtures.idx(Idx.MAGIC_LABELS, new int[] {3}, Fixtures.bytes(1, 2, 3)));
        byte[] withGarbage = Arrays.copyOf(gz, gz.length + 7);
        System.arraycopy("GARBAGE".getBytes(StandardCharsets.US_ASCII), 0, withGarbage, gz.length, 7);
        Path p = Fixtures.write(tmp.resolve("garbage.gz"), withGarbage);
        assertGzipRejects(p);
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readLabels(p));
        assertTrue(e.getMessage().startsWith(p + " is not valid gzip data"), e.getMessage());
        assertTrue(e.getMessage().contains("after a valid .gz stream"), e.getMessage());
    }

    @Test
    void dataBeyondTheDeclaredPayloadIsRefused() throws Exception {
        // The header declares 2 labels; 5 follow. gzip itself has nothing to object to: the gzip layer is intact.
        byte[] file = Fixtures.idx(Idx.MAGIC_LABELS, new int[] {2}, Fixtures.bytes(1, 2, 3, 4, 5));
        Path gz = Fixtures.write(tmp.resolve("long.gz"), Fixtures.gzip(file));
        SystemTools.gzipTest(gz).ifPresent(r -> assertEquals(0, r.exitCode(), r.output()));
        Path plain = Fixtures.write(tmp.resolve("long"), file);
        for (Path p : new Path[] {gz, plain}) {
            DatasetException e = assertThrows(DatasetException.class, () -> Idx.readLabels(p));
            assertTrue(e.getMessage().contains(p + " holds 3 more bytes after the 10 bytes its IDX header declares"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("download it again"), e.getMessage());
        }
    }

    @Test
    void concatenatedGzipMembersAreOneFile() throws Exception {
        // gzip's own rule (RFC 1952, 2.2): a file of several members decompresses to their concatenation.
        byte[] file = Fixtures.idx(Idx.MAGIC_IMAGES, new int[] {3, 2, 2}, Fixtures.pattern(12, 9));
        byte[] first = Fixtures.gzip(Arrays.copyOf(file, 19));
        byte[] second = Fixtures.gzip(Arrays.copyOfRange(file, 19, file.length));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Path p = Fixtures.write(tmp.resolve("two-members.gz"), both);
        SystemTools.gzipTest(p).ifPresent(r -> assertEquals(0, r.exitCode(), r.output()));
        assertArrayEquals(Fixtures.pattern(12, 9), Idx.readImages(p).pixels());
    }

    /** The reported case: Debian's train images with 100 bytes flipped in the middle. */
    @Test
    void realFashionMnistWithFlippedBytesIsRefused() throws Exception {
        Path original = DataPaths.DEBIAN_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.isRegularFile(original), "Fashion-MNIST not installed under " + original);
        byte[] gz = Files.readAllBytes(original);
        for (int i = gz.length / 2; i < gz.length / 2 + 100; i++) {
            gz[i] ^= (byte) 0xFF;
        }
        Path bad = Fixtures.write(tmp.resolve("train-images-idx3-ubyte.gz"), gz);
        assertGzipRejects(bad);
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(bad));
        assertTrue(e.getMessage().startsWith(bad + " is corrupt"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path p = tmp.resolve("nope.gz");
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readLabels(p));
        assertTrue(e.getMessage().contains(p + " not found"), e.getMessage());
    }
}
