package dev.excon.notebook.render;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** PNG encoding for Jupyter's {@code image/png}: base64 without line breaks. */
public final class Png {

    private Png() {}

    /** The image as base64 PNG. */
    public static String base64(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalArgumentException("no PNG writer for " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the image as PNG", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
