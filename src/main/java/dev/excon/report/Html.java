package dev.excon.report;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** HTML helpers: escaping and inline PNG images. */
public final class Html {

    private Html() {}

    /** Escapes {@code & < > " '} so any text is safe inside an element or a quoted attribute; null becomes "". */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** PNG bytes of an image (the one PNG encoder of the library and the notebook layer). */
    public static byte[] png(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("this JDK has no ImageIO PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding in memory failed", e);
        }
        return out.toByteArray();
    }

    /** The image as base64 PNG without line breaks (what a data URL and Jupyter's {@code image/png} take). */
    public static String pngBase64(RenderedImage image) {
        return Base64.getEncoder().encodeToString(png(image));
    }

    /** An {@code <img>} element with the image inline as {@code data:image/png;base64,...}. */
    public static String img(BufferedImage image, String alt) {
        return "<img src=\"data:image/png;base64," + pngBase64(image) + "\" alt=\""
                + escape(alt) + "\" width=\"" + image.getWidth() + "\" height=\"" + image.getHeight()
                + "\" style=\"max-width:100%;height:auto\">";
    }

    /** A {@code <figure>} with the image inline and a caption of title and provenance line. */
    static String figure(BufferedImage image, String title, String caption) {
        StringBuilder b = new StringBuilder("<figure class=\"excon-figure\">");
        b.append(img(image, title));
        b.append("<figcaption>");
        if (title != null && !title.isEmpty()) {
            b.append("<b>").append(escape(title)).append("</b>");
            if (caption != null && !caption.isEmpty()) {
                b.append("<br>");
            }
        }
        if (caption != null && !caption.isEmpty()) {
            b.append("<span class=\"excon-provenance\">").append(escape(caption)).append("</span>");
        }
        return b.append("</figcaption></figure>").toString();
    }
}
