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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path tmp;

    /** An RGB image whose pixel (y, x) is (r, g, b) = (seed + 10y + x, 2*(10y + x), 255 - seed - x). */
    static BufferedImage rgb(int h, int w, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, red(y, x, seed) << 16 | green(y, x) << 8 | blue(x, seed));
            }
        }
        return img;
    }

    static int red(int y, int x, int seed) {
        return (seed + 10 * y + x) & 0xFF;
    }

    static int green(int y, int x) {
        return (2 * (10 * y + x)) & 0xFF;
    }

    static int blue(int x, int seed) {
        return (255 - seed - x) & 0xFF;
    }

    static Path png(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "png", file.toFile()));
        return file;
    }

    @Test
    void pngRoundTripsExactlyInChwLayoutWithSortedClasses() throws IOException {
        // Created out of order on purpose: classes and files must come out sorted.
        png(tmp.resolve("zebra/b.png"), rgb(3, 4, 40));
        png(tmp.resolve("zebra/a.png"), rgb(3, 4, 30));
        png(tmp.resolve("ant/x.png"), rgb(3, 4, 20));
        Files.writeString(tmp.resolve("ant/notes.txt"), "not an image");

        ImageDataset ds = ImageFolder.load(tmp);
        assertEquals(List.of("ant", "zebra"), ds.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, ds.labels());
        assertEquals(List.of(3, 3, 4), List.of(ds.channels(), ds.height(), ds.width()));
        assertEquals(tmp.getFileName().toString(), ds.name());

        byte[] img = ds.image(1); // zebra/a.png, seed 30
        int hw = 3 * 4;
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(red(y, x, 30), img[0 * hw + y * 4 + x] & 0xFF, "R at " + y + "," + x);
                assertEquals(green(y, x), img[1 * hw + y * 4 + x] & 0xFF, "G at " + y + "," + x);
                assertEquals(blue(x, 30), img[2 * hw + y * 4 + x] & 0xFF, "B at " + y + "," + x);
            }
        }
    }

    @Test
    void grayPngIsRepeatedToRgbWithoutColourShift() throws IOException {
        BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = {0, 77, 128, 255};
        gray.getRaster().setSamples(0, 0, 2, 2, 0, values);
        png(tmp.resolve("g/one.png"), gray);

        ImageDataset rgb = ImageFolder.load(tmp);
        assertArrayEquals(Fixtures.bytes(0, 77, 128, 255, 0, 77, 128, 255, 0, 77, 128, 255), rgb.image(0));

        ImageDataset one = ImageFolder.builder().setRoot(tmp).optChannels(1).build();
        assertEquals(1, one.channels());
        assertArrayEquals(Fixtures.bytes(0, 77, 128, 255), one.image(0));
    }

    @Test
    void rgbToGrayUsesRoundedLuma() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x00FF00);
        img.setRGB(2, 0, 0x0A141E); // (10, 20, 30)
        png(tmp.resolve("c/p.png"), img);
        ImageDataset ds = ImageFolder.builder().setRoot(tmp).optChannels(1).build();
        // 255*0.299 = 76.245 -> 76; 255*0.587 = 149.685 -> 150; 10*0.299 + 20*0.587 + 30*0.114 = 18.15 -> 18.
        assertArrayEquals(Fixtures.bytes(76, 150, 18), ds.image(0));
    }

    @Test
    void paletteGifAndBmpAreReadToo() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x0000FF);
        Files.createDirectories(tmp.resolve("k"));
        assertTrue(ImageIO.write(img, "gif", tmp.resolve("k/a.GIF").toFile()));
        assertTrue(ImageIO.write(img, "bmp", tmp.resolve("k/b.bmp").toFile()));
        ImageDataset ds = ImageFolder.load(tmp);
        assertEquals(2, ds.size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(Fixtures.bytes(255, 0, 0, 0, 0, 255), ds.image(i), "image " + i);
        }
    }

    @Test
    void areaDownscaleAveragesBlocks() throws IOException {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = {
            0, 10, 100, 100,
            20, 30, 100, 200,
            5, 5, 0, 0,
            5, 7, 0, 255
        };
        gray.getRaster().setSamples(0, 0, 4, 4, 0, v);
        png(tmp.resolve("a/g.png"), gray);
        ImageDataset ds = ImageFolder.builder().setRoot(tmp).optChannels(1).optSize(2, 2).build();
        // Block means: 15, 125, 5.5 -> 6 (round half up), 63.75 -> 64.
        assertArrayEquals(Fixtures.bytes(15, 125, 6, 64), ds.image(0));
    }

    @Test
    void bilinearUpscaleUsesHalfPixelCentres() throws IOException {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0, 100});
        png(tmp.resolve("a/g.png"), gray);
        ImageDataset ds = ImageFolder.builder().setRoot(tmp).optChannels(1).optSize(1, 4).build();
        // Source x = (o + 0.5) / 2 - 0.5 = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        assertArrayEquals(Fixtures.bytes(0, 25, 75, 100), ds.image(0));
    }

    @Test
    void targetSizeAllowsMixedSizes() throws IOException {
        png(tmp.resolve("a/big.png"), rgb(8, 8, 1));
        png(tmp.resolve("b/small.png"), rgb(2, 3, 2));
        ImageDataset ds = ImageFolder.builder().setRoot(tmp).optSize(4, 4).optName("mixed").build();
        assertEquals("mixed", ds.name());
        assertEquals(List.of(3, 4, 4), List.of(ds.channels(), ds.height(), ds.width()));
        assertEquals(2, ds.size());
    }

    @Test
    void mixedSizesWithoutTargetNameFirstOddFile() throws IOException {
        Path first = png(tmp.resolve("a/1.png"), rgb(4, 4, 0));
        png(tmp.resolve("a/2.png"), rgb(4, 4, 0));
        Path odd = png(tmp.resolve("b/3.png"), rgb(5, 6, 0));
        png(tmp.resolve("b/4.png"), rgb(7, 7, 0));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.load(tmp));
        assertTrue(e.getMessage().contains(first + " is 4x4 (height x width) but " + odd + " is 5x6"),
                e.getMessage());
        assertTrue(e.getMessage().contains("optSize(height, width)"), e.getMessage());
    }

    @Test
    void missingAndEmptyFolders() throws IOException {
        Path absent = tmp.resolve("absent");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.load(absent));
        assertTrue(e.getMessage().startsWith("Image folder not found under " + absent), e.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DatasetException e2 = assertThrows(DatasetException.class, () -> ImageFolder.load(empty));
        assertTrue(e2.getMessage().contains(empty + " has no class sub-folders"), e2.getMessage());

        Path root = tmp.resolve("root");
        png(root.resolve("cat/1.png"), rgb(2, 2, 0));
        Path dog = Files.createDirectories(root.resolve("dog"));
        Files.writeString(dog.resolve("readme.txt"), "no images here");
        DatasetException e3 = assertThrows(DatasetException.class, () -> ImageFolder.load(root));
        assertTrue(e3.getMessage().startsWith("class folder " + dog + " holds no images"), e3.getMessage());
    }

    @Test
    void undecodableImageIsNamed() throws IOException {
        png(tmp.resolve("a/ok.png"), rgb(2, 2, 0));
        Path bad = tmp.resolve("a/broken.png");
        Files.write(bad, "this is not a png".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.load(tmp));
        assertTrue(e.getMessage().startsWith("cannot decode image " + bad), e.getMessage());
    }

    @Test
    void invalidOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.builder().setRoot(tmp).optChannels(2).build());
        assertTrue(e.getMessage().contains("channels=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.builder().setRoot(tmp).optSize(0, 5).build());
    }

    @Test
    void manyImagesDecodeInParallelInOrder() throws IOException {
        // More than one chunk of work, so the thread pool is used; labels and pixels must still line up.
        BufferedImage[] colours = new BufferedImage[3];
        for (int c = 0; c < 3; c++) {
            colours[c] = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
            colours[c].getRaster().setSamples(0, 0, 2, 2, 0, new int[] {c * 50, c * 50, c * 50, c * 50});
        }
        for (int i = 0; i < 600; i++) {
            int c = i % 3;
            png(tmp.resolve("c" + c + "/" + String.format("%04d.png", i)), colours[c]);
        }
        ImageDataset ds = ImageFolder.builder().setRoot(tmp).optChannels(1).build();
        assertEquals(600, ds.size());
        for (int i = 0; i < 600; i++) {
            int expected = ds.label(i) * 50;
            assertEquals(expected, ds.image(i)[0] & 0xFF, "image " + i);
        }
        assertArrayEquals(new int[] {200, 200, 200}, ds.classCounts());
    }
}
