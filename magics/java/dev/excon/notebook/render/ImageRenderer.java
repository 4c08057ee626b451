package dev.excon.notebook.render;

import dev.excon.report.Html;
import java.awt.image.BufferedImage;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/** A {@code BufferedImage} as PNG, with its size and type as the plain-text form. */
public final class ImageRenderer {

    private ImageRenderer() {}

    /** The render function registered for {@code BufferedImage}. */
    public static void render(BufferedImage image, RenderContext context) {
        context.renderIfRequested(MIMEType.IMAGE_PNG, () -> Html.pngBase64(image));
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> "BufferedImage " + image.getWidth() + "x"
                + image.getHeight() + ", " + image.getColorModel().getNumComponents() + " channel"
                + (image.getColorModel().getNumComponents() == 1 ? "" : "s"));
    }
}
