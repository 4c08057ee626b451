package dev.excon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.data.ArrayImageDataset;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGalleryTest {

    /** Six 2x2 RGB images; image i is filled with red = 40 i, green = 7, blue = 200; labels 0 1 2 0 1 2. */
    static ArrayImageDataset data() {
        byte[] px = new byte[6 * 12];
        for (int i = 0; i < 6; i++) {
            for (int p = 0; p < 4; p++) {
                px[i * 12 + p] = (byte) (40 * i);
                px[i * 12 + 4 + p] = 7;
                px[i * 12 + 8 + p] = (byte) 200;
            }
        }
        return new ArrayImageDataset("tiny", px, new int[] {0, 1, 2, 0, 1, 2}, 3, 2, 2, List.of("cat", "dog", "eel"));
    }

    @Test
    void onePerClassShowsTheFirstImageOfEachClassWithItsName() {
        ImageGallery g = ImageGallery.perClass("classes", data(), 1, 16);
        assertEquals(List.of("cat", "dog", "eel"), g.labels());
        BufferedImage img = g.toImage();
        assertTrue(img.getWidth() >= 3 * 16, "three 16-pixel cells side by side: " + img.getWidth());
        // The enlarged pixels keep their colours exactly (no smoothing): find image 2 (red 80) somewhere.
        boolean found = false;
        for (int y = 0; y < img.getHeight() && !found; y++) {
            for (int x = 0; x < img.getWidth() && !found; x++) {
                found = (img.getRGB(x, y) & 0xFFFFFF) == (80 << 16 | 7 << 8 | 200);
            }
        }
        assertTrue(found, "the third class's image is drawn with its exact colour");
        assertTrue(g.toHtml().contains("data:image/png;base64,"));
    }

    @Test
    void severalPerClassAndBadIndices() {
        ImageGallery g = ImageGallery.perClass("two each", data(), 2, 8);
        assertEquals(List.of("cat", "cat", "dog", "dog", "eel", "eel"), g.labels());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> ImageGallery.of("t", data(), new int[] {6}, 3, 8));
        assertTrue(e.getMessage().contains("image 6 of tiny") && e.getMessage().contains("0..5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageGallery.of("t", data(), new int[0], 3, 8));
    }
}
