package dev.excon.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes image files with ImageIO and turns them into C x H x W uint8. Grayscale and RGB images are read from the
 * raster directly, because {@link BufferedImage#getRGB} would run gray values through a colour-space conversion and
 * change them; PIL's {@code convert("RGB")} (what the Python reference uses) simply repeats the gray value.
 */
final class ImageDecoding {

    private ImageDecoding() {}

    /** Decodes {@code file}, failing with a message naming it when it cannot be read or decoded. */
    static BufferedImage read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(
                    "cannot decode image " + file + ": " + e.getMessage() + "; the file is corrupt or in an"
                            + " unsupported encoding, replace or delete it", e);
        }
        if (img == null) {
            throw new DatasetException("cannot decode image " + file + ": no ImageIO reader recognises its content"
                    + "; the file is corrupt or not a PNG/JPEG/BMP/GIF image, replace or delete it");
        }
        return img;
    }

    /**
     * Writes {@code img} as {@code channels} x H x W uint8 into {@code dst} at {@code offset}. Gray to RGB repeats the
     * value; RGB to gray uses ITU-R 601-2 luma with rounding ({@code L = R*299/1000 + G*587/1000 + B*114/1000}, as
     * PIL's {@code convert("L")}). Alpha is dropped, not composited, as PIL does.
     */
    static void toChw(BufferedImage img, int channels, byte[] dst, int offset) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        boolean indexed = cm instanceof IndexColorModel;
        int colorComponents = cm.getNumColorComponents();
        if (!indexed && colorComponents == 1 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            int[] gray = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            int max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            for (int i = 0; i < plane; i++) {
                byte v = (byte) scale(gray[i], max);
                for (int c = 0; c < channels; c++) {
                    dst[offset + c * plane + i] = v;
                }
            }
            return;
        }
        int[] rgb = new int[3 * plane];
        if (!indexed && colorComponents == 3 && cm.getColorSpace().isCS_sRGB()) {
            int bands = raster.getNumBands();
            int[] all = raster.getPixels(0, 0, w, h, (int[]) null);
            for (int c = 0; c < 3; c++) {
                int max = (1 << raster.getSampleModel().getSampleSize(c)) - 1;
                for (int i = 0; i < plane; i++) {
                    rgb[3 * i + c] = scale(all[bands * i + c], max);
                }
            }
        } else {
            // Palette, CMYK, other colour spaces: let Java2D convert to sRGB.
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                rgb[3 * i] = (argb[i] >> 16) & 0xFF;
                rgb[3 * i + 1] = (argb[i] >> 8) & 0xFF;
                rgb[3 * i + 2] = argb[i] & 0xFF;
            }
        }
        if (channels == 3) {
            for (int i = 0; i < plane; i++) {
                dst[offset + i] = (byte) rgb[3 * i];
                dst[offset + plane + i] = (byte) rgb[3 * i + 1];
                dst[offset + 2 * plane + i] = (byte) rgb[3 * i + 2];
            }
        } else {
            for (int i = 0; i < plane; i++) {
                dst[offset + i] = (byte) luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
            }
        }
    }

    /** ITU-R 601-2 luma in 16-bit fixed point with rounding, as PIL computes it. */
    static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** Maps a sample of {@code max} full scale (1, 3, 15, 255, 65535) to 0-255. */
    private static int scale(int v, int max) {
        return max == 255 ? v : (int) ((v * 255L + max / 2) / max);
    }
}
