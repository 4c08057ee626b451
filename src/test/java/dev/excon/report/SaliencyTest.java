package dev.excon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaliencyTest {

    /** A 3 x 4 x 4 image (red ramp, green constant, blue 0), a ramp map, a mask keeping the left half. */
    static final int H = 4;
    static final int W = 4;

    static float[] image() {
        float[] v = new float[3 * H * W];
        for (int p = 0; p < H * W; p++) {
            v[p] = p / 15f;
            v[H * W + p] = 0.5f;
        }
        return v;
    }

    static float[] map() {
        float[] m = new float[H * W];
        for (int p = 0; p < H * W; p++) {
            m[p] = (p % W) / 3f;
        }
        return m;
    }

    static float[] leftHalf() {
        float[] m = new float[H * W];
        for (int p = 0; p < H * W; p++) {
            m[p] = p % W < 2 ? 1f : 0f;
        }
        return m;
    }

    @Test
    void withAlphaOneThePixelIsTheColourMapValue() {
        BufferedImage img = new SaliencyOverlay(image(), 3, H, W, map(), null, ColorMap.JET, 1.0, 3, "t", "")
                .raw();
        assertEquals(W * 3, img.getWidth());
        assertEquals(H * 3, img.getHeight());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = (y / 3) * W + x / 3;
                assertEquals(ColorMap.JET.rgb(map()[p]), img.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void withAlphaZeroThePixelIsTheImageAndHalfBlends() {
        float[] im = image();
        BufferedImage plain = new SaliencyOverlay(im, 3, H, W, map(), null, ColorMap.VIRIDIS, 0.0, 1, "", "").raw();
        int p = 6;
        int want = (Math.round(im[p] * 255) << 16) | (Math.round(0.5f * 255) << 8);
        assertEquals(want, plain.getRGB(p % W, p / W) & 0xFFFFFF);
        BufferedImage half = new SaliencyOverlay(im, 3, H, W, map(), null, ColorMap.VIRIDIS, 0.5, 1, "", "").raw();
        int c = ColorMap.VIRIDIS.rgb(map()[p]);
        int red = (int) Math.round(0.5 * im[p] * 255 + 0.5 * ((c >> 16) & 0xFF));
        assertEquals(red, (half.getRGB(p % W, p / W) >> 16) & 0xFF);
    }

    @Test
    void theMaskOutlineFollowsTheEdgeOfTheKeptPixels() {
        int s = 4;
        BufferedImage img = new SaliencyOverlay(image(), 3, H, W, map(), leftHalf(), ColorMap.JET, 0.5, s, "", "")
                .raw();
        int white = SaliencyOverlay.OUTLINE.getRGB() & 0xFFFFFF;
        for (int y = 0; y < H * s; y++) {
            // the last upscaled column of the kept half (source column 1) is outline, the first removed one is not
            assertEquals(white, img.getRGB(2 * s - 1, y) & 0xFFFFFF, "edge at y " + y);
            assertNotEquals(white, img.getRGB(2 * s, y) & 0xFFFFFF, "outside at y " + y);
            assertNotEquals(white, img.getRGB(0, y) & 0xFFFFFF, "image border is no mask edge, y " + y);
        }
    }

    @Test
    void colourMapsHaveTheirKnownEnds() {
        assertEquals(0x000080, ColorMap.JET.rgb(0));
        assertEquals(0x800000, ColorMap.JET.rgb(1));
        assertEquals(0x80FF80, ColorMap.JET.rgb(0.5)); // red and blue half on, green full
        assertEquals((68 << 16) | (1 << 8) | 84, ColorMap.VIRIDIS.rgb(0));
        assertEquals((253 << 16) | (231 << 8) | 37, ColorMap.VIRIDIS.rgb(1));
        assertEquals(ColorMap.VIRIDIS.rgb(0), ColorMap.VIRIDIS.rgb(-3));
        assertEquals(0xFFFFFF, ColorMap.GRAY.rgb(1));
    }

    @Test
    void gridsHaveColumnsOfUpscaledCells() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int n = 3;
            NDArray images = m.randomUniform(0f, 1f, new Shape(n, 1, 28, 28));
            NDArray maps = m.randomUniform(0f, 1f, new Shape(n, 1, 28, 28));
            NDArray masks = maps.gt(0.5f);
            SaliencyGrid g = SaliencyGrid.compare(images, maps, maps, masks, ChartsTest.CAPTION);
            assertEquals(List.of("image", "SupCon", "ExCon", "ExCon kept"), g.columnTitles());
            assertEquals(4, g.scale()); // 28 px -> 112 px cells
            BufferedImage cell = g.cell(1, 0);
            assertEquals(112, cell.getWidth());
            float[] px = images.get(1).toFloatArray();
            int v = Math.round(px[5 * 28 + 7] * 255);
            assertEquals((v << 16) | (v << 8) | v, cell.getRGB(7 * 4 + 3, 5 * 4 + 2) & 0xFFFFFF);
            BufferedImage masked = g.cell(1, 3);
            float[] mk = masks.get(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            for (int p = 0; p < 28 * 28; p++) {
                int rgb = masked.getRGB((p % 28) * 4, (p / 28) * 4) & 0xFFFFFF;
                if (mk[p] < 0.5f) {
                    assertEquals(SaliencyGrid.REMOVED.getRGB() & 0xFFFFFF, rgb);
                }
            }
            BufferedImage all = g.toImage();
            assertTrue(all.getWidth() >= 4 * 112 && all.getHeight() >= 3 * 112);
            assertTrue(Pictures.colours(all) > 50);
            assertTrue(g.toHtml().contains("<img src=\"data:image/png;base64,"));
            NDArray wrong = m.zeros(new Shape(n, 1, 14, 14));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SaliencyGrid.builder(images).addMapColumn("x", wrong, null));
            assertTrue(e.getMessage().contains("(3, 1, 28, 28)"), e.getMessage());
        }
    }
}
