package dev.excon.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Raster helpers: footers with the caption, side-by-side composition, text. */
final class Images {

    static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Color CAPTION_COLOR = new Color(90, 90, 90);

    private Images() {}

    /** A new white ARGB image. */
    static BufferedImage blank(int w, int h) {
        BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }

    /** Images side by side, top-aligned, on white. */
    static BufferedImage hstack(List<BufferedImage> parts) {
        int w = 0;
        int h = 0;
        for (BufferedImage p : parts) {
            w += p.getWidth();
            h = Math.max(h, p.getHeight());
        }
        BufferedImage out = blank(w, h);
        Graphics2D g = out.createGraphics();
        int x = 0;
        for (BufferedImage p : parts) {
            g.drawImage(p, x, 0, null);
            x += p.getWidth();
        }
        g.dispose();
        return out;
    }

    /** The image with {@code title} centred above it in bold; as is if empty. */
    static BufferedImage withTitle(BufferedImage img, String title) {
        if (title == null || title.isBlank()) {
            return img;
        }
        Graphics2D probe = graphics(blank(1, 1));
        probe.setFont(TITLE_FONT);
        int h = probe.getFontMetrics().getHeight() + 8;
        probe.dispose();
        BufferedImage out = blank(img.getWidth(), img.getHeight() + h);
        Graphics2D g = graphics(out);
        g.drawImage(img, 0, h, null);
        g.setFont(TITLE_FONT);
        g.setColor(Color.BLACK);
        centred(g, title, img.getWidth() / 2, 4 + g.getFontMetrics().getAscent(), img.getWidth() - 16);
        g.dispose();
        return out;
    }

    /** The image with {@code caption} written below it in small gray text, wrapped to the width; as is if empty. */
    static BufferedImage withFooter(BufferedImage img, String caption) {
        if (caption == null || caption.isBlank()) {
            return img;
        }
        Graphics2D probe = graphics(blank(1, 1));
        probe.setFont(CAPTION_FONT);
        FontMetrics fm = probe.getFontMetrics();
        List<String> lines = wrap(caption, fm, Math.max(80, img.getWidth() - 16));
        probe.dispose();
        int lineH = fm.getHeight();
        int footer = lines.size() * lineH + 8;
        BufferedImage out = blank(img.getWidth(), img.getHeight() + footer);
        Graphics2D g = graphics(out);
        g.drawImage(img, 0, 0, null);
        g.setFont(CAPTION_FONT);
        g.setColor(CAPTION_COLOR);
        int y = img.getHeight() + 4 + fm.getAscent();
        for (String line : lines) {
            g.drawString(line, 8, y);
            y += lineH;
        }
        g.dispose();
        return out;
    }

    /** Greedy word wrap to a pixel width; words longer than the width are cut. */
    static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= width || line.length() == 0) {
                line.setLength(0);
                line.append(candidate);
            } else {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Draws text centred horizontally on {@code cx}, baseline at {@code y}, shortened with "..." to fit maxWidth. */
    static void centred(Graphics2D g, String text, int cx, int y, int maxWidth) {
        FontMetrics fm = g.getFontMetrics();
        String t = text;
        while (t.length() > 1 && fm.stringWidth(t) > maxWidth) {
            t = t.substring(0, t.length() - 2) + "\u2026";
        }
        g.drawString(t, cx - fm.stringWidth(t) / 2, y);
    }
}
