package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path tmp;

    @Test
    void loadsGzipFixtureWithLabelsPixelsAndNames() throws IOException {
        Fixtures.writeIdxSet(tmp, 3, 4, new int[] {9, 0, 3}, new int[] {5, 1}, true);
        TrainTest tt = FashionMnist.load(tmp);

        ImageDataset train = tt.train();
        assertEquals("fashion-mnist/train", train.name());
        assertEquals(3, train.size());
        assertEquals(1, train.channels());
        assertEquals(3, train.height());
        assertEquals(4, train.width());
        assertArrayEquals(new int[] {9, 0, 3}, train.labels());
        byte[] all = Fixtures.pattern(3 * 12, 1);
        assertArrayEquals(Arrays.copyOfRange(all, 12, 24), train.image(1));
        assertEquals(ClassNames.FASHION_MNIST, train.classNames());
        assertEquals("Ankle boot", train.classNames().get(9));
        assertEquals("T-shirt/top", train.classNames().get(0));

        ImageDataset test = tt.test();
        assertEquals("fashion-mnist/test", test.name());
        assertArrayEquals(new int[] {5, 1}, test.labels());
        assertArrayEquals(Arrays.copyOfRange(Fixtures.pattern(24, 2), 12, 24), test.image(1));
    }

    @Test
    void loadsUncompressedFiles() throws IOException {
        Fixtures.writeIdxSet(tmp, 2, 2, new int[] {1, 2}, new int[] {3}, false);
        TrainTest tt = FashionMnist.load(tmp);
        assertArrayEquals(new int[] {1, 2}, tt.train().labels());
        assertArrayEquals(Arrays.copyOfRange(Fixtures.pattern(4, 2), 0, 4), tt.test().image(0));
    }

    @Test
    void missingDirectoryListsFilesAndHowToInstall() {
        Path dir = tmp.resolve("absent");
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir));
        assertEquals("Fashion-MNIST not found under " + dir + ": expected train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; install"
                + " Debian's dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist) or set"
                + " EXCON_FASHION_MNIST to a directory holding these files", e.getMessage());
    }

    @Test
    void missingSingleFileIsNamed() throws IOException {
        Fixtures.writeIdxSet(tmp, 2, 2, new int[] {1}, new int[] {3}, true);
        Files.delete(tmp.resolve("t10k-labels-idx1-ubyte.gz"));
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(tmp));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST under " + tmp + " is missing t10k-labels-idx1-ubyte.gz"),
                e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        Fixtures.writeIdxSet(tmp, 2, 2, new int[] {1, 2, 3}, new int[] {3}, true);
        Fixtures.write(tmp.resolve("train-labels-idx1-ubyte.gz"),
                Fixtures.gzip(Fixtures.idx(Idx.MAGIC_LABELS, new int[] {2}, Fixtures.bytes(1, 2))));
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(tmp));
        assertTrue(e.getMessage().contains("holds 3 images but"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 2 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesValueAndRecord() throws IOException {
        Fixtures.writeIdxSet(tmp, 2, 2, new int[] {1, 2, 12}, new int[] {3}, true);
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(tmp));
        assertTrue(e.getMessage().contains("label 12 of record 2"), e.getMessage());
        assertTrue(e.getMessage().contains("outside [0, 10)"), e.getMessage());
    }

    @Test
    void swappedFilesAreDiagnosed() throws IOException {
        Fixtures.writeIdxSet(tmp, 2, 2, new int[] {1}, new int[] {3}, true);
        Path images = tmp.resolve("train-images-idx3-ubyte.gz");
        Files.copy(tmp.resolve("train-labels-idx1-ubyte.gz"), images, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(tmp));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is this a label file?"), e.getMessage());
    }

    @Test
    void damagedFileNamesItAndHowToReplaceIt() throws IOException {
        Fixtures.writeIdxSet(tmp, 2, 2, new int[] {1, 2}, new int[] {3}, true);
        Path labels = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        byte[] gz = Files.readAllBytes(labels);
        gz[gz.length - 8] ^= 1; // inside the stored CRC-32
        Files.write(labels, gz);
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(tmp));
        assertTrue(e.getMessage().startsWith(labels + " is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("download it again from " + FashionMnist.PUBLISHED_AT), e.getMessage());
        assertTrue(FashionMnist.howToReplace(DataPaths.DEBIAN_FASHION_MNIST)
                .contains("sudo apt-get install --reinstall dataset-fashion-mnist"));
    }

    /** The real data set as installed by Debian's dataset-fashion-mnist. */
    @Test
    void realFashionMnist() {
        Path dir = DataPaths.DEBIAN_FASHION_MNIST;
        boolean present = Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"));
        if (!present && "1".equals(System.getenv("EXCON_REQUIRE_REAL_DATA"))) {
            fail("EXCON_REQUIRE_REAL_DATA=1 but Fashion-MNIST is not installed under " + dir
                    + "; run sudo apt-get install dataset-fashion-mnist");
        }
        Assumptions.assumeTrue(present, "Fashion-MNIST not installed under " + dir);

        TrainTest tt = FashionMnist.load(dir);
        assertEquals(60_000, tt.train().size());
        assertEquals(10_000, tt.test().size());
        assertEquals(List.of(1, 28, 28),
                List.of(tt.train().channels(), tt.train().height(), tt.train().width()));
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(tt.train().labels(), 10));
        int[] sixThousandEach = new int[10];
        Arrays.fill(sixThousandEach, 6_000);
        assertArrayEquals(sixThousandEach, tt.train().classCounts());
        int[] thousandEach = new int[10];
        Arrays.fill(thousandEach, 1_000);
        assertArrayEquals(thousandEach, tt.test().classCounts());
        // The normalisation constants the models use are the training set's own statistics.
        ChannelStats stats = ChannelStats.compute(tt.train());
        assertArrayEquals(ChannelStats.FASHION_MNIST.mean(), stats.mean(), 5e-5f);
        assertArrayEquals(ChannelStats.FASHION_MNIST.std(), stats.std(), 5e-5f);
    }
}
