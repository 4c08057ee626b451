package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyImageNetTest {

    @TempDir
    Path tmp;

    Path root;

    /** wnids.txt lists them unsorted; sorted order is n01 (label 0), n02 (1), n03 (2). */
    static final List<String> WNIDS_AS_LISTED = List.of("n03", "n01", "n02");

    static final int[][] TRAIN_COLOURS = {{200, 30, 40}, {20, 180, 60}, {50, 60, 220}}; // by sorted label

    static Path jpeg(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "jpg", file.toFile()), "no JPEG writer");
        return file;
    }

    static BufferedImage solid(int side, int r, int g, int b) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    static BufferedImage solidGray(int side, int v) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = new int[side * side];
        java.util.Arrays.fill(values, v);
        img.getRaster().setSamples(0, 0, side, side, 0, values);
        return img;
    }

    @BeforeEach
    void writeTree() throws IOException {
        root = tmp.resolve("tiny-imagenet-200");
        Files.createDirectories(root);
        Files.writeString(root.resolve("wnids.txt"), String.join("\n", WNIDS_AS_LISTED) + "\n");
        Files.writeString(root.resolve("words.txt"),
                "n00\tentity\nn01\tgoldfish, Carassius auratus\nn02\tEuropean fire salamander, Salamandra\n"
                        + "n03\tbullfrog\n");
        String[] sorted = {"n01", "n02", "n03"};
        for (int c = 0; c < 3; c++) {
            int[] rgb = TRAIN_COLOURS[c];
            for (int k = 0; k < 2; k++) {
                jpeg(root.resolve("train/" + sorted[c] + "/images/" + sorted[c] + "_" + k + ".JPEG"),
                        solid(64, rgb[0], rgb[1], rgb[2]));
            }
            Files.writeString(root.resolve("train/" + sorted[c] + "/" + sorted[c] + "_boxes.txt"), "ignored\n");
        }
        jpeg(root.resolve("val/images/val_0.JPEG"), solid(64, 10, 250, 10));
        jpeg(root.resolve("val/images/val_1.JPEG"), solidGray(64, 90));
        jpeg(root.resolve("val/images/val_2.JPEG"), solid(64, 240, 240, 0));
        Files.writeString(root.resolve("val/val_annotations.txt"),
                "val_0.JPEG\tn03\t0\t1\t62\t63\nval_1.JPEG\tn01\t5\t6\t30\t40\nval_2.JPEG\tn02\t7\t8\t9\t10\n");
    }

    static void assertNear(int expected, int actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 3, what + ": expected about " + expected + ", got " + actual);
    }

    @Test
    void labelsFollowSortedWnidsAndPixelsAreChw() {
        TinyImageNet tin = TinyImageNet.load(root);
        assertEquals(List.of("n01", "n02", "n03"), tin.wnids());
        ImageDataset train = tin.train();
        assertEquals("tiny-imagenet/train", train.name());
        assertEquals(List.of(3, 64, 64), List.of(train.channels(), train.height(), train.width()));
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, train.labels());
        assertEquals(List.of("goldfish", "European fire salamander", "bullfrog"), train.classNames());

        int plane = 64 * 64;
        for (int i = 0; i < train.size(); i++) {
            byte[] img = train.image(i);
            int[] rgb = TRAIN_COLOURS[train.label(i)];
            for (int c = 0; c < 3; c++) {
                // Pixel (c, y=10, x=20) lives at c*H*W + y*W + x.
                assertNear(rgb[c], img[c * plane + 10 * 64 + 20] & 0xFF, "image " + i + " channel " + c);
            }
        }
    }

    @Test
    void valIsTheTestSetWithLabelsBoxesAndGrayAsRgb() {
        TinyImageNet tin = TinyImageNet.load(root);
        ImageDataset test = tin.test();
        assertEquals("tiny-imagenet/val", test.name());
        assertArrayEquals(new int[] {2, 0, 1}, test.labels());
        assertEquals(List.of(new BoundingBox(0, 1, 62, 63), new BoundingBox(5, 6, 30, 40),
                new BoundingBox(7, 8, 9, 10)), tin.testBoxes());
        assertEquals(root.resolve("val/images/val_1.JPEG"), tin.testFiles().get(1));

        byte[] gray = test.image(1);
        int plane = 64 * 64;
        for (int c = 0; c < 3; c++) {
            assertEquals(gray[33 * 64 + 17], gray[c * plane + 33 * 64 + 17], "gray repeated in channel " + c);
            assertNear(90, gray[c * plane + 33 * 64 + 17] & 0xFF, "gray value");
        }
        byte[] green = test.image(0);
        assertNear(10, green[5] & 0xFF, "R");
        assertNear(250, green[plane + 5] & 0xFF, "G");

        TrainTest tt = tin.trainTest();
        assertEquals(tin.train(), tt.train());
        assertEquals(tin.test(), tt.test());
    }

    @Test
    void classNameFallsBackToWnidWithoutWordsFile() throws IOException {
        Files.delete(root.resolve("words.txt"));
        assertEquals(List.of("n01", "n02", "n03"), TinyImageNet.load(root).train().classNames());
    }

    @Test
    void missingDirectoryExplainsDownload() {
        Path absent = tmp.resolve("nothing");
        DatasetException e = assertThrows(DatasetException.class, () -> TinyImageNet.load(absent));
        assertTrue(e.getMessage().startsWith("Tiny ImageNet not found under " + absent + ": expected wnids.txt"),
                e.getMessage());
        assertTrue(e.getMessage().contains("tiny-imagenet-200.zip"), e.getMessage());
        assertTrue(e.getMessage().contains("EXCON_TINY_IMAGENET"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Files.delete(root.resolve("val/val_annotations.txt"));
        DatasetException e = assertThrows(DatasetException.class, () -> TinyImageNet.load(root));
        assertTrue(e.getMessage().contains("is missing val/val_annotations.txt"), e.getMessage());

        Files.delete(root.resolve("wnids.txt"));
        DatasetException e2 = assertThrows(DatasetException.class, () -> TinyImageNet.load(root));
        assertTrue(e2.getMessage().contains("is missing wnids.txt"), e2.getMessage());
    }

    @Test
    void classFolderWithoutImages() throws IOException {
        Path images = root.resolve("train/n02/images");
        for (String f : new String[] {"n02_0.JPEG", "n02_1.JPEG"}) {
            Files.delete(images.resolve(f));
        }
        DatasetException e = assertThrows(DatasetException.class, () -> TinyImageNet.load(root));
        assertTrue(e.getMessage().contains("class folder " + images + " (wnid n02 from wnids.txt) is missing or"
                + " holds no images"), e.getMessage());
    }

    @Test
    void badAnnotations() throws IOException {
        Path ann = root.resolve("val/val_annotations.txt");
        Files.writeString(ann, "val_0.JPEG\tn03\t0\t1\t62\t63\nval_1.JPEG\tn99\t5\t6\t30\t40\n");
        DatasetException e = assertThrows(DatasetException.class, () -> TinyImageNet.load(root));
        assertTrue(e.getMessage().contains(ann + " line 2 names wnid n99, which is not in wnids.txt"),
                e.getMessage());

        Files.writeString(ann, "val_0.JPEG\tn03\t0\t1\n");
        DatasetException e2 = assertThrows(DatasetException.class, () -> TinyImageNet.load(root));
        assertTrue(e2.getMessage().contains("line 1 has 4 tab-separated fields, expected 6"), e2.getMessage());

        Files.writeString(ann, "val_7.JPEG\tn03\t0\t1\t2\t3\n");
        DatasetException e3 = assertThrows(DatasetException.class, () -> TinyImageNet.load(root));
        assertTrue(e3.getMessage().contains("line 1 lists val_7.JPEG but " + root.resolve("val/images/val_7.JPEG")
                + " does not exist"), e3.getMessage());
    }

    @Test
    void undecodableAndWrongSizedImagesAreNamed() throws IOException {
        Path bad = root.resolve("train/n03/images/n03_1.JPEG");
        Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        DatasetException e = assertThrows(DatasetException.class, () -> TinyImageNet.load(root));
        assertTrue(e.getMessage().startsWith("cannot decode image " + bad), e.getMessage());

        jpeg(bad, solid(32, 1, 2, 3));
        DatasetException e2 = assertThrows(DatasetException.class, () -> TinyImageNet.load(root));
        assertTrue(e2.getMessage().contains(bad + " is 32x32 (height x width), expected 64x64"), e2.getMessage());
    }
}
