package dev.excon.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid of saliency pictures: rows are images, columns are views of each (the image, a map overlaid on it with an
 * optional mask outline, the masked image), with column titles and optional row titles. Images are upscaled with
 * nearest-neighbour to about {@link Builder#cellSize(int) 112} pixels so small images stay visible.
 *
 * <pre>{@code
 * SaliencyGrid.compare(images, supconMaps, exconMaps, exconMasks, provenance.caption()).savePng(path);
 * SaliencyGrid g = SaliencyGrid.builder(images).title("Grad-CAM").addImageColumn("image")
 *         .addMapColumn("ExCon", maps, masks).addMaskedColumn("kept", masks).rowTitles(classNames).build();
 * }</pre>
 *
 * <p>Tensor contract: images (N, C, H, W) with C = 1 or 3, maps and masks (N, 1, H, W), float values in [0, 1] (masks
 * kept where above 0.5), any device. They are copied to the host when the builder receives them: the grid holds no
 * native memory.
 */
public final class SaliencyGrid implements Figure {

    /** Colour of removed pixels in a masked column. */
    static final Color REMOVED = new Color(128, 128, 128);
    static final int GAP = 4;

    private final String title;
    private final String caption;
    private final float[] images;
    private final int n;
    private final int channels;
    private final int height;
    private final int width;
    private final List<Column> columns;
    private final List<String> rowTitles;
    private final ColorMap colorMap;
    private final double alpha;
    private final int scale;

    private record Column(String title, Kind kind, float[] data, float[] mask) {}

    private enum Kind {
        IMAGE, OTHER_IMAGE, MAP, MASKED
    }

    private SaliencyGrid(Builder b) {
        this.title = b.title;
        this.caption = b.caption;
        this.images = b.images;
        this.n = b.n;
        this.channels = b.channels;
        this.height = b.height;
        this.width = b.width;
        this.columns = List.copyOf(b.columns);
        this.rowTitles = List.copyOf(b.rowTitles);
        this.colorMap = b.colorMap;
        this.alpha = b.alpha;
        this.scale = Math.max(1, (int) Math.ceil((double) b.cellSize / Math.max(height, width)));
    }

    /**
     * The ExCon comparison: columns image, SupCon map, ExCon map with the outline of the pixels ExCon kept, and the
     * kept pixels alone.
     *
     * @param images (N, C, H, W) in [0, 1]
     * @param supconMaps (N, 1, H, W) in [0, 1]
     * @param exconMaps (N, 1, H, W) in [0, 1]
     * @param exconMasks (N, 1, H, W), kept where above 0.5 (e.g. {@code exconMaps.gt(0.5f)}), or null
     * @param caption the provenance line
     */
    public static SaliencyGrid compare(NDArray images, NDArray supconMaps, NDArray exconMaps, NDArray exconMasks,
            String caption) {
        Builder b = builder(images).title("Saliency: SupCon vs ExCon").caption(caption).addImageColumn("image")
                .addMapColumn("SupCon", supconMaps, null).addMapColumn("ExCon", exconMaps, exconMasks);
        if (exconMasks != null) {
            b.addMaskedColumn("ExCon kept", exconMasks);
        }
        return b.build();
    }

    /** A builder on images (N, C, H, W) in [0, 1]. */
    public static Builder builder(NDArray images) {
        return new Builder(images);
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String caption() {
        return caption;
    }

    /** The upscaling factor of every cell. */
    public int scale() {
        return scale;
    }

    /** The number of rows (images). */
    public int rows() {
        return n;
    }

    /** The column titles. */
    public List<String> columnTitles() {
        List<String> t = new ArrayList<>();
        for (Column c : columns) {
            t.add(c.title());
        }
        return t;
    }

    /** The picture of one cell, (H * scale) x (W * scale), without titles. */
    public BufferedImage cell(int row, int column) {
        Column c = columns.get(column);
        int per = channels * height * width;
        int plane = height * width;
        return switch (c.kind()) {
            case IMAGE -> SaliencyOverlay.render(images, row * per, channels, height, width, null, 0, null, 0,
                    colorMap, 0, scale);
            case OTHER_IMAGE -> SaliencyOverlay.render(c.data(), row * per, channels, height, width, null, 0, null, 0,
                    colorMap, 0, scale);
            case MAP -> SaliencyOverlay.render(images, row * per, channels, height, width, c.data(), row * plane,
                    c.mask(), row * plane, colorMap, alpha, scale);
            case MASKED -> masked(row, c.data());
        };
    }

    private BufferedImage masked(int row, float[] mask) {
        int per = channels * height * width;
        int plane = height * width;
        BufferedImage img = SaliencyOverlay.render(images, row * per, channels, height, width, null, 0, null, 0,
                colorMap, 0, scale);
        int removed = REMOVED.getRGB();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (!SaliencyOverlay.kept(mask, row * plane, width, height, x / scale, y / scale)) {
                    img.setRGB(x, y, removed);
                }
            }
        }
        return img;
    }

    @Override
    public BufferedImage toImage() {
        int cw = width * scale;
        int ch = height * scale;
        Graphics2D probe = Images.graphics(Images.blank(1, 1));
        probe.setFont(Images.CAPTION_FONT);
        int textH = probe.getFontMetrics().getHeight();
        int left = 0;
        for (String r : rowTitles) {
            left = Math.max(left, Math.min(160, probe.getFontMetrics().stringWidth(r) + 2 * GAP));
        }
        probe.dispose();
        int titleH = title.isEmpty() ? 0 : textH + 2 * GAP;
        int headerH = textH + GAP;
        int cols = columns.size();
        int w = left + GAP + cols * (cw + GAP);
        int h = titleH + headerH + n * (ch + GAP) + GAP;
        BufferedImage out = Images.blank(w, h);
        Graphics2D g = Images.graphics(out);
        g.setColor(Color.BLACK);
        if (!title.isEmpty()) {
            g.setFont(Images.TITLE_FONT);
            Images.centred(g, title, w / 2, GAP + g.getFontMetrics().getAscent(), w - 2 * GAP);
        }
        g.setFont(Images.CAPTION_FONT);
        int headerBase = titleH + g.getFontMetrics().getAscent();
        for (int c = 0; c < cols; c++) {
            int x0 = left + GAP + c * (cw + GAP);
            Images.centred(g, columns.get(c).title(), x0 + cw / 2, headerBase, cw + GAP);
        }
        for (int r = 0; r < n; r++) {
            int y0 = titleH + headerH + r * (ch + GAP);
            if (r < rowTitles.size()) {
                g.setColor(Color.BLACK);
                g.drawString(shorten(g, rowTitles.get(r), left - GAP), GAP, y0 + ch / 2 + textH / 3);
            }
            for (int c = 0; c < cols; c++) {
                g.drawImage(cell(r, c), left + GAP + c * (cw + GAP), y0, null);
            }
        }
        g.dispose();
        return Images.withFooter(out, caption);
    }

    private static String shorten(Graphics2D g, String s, int max) {
        String t = s;
        while (t.length() > 1 && g.getFontMetrics().stringWidth(t) > max) {
            t = t.substring(0, t.length() - 2) + "\u2026";
        }
        return t;
    }

    /** Builder: the images first, then columns left to right. */
    public static final class Builder {
        private final float[] images;
        private final int n;
        private final int channels;
        private final int height;
        private final int width;
        private final List<Column> columns = new ArrayList<>();
        private List<String> rowTitles = List.of();
        private String title = "";
        private String caption = "";
        private ColorMap colorMap = ColorMap.JET;
        private double alpha = 0.5;
        private int cellSize = 112;

        private Builder(NDArray images) {
            Shape s = images.getShape();
            if (s.dimension() != 4 || (s.get(1) != 1 && s.get(1) != 3)) {
                throw new IllegalArgumentException("images must be (N, C, H, W) with C = 1 or 3, got " + s);
            }
            this.n = (int) s.get(0);
            this.channels = (int) s.get(1);
            this.height = (int) s.get(2);
            this.width = (int) s.get(3);
            this.images = host(images);
        }

        /** The title drawn above the grid. */
        public Builder title(String t) {
            this.title = t == null ? "" : t;
            return this;
        }

        /** The provenance line drawn below the grid. */
        public Builder caption(String c) {
            this.caption = c == null ? "" : c;
            return this;
        }

        /** The colour map of the saliency (default {@link ColorMap#JET}). */
        public Builder colorMap(ColorMap m) {
            this.colorMap = m;
            return this;
        }

        /** The weight of the colour map over the image, in [0, 1] (default 0.5). */
        public Builder alpha(double a) {
            if (!(a >= 0 && a <= 1)) {
                throw new IllegalArgumentException("alpha=" + a + " must be in [0, 1]");
            }
            this.alpha = a;
            return this;
        }

        /** The approximate cell size in pixels (default 112): images are upscaled by an integer factor to reach it. */
        public Builder cellSize(int px) {
            if (px < 1) {
                throw new IllegalArgumentException("cellSize=" + px + " must be >= 1");
            }
            this.cellSize = px;
            return this;
        }

        /** One title per row (e.g. class names); fewer titles than rows leave the rest blank. */
        public Builder rowTitles(List<String> titles) {
            this.rowTitles = List.copyOf(titles);
            return this;
        }

        /** A column showing the images themselves. */
        public Builder addImageColumn(String columnTitle) {
            columns.add(new Column(columnTitle, Kind.IMAGE, null, null));
            return this;
        }

        /** A column of other images of the same shape, e.g. ExCon's masked views or corrupted images. */
        public Builder addImageColumn(String columnTitle, NDArray otherImages) {
            if (!otherImages.getShape().equals(new Shape(n, channels, height, width))) {
                throw new IllegalArgumentException(columnTitle + ": images " + otherImages.getShape()
                        + " do not match the grid's (" + n + ", " + channels + ", " + height + ", " + width + ")");
            }
            columns.add(new Column(columnTitle, Kind.OTHER_IMAGE, host(otherImages), null));
            return this;
        }

        /** A column of maps (N, 1, H, W) over the images, with the outline of masks (N, 1, H, W) unless null. */
        public Builder addMapColumn(String columnTitle, NDArray maps, NDArray masks) {
            columns.add(new Column(columnTitle, Kind.MAP, planes(columnTitle, maps),
                    masks == null ? null : planes(columnTitle, masks)));
            return this;
        }

        /** A column of the images with the pixels outside masks (N, 1, H, W) in gray. */
        public Builder addMaskedColumn(String columnTitle, NDArray masks) {
            columns.add(new Column(columnTitle, Kind.MASKED, planes(columnTitle, masks), null));
            return this;
        }

        /** The grid. */
        public SaliencyGrid build() {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a saliency grid needs at least one column: call addImageColumn"
                        + " or addMapColumn");
            }
            if (n == 0) {
                throw new IllegalArgumentException("a saliency grid needs at least one image");
            }
            return new SaliencyGrid(this);
        }

        private float[] planes(String what, NDArray maps) {
            Shape want = new Shape(n, 1, height, width);
            if (!maps.getShape().equals(want)) {
                throw new IllegalArgumentException(what + ": maps " + maps.getShape() + " do not fit images (" + n
                        + ", " + channels + ", " + height + ", " + width + "): expected " + want);
            }
            return host(maps);
        }

        private static float[] host(NDArray a) {
            if (a.getDataType() == DataType.FLOAT32) {
                return a.toFloatArray();
            }
            try (NDArray f = a.toType(DataType.FLOAT32, false)) {
                return f.toFloatArray();
            }
        }
    }
}
