package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {

    @TempDir
    Path tmp;

    /** Image {@code seed}: R plane, then G, then B, each 32x32 row-major, as in the CIFAR binary files. */
    private static byte[] image(int seed) {
        return Fixtures.pattern(Cifar.IMAGE_BYTES, seed);
    }

    /** CIFAR records: the label bytes of each record, then its 3072 pixel bytes. */
    private static byte[] records(int[][] labelBytes, int firstSeed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < labelBytes.length; i++) {
            for (int b : labelBytes[i]) {
                out.write(b);
            }
            out.writeBytes(image(firstSeed + i));
        }
        return out.toByteArray();
    }

    private void writeCifar10(Path dir) throws IOException {
        for (int b = 1; b <= 5; b++) {
            // Batch b holds two images with labels b and b+4 and seeds 10*b, 10*b+1.
            Fixtures.write(dir.resolve("data_batch_" + b + ".bin"), records(new int[][] {{b}, {b + 4}}, 10 * b));
        }
        Fixtures.write(dir.resolve("test_batch.bin"), records(new int[][] {{0}, {9}, {3}}, 100));
    }

    @Test
    void cifar10ReadsBatchesInOrderWithChwPixels() throws IOException {
        writeCifar10(tmp);
        TrainTest tt = Cifar.load10(tmp);
        ImageDataset train = tt.train();
        assertEquals("cifar10/train", train.name());
        assertEquals(10, train.size());
        assertEquals(List.of(3, 32, 32), List.of(train.channels(), train.height(), train.width()));
        assertArrayEquals(new int[] {1, 5, 2, 6, 3, 7, 4, 8, 5, 9}, train.labels());
        assertArrayEquals(image(31), train.image(5)); // batch 3, second record
        assertEquals(ClassNames.CIFAR10, train.classNames());

        ImageDataset test = tt.test();
        assertArrayEquals(new int[] {0, 9, 3}, test.labels());
        byte[] img = test.image(2);
        assertArrayEquals(image(102), img);
        // Record layout R,G,B planes = C x H x W: pixel (c=2, y=5, x=7) is byte 2*1024 + 5*32 + 7 of the record.
        assertEquals(image(102)[2 * 1024 + 5 * 32 + 7], img[2 * 32 * 32 + 5 * 32 + 7]);
    }

    @Test
    void cifar10UsesNameFileWhenPresent() throws IOException {
        writeCifar10(tmp);
        List<String> custom = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        Files.write(tmp.resolve("batches.meta.txt"), (String.join("\n", custom) + "\n\n").getBytes());
        assertEquals(custom, Cifar.load10(tmp).train().classNames());
    }

    @Test
    void nameFileWithWrongCountIsRejected() throws IOException {
        writeCifar10(tmp);
        Files.write(tmp.resolve("batches.meta.txt"), "a\nb\n".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(tmp));
        assertTrue(e.getMessage().contains("batches.meta.txt lists 2 class names, expected 10"), e.getMessage());
    }

    @Test
    void cifar100FineByDefaultAndCoarseOnRequest() throws IOException {
        Fixtures.write(tmp.resolve("train.bin"), records(new int[][] {{19, 99}, {0, 0}, {4, 57}}, 1));
        Fixtures.write(tmp.resolve("test.bin"), records(new int[][] {{7, 42}}, 50));

        TrainTest fine = Cifar.load100(tmp);
        assertEquals("cifar100/train", fine.train().name());
        assertArrayEquals(new int[] {99, 0, 57}, fine.train().labels());
        assertArrayEquals(new int[] {42}, fine.test().labels());
        assertEquals(ClassNames.CIFAR100_FINE, fine.train().classNames());
        assertEquals("worm", fine.train().classNames().get(99));
        assertArrayEquals(image(3), fine.train().image(2));
        assertArrayEquals(image(50), fine.test().image(0));

        TrainTest coarse = Cifar.load100(tmp, Cifar.Labels.COARSE);
        assertEquals("cifar100-coarse/train", coarse.train().name());
        assertArrayEquals(new int[] {19, 0, 4}, coarse.train().labels());
        assertArrayEquals(new int[] {7}, coarse.test().labels());
        assertEquals(20, coarse.train().numClasses());
        assertEquals("vehicles_2", coarse.train().classNames().get(19));
        assertArrayEquals(fine.train().image(1), coarse.train().image(1));
    }

    @Test
    void missingDirectoryExplainsDownload() {
        Path dir = tmp.resolve("cifar-10-batches-bin");
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(dir));
        assertTrue(e.getMessage().startsWith("CIFAR-10 not found under " + dir + ": expected data_batch_1.bin"),
                e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("EXCON_CIFAR10"), e.getMessage());
    }

    @Test
    void missingSingleFileIsNamed() throws IOException {
        writeCifar10(tmp);
        Files.delete(tmp.resolve("data_batch_4.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(tmp));
        assertTrue(e.getMessage().startsWith("CIFAR-10 under " + tmp + " is missing data_batch_4.bin"),
                e.getMessage());

        Path c100 = tmp.resolve("c100");
        Fixtures.write(c100.resolve("train.bin"), records(new int[][] {{1, 1}}, 1));
        DatasetException e2 = assertThrows(DatasetException.class, () -> Cifar.load100(c100));
        assertTrue(e2.getMessage().startsWith("CIFAR-100 under " + c100 + " is missing test.bin"), e2.getMessage());
        assertTrue(e2.getMessage().contains("EXCON_CIFAR100"), e2.getMessage());
    }

    @Test
    void sizeNotMultipleOfRecordGivesOffsetOfIncompleteRecord() throws IOException {
        writeCifar10(tmp);
        byte[] two = records(new int[][] {{1}, {2}}, 0);
        Path bad = Fixtures.write(tmp.resolve("data_batch_2.bin"), Arrays.copyOf(two, 3073 + 100));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(tmp));
        assertTrue(e.getMessage().contains(bad + " is 3173 bytes, not a multiple of the 3073-byte record"),
                e.getMessage());
        assertTrue(e.getMessage().contains("incomplete record 1 starts at byte 3073 and has only 100 bytes"),
                e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesValueAndRecord() throws IOException {
        writeCifar10(tmp);
        Path bad = Fixtures.write(tmp.resolve("test_batch.bin"), records(new int[][] {{0}, {1}, {10}}, 0));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(tmp));
        assertTrue(e.getMessage().contains(bad + ": label 10 of record 2 (byte 6146) is outside [0, 10)"),
                e.getMessage());

        Path c100 = tmp.resolve("c100");
        Fixtures.write(c100.resolve("train.bin"), records(new int[][] {{1, 1}}, 1));
        Fixtures.write(c100.resolve("test.bin"), records(new int[][] {{20, 1}}, 1));
        assertEquals(1, Cifar.load100(c100).test().size()); // fine label 1 is fine
        DatasetException e2 = assertThrows(DatasetException.class, () -> Cifar.load100(c100, Cifar.Labels.COARSE));
        assertTrue(e2.getMessage().contains("label 20 of record 0 (byte 0) is outside [0, 20)"), e2.getMessage());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        writeCifar10(tmp);
        Path empty = Fixtures.write(tmp.resolve("test_batch.bin"), new byte[0]);
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(tmp));
        assertTrue(e.getMessage().contains(empty + " is empty"), e.getMessage());
    }
}
