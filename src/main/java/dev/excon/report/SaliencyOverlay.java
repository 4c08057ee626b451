package dev.excon.report;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * One saliency map drawn over its image: the image upscaled by an integer factor with nearest-neighbour (so 28-32
 * pixel images stay crisp), the map's colour blended in with {@code alpha}, {@code out = (1 - alpha) * image + alpha
 * * colormap(map)}, and optionally the outline of a mask (the pixels ExCon kept) in a contrasting colour.
 *
 * <p>Inputs are host arrays in the library's layout: an image C x H x W (C = 1 or 3) and a map and mask H x W, all in
 * [0, 1] (values outside are clamped). A mask pixel counts as kept when it is above 0.5.
 */
public final class SaliencyOverlay implements Figure {

    /** The outline colour of masks. */
    public static final Color OUTLINE = Color.WHITE;

    private final float[] image;
    private final int channels;
    private final int height;
    private final int width;
    private final float[] map;
    private final float[] mask;
    private final ColorMap colorMap;
    private final double alpha;
    private final int scale;
    private final String title;
    private final String caption;

    /**
     * @param image C x H x W in [0, 1]
     * @param channels 1 or 3
     * @param height H
     * @param width W
     * @param map H x W in [0, 1], or null for the image alone
     * @param mask H x W, kept where above 0.5, or null for no outline
     * @param colorMap the colour map of the saliency
     * @param alpha the map's weight in [0, 1]; 1 shows the colour map alone
     * @param scale the integer upscaling factor, at least 1
     * @param title the title
     * @param caption the provenance line
     */
    public SaliencyOverlay(float[] image, int channels, int height, int width, float[] map, float[] mask,
            ColorMap colorMap, double alpha, int scale, String title, String caption) {
        check(image, channels, height, width, map, mask, alpha, scale);
        this.image = image.clone();
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.map = map == null ? null : map.clone();
        this.mask = mask == null ? null : mask.clone();
        this.colorMap = colorMap;
        this.alpha = alpha;
        this.scale = scale;
        this.title = title == null ? "" : title;
        this.caption = caption == null ? "" : caption;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String caption() {
        return caption;
    }

    /** The overlay without title or footer: exactly (H * scale) x (W * scale) pixels. */
    public BufferedImage raw() {
        return render(image, 0, channels, height, width, map, 0, mask, 0, colorMap, alpha, scale);
    }

    @Override
    public BufferedImage toImage() {
        return Images.withFooter(raw(), caption);
    }

    /**
     * Renders one overlay from arrays that may hold several images: the image starts at {@code imageOffset}, the
     * map and mask (H x W each, either may be null) at their offsets.
     */
    static BufferedImage render(float[] image, int imageOffset, int channels, int height, int width, float[] map,
            int mapOffset, float[] mask, int maskOffset, ColorMap colorMap, double alpha, int scale) {
        int plane = height * width;
        int w = width * scale;
        int h = height * scale;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] rgb = new int[plane];
        for (int p = 0; p < plane; p++) {
            double r;
            double g;
            double b;
            if (channels == 1) {
                r = g = b = clamp(image[imageOffset + p]) * 255;
            } else {
                r = clamp(image[imageOffset + p]) * 255;
                g = clamp(image[imageOffset + plane + p]) * 255;
                b = clamp(image[imageOffset + 2 * plane + p]) * 255;
            }
            if (map != null && alpha > 0) {
                int c = colorMap.rgb(map[mapOffset + p]);
                r = (1 - alpha) * r + alpha * ((c >> 16) & 0xFF);
                g = (1 - alpha) * g + alpha * ((c >> 8) & 0xFF);
                b = (1 - alpha) * b + alpha * (c & 0xFF);
            }
            rgb[p] = 0xFF000000 | ((int) Math.round(r) << 16) | ((int) Math.round(g) << 8) | (int) Math.round(b);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, rgb[(y / scale) * width + x / scale]);
            }
        }
        if (mask != null) {
            int thickness = Math.max(1, scale / 4);
            int outline = OUTLINE.getRGB();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (kept(mask, maskOffset, width, height, x / scale, y / scale)
                            && nearOutside(mask, maskOffset, width, height, x, y, scale, thickness)) {
                        out.setRGB(x, y, outline);
                    }
                }
            }
        }
        return out;
    }

    /** Whether an upscaled pixel inside the mask lies within {@code t} pixels of a removed source pixel. */
    private static boolean nearOutside(float[] mask, int off, int width, int height, int x, int y, int scale,
            int t) {
        int[][] dirs = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int[] d : dirs) {
            for (int k = 1; k <= t; k++) {
                int nx = x + d[0] * k;
                int ny = y + d[1] * k;
                if (nx < 0 || ny < 0 || nx >= width * scale || ny >= height * scale) {
                    break; // the image border is not an edge of the mask
                }
                if (!kept(mask, off, width, height, nx / scale, ny / scale)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean kept(float[] mask, int off, int width, int height, int sx, int sy) {
        return mask[off + sy * width + sx] > 0.5f;
    }

    static void check(float[] image, int channels, int height, int width, float[] map, float[] mask, double alpha,
            int scale) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels=" + channels + ", expected 1 or 3");
        }
        if (image.length != channels * height * width) {
            throw new IllegalArgumentException("image.length=" + image.length + " but " + channels + "x" + height
                    + "x" + width + " needs " + channels * height * width);
        }
        if (map != null && map.length != height * width) {
            throw new IllegalArgumentException("map.length=" + map.length + " but " + height + "x" + width
                    + " needs " + height * width);
        }
        if (mask != null && mask.length != height * width) {
            throw new IllegalArgumentException("mask.length=" + mask.length + " but " + height + "x" + width
                    + " needs " + height * width);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha=" + alpha + " must be in [0, 1]");
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale=" + scale + " must be >= 1");
        }
    }

    private static double clamp(float v) {
        return Float.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
