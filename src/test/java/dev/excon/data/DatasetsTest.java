package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue delegates to the right reader, and the built-in class names are the official ones. */
class DatasetsTest {

    @TempDir
    Path tmp;

    @Test
    void mnistUsesDigitNamesAndItsOwnId() throws IOException {
        Fixtures.writeIdxSet(tmp, 2, 2, new int[] {7, 3}, new int[] {1}, true);
        TrainTest tt = Datasets.mnist(tmp);
        assertEquals("mnist/train", tt.train().name());
        assertEquals(ClassNames.MNIST, tt.train().classNames());
        assertArrayEquals(new int[] {7, 3}, tt.train().labels());
        assertEquals(FashionMnist.load(tmp).train().fingerprint(), Datasets.fashionMnist(tmp).train().fingerprint());

        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.mnist(tmp.resolve("x")));
        assertTrue(e.getMessage().startsWith("MNIST not found under"), e.getMessage());
    }

    @Test
    void cifarEntriesDelegate() throws IOException {
        byte[] rec = new byte[2 + Cifar.IMAGE_BYTES];
        rec[0] = 3;
        rec[1] = 77;
        rec[500] = 9;
        Fixtures.write(tmp.resolve("train.bin"), rec);
        Fixtures.write(tmp.resolve("test.bin"), rec);
        assertArrayEquals(new int[] {77}, Datasets.cifar100(tmp).train().labels());
        assertArrayEquals(new int[] {3}, Datasets.cifar100(tmp, Cifar.Labels.COARSE).test().labels());
        assertEquals(9, Datasets.cifar100(tmp).train().image(0)[498]);
    }

    @Test
    void imageFolderEntries() throws IOException {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, 4, 2, 0, new int[] {8, 8, 8, 8, 8, 8, 8, 8});
        Files.createDirectories(tmp.resolve("only"));
        assertTrue(ImageIO.write(img, "png", tmp.resolve("only/a.png").toFile()));
        ImageDataset rgb = Datasets.imageFolder(tmp);
        assertEquals(List.of(3, 2, 4), List.of(rgb.channels(), rgb.height(), rgb.width()));
        ImageDataset gray = Datasets.imageFolder(tmp, 1, 1, 2);
        assertArrayEquals(Fixtures.bytes(8, 8), gray.image(0));
    }

    @Test
    void cifar100cEntry() throws IOException {
        Fixtures.write(tmp.resolve("snow.npy"),
                Fixtures.npy(1, "|u1", false, new long[] {5, 1, 1, 3}, Fixtures.pattern(15, 0)));
        Fixtures.write(tmp.resolve("labels.npy"),
                Fixtures.npy(1, "|u1", false, new long[] {5}, Fixtures.bytes(1, 2, 3, 4, 5)));
        ImageDataset ds = Datasets.cifar100c(tmp, "snow", 4);
        assertArrayEquals(new int[] {4}, ds.labels());
        assertArrayEquals(java.util.Arrays.copyOfRange(Fixtures.pattern(15, 0), 9, 12), ds.image(0));
    }

    @Test
    void builtInClassNamesAreOfficialCountsAndUnique() {
        assertEquals(10, ClassNames.FASHION_MNIST.size());
        assertEquals(10, ClassNames.CIFAR10.size());
        assertEquals(100, ClassNames.CIFAR100_FINE.size());
        assertEquals(20, ClassNames.CIFAR100_COARSE.size());
        for (List<String> names : List.of(ClassNames.CIFAR10, ClassNames.CIFAR100_FINE, ClassNames.CIFAR100_COARSE)) {
            assertEquals(names.size(), new HashSet<>(names).size(), "duplicates in " + names);
            // The official CIFAR name files are in alphabetical order.
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(null);
            assertEquals(sorted, names);
        }
        assertEquals("keyboard", ClassNames.CIFAR100_FINE.get(39));
        assertEquals("large_man-made_outdoor_things", ClassNames.CIFAR100_COARSE.get(9));
    }
}
