package dev.excon.report;

import dev.excon.data.ImageDataset;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Images of a data set in rows, each captioned with its class name: what a data set looks like, before training.
 * Reads the stored pixels directly (no device arrays), enlarged without smoothing so small images stay sharp.
 */
public final class ImageGallery implements Figure {

    private static final int GAP = 6;

    private final String title;
    private final String caption;
    private final List<BufferedImage> images;
    private final List<String> labels;
    private final int columns;

    private ImageGallery(String title, String caption, List<BufferedImage> images, List<String> labels, int columns) {
        this.title = title;
        this.caption = caption;
        this.images = List.copyOf(images);
        this.labels = List.copyOf(labels);
        this.columns = columns;
    }

    /**
     * The chosen images of a data set.
     *
     * @param columns images per row (at least 1)
     * @param cellSize the size each image is enlarged to, in pixels (at least its own size)
     * @throws IndexOutOfBoundsException naming an index outside the data set
     */
    public static ImageGallery of(String title, ImageDataset data, int[] indices, int columns, int cellSize) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("an image gallery needs at least one image index");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns=" + columns + " must be at least 1");
        }
        int scale = Math.max(1, (int) Math.ceil((double) cellSize / Math.max(data.height(), data.width())));
        List<BufferedImage> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int idx : indices) {
            if (idx < 0 || idx >= data.size()) {
                throw new IndexOutOfBoundsException("image " + idx + " of " + data.name() + ", which has "
                        + data.size() + " images (0.." + (data.size() - 1) + ")");
            }
            images.add(render(data, idx, scale));
            labels.add(data.classNames().get(data.label(idx)));
        }
        return new ImageGallery(title, data.name() + ", " + indices.length + " images", images, labels, columns);
    }

    /** The first {@code perClass} images of every class, one row per class when {@code perClass > 1}. */
    public static ImageGallery perClass(String title, ImageDataset data, int perClass, int cellSize) {
        int classes = data.numClasses();
        int[] seen = new int[classes];
        int[][] chosen = new int[classes][perClass];
        int[] labels = data.labels();
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (seen[c] < perClass) {
                chosen[c][seen[c]++] = i;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < seen[c]; k++) {
                order.add(chosen[c][k]);
            }
        }
        int[] idx = order.stream().mapToInt(Integer::intValue).toArray();
        return of(title, data, idx, perClass == 1 ? Math.min(classes, 10) : perClass, cellSize);
    }

    private static BufferedImage render(ImageDataset data, int index, int scale) {
        byte[] px = data.image(index);
        int h = data.height();
        int w = data.width();
        int plane = h * w;
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = px[y * w + x] & 0xFF;
                int g = data.channels() == 3 ? px[plane + y * w + x] & 0xFF : r;
                int b = data.channels() == 3 ? px[2 * plane + y * w + x] & 0xFF : r;
                int rgb = r << 16 | g << 8 | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String caption() {
        return caption;
    }

    /** The number of images. */
    public int size() {
        return images.size();
    }

    /** The class names under the images, in order. */
    public List<String> labels() {
        return labels;
    }

    @Override
    public BufferedImage toImage() {
        int cw = images.get(0).getWidth();
        int ch = images.get(0).getHeight();
        Graphics2D probe = Images.graphics(Images.blank(1, 1));
        probe.setFont(Images.CAPTION_FONT);
        int textH = probe.getFontMetrics().getHeight();
        probe.dispose();
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + columns - 1) / columns;
        int titleH = title.isEmpty() ? 0 : textH + 2 * GAP;
        int w = GAP + cols * (cw + GAP);
        int h = titleH + rows * (ch + textH + GAP) + GAP;
        BufferedImage out = Images.blank(w, h);
        Graphics2D g = Images.graphics(out);
        g.setColor(Color.BLACK);
        if (!title.isEmpty()) {
            g.setFont(Images.TITLE_FONT);
            Images.centred(g, title, w / 2, GAP + g.getFontMetrics().getAscent(), w - 2 * GAP);
        }
        g.setFont(Images.CAPTION_FONT);
        for (int i = 0; i < images.size(); i++) {
            int x0 = GAP + (i % columns) * (cw + GAP);
            int y0 = titleH + (i / columns) * (ch + textH + GAP);
            g.drawImage(images.get(i), x0, y0, null);
            g.setColor(Color.BLACK);
            Images.centred(g, labels.get(i), x0 + cw / 2, y0 + ch + g.getFontMetrics().getAscent(), cw + GAP);
        }
        g.dispose();
        return Images.withFooter(out, caption);
    }

    @Override
    public String toString() {
        return "ImageGallery[" + title + ", " + images.size() + " images]";
    }
}
