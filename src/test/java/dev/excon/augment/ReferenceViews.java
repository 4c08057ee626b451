package dev.excon.augment;

/**
 * A plain per-pixel implementation of the SupCon view pipeline, written from the textbook formulas (bilinear
 * sampling with half-pixel centres and edge clamping, HSV conversion by sectors), to check the batched NDArray code
 * against. Images are float[n][c][h][w].
 */
final class ReferenceViews {

    private ReferenceViews() {}

    static float[][][][] apply(float[][][][] x, ViewParams p, int size) {
        int n = x.length;
        float[][][][] out = new float[n][][][];
        for (int i = 0; i < n; i++) {
            float[][][] img = cropResizeFlip(x[i], p.cropTop()[i], p.cropLeft()[i], p.cropHeight()[i],
                    p.cropWidth()[i], p.flip()[i], size);
            if (p.jitter()[i]) {
                for (int op : p.jitterOrder()[i]) {
                    switch (op) {
                        case ViewParams.BRIGHTNESS -> img = brightness(img, p.brightness()[i]);
                        case ViewParams.CONTRAST -> img = contrast(img, p.contrast()[i]);
                        case ViewParams.SATURATION -> img = saturation(img, p.saturation()[i]);
                        default -> img = hue(img, p.hue()[i]);
                    }
                }
            }
            if (p.grayscale()[i] && img.length == 3) {
                float[][] l = luma(img);
                img = new float[][][] {copy(l), copy(l), copy(l)};
            }
            out[i] = img;
        }
        return out;
    }

    /** Upscaling crops only (crop <= output), where PIL's triangle filter is bilinear with clamped edges. */
    static float[][][] cropResizeFlip(float[][][] img, int top, int left, int ch, int cw, boolean flip, int size) {
        int c = img.length;
        float[][][] out = new float[c][size][size];
        for (int k = 0; k < c; k++) {
            for (int oy = 0; oy < size; oy++) {
                double sy = clamp((oy + 0.5) * ch / size - 0.5, 0, ch - 1);
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(y0 + 1, ch - 1);
                double fy = sy - y0;
                for (int ox = 0; ox < size; ox++) {
                    double sx = clamp((ox + 0.5) * cw / size - 0.5, 0, cw - 1);
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(x0 + 1, cw - 1);
                    double fx = sx - x0;
                    double v = (1 - fy) * ((1 - fx) * img[k][top + y0][left + x0] + fx * img[k][top + y0][left + x1])
                            + fy * ((1 - fx) * img[k][top + y1][left + x0] + fx * img[k][top + y1][left + x1]);
                    out[k][oy][flip ? size - 1 - ox : ox] = (float) v;
                }
            }
        }
        return out;
    }

    static float[][][] brightness(float[][][] img, float f) {
        float[][][] out = new float[img.length][][];
        for (int k = 0; k < img.length; k++) {
            out[k] = new float[img[k].length][img[k][0].length];
            for (int y = 0; y < img[k].length; y++) {
                for (int x = 0; x < img[k][0].length; x++) {
                    out[k][y][x] = clampf(img[k][y][x] * f);
                }
            }
        }
        return out;
    }

    static float[][][] contrast(float[][][] img, float f) {
        float[][] l = luma(img);
        double mean = 0;
        for (float[] row : l) {
            for (float v : row) {
                mean += v;
            }
        }
        mean /= (double) l.length * l[0].length;
        float[][][] out = new float[img.length][][];
        for (int k = 0; k < img.length; k++) {
            out[k] = new float[img[k].length][img[k][0].length];
            for (int y = 0; y < img[k].length; y++) {
                for (int x = 0; x < img[k][0].length; x++) {
                    out[k][y][x] = clampf((float) (f * img[k][y][x] + (1 - f) * mean));
                }
            }
        }
        return out;
    }

    static float[][][] saturation(float[][][] img, float f) {
        if (img.length == 1) {
            return img;
        }
        float[][] l = luma(img);
        float[][][] out = new float[3][][];
        for (int k = 0; k < 3; k++) {
            out[k] = new float[l.length][l[0].length];
            for (int y = 0; y < l.length; y++) {
                for (int x = 0; x < l[0].length; x++) {
                    out[k][y][x] = clampf(f * img[k][y][x] + (1 - f) * l[y][x]);
                }
            }
        }
        return out;
    }

    static float[][][] hue(float[][][] img, float shift) {
        if (img.length == 1) {
            return img;
        }
        int h = img[0].length;
        int w = img[0][0].length;
        float[][][] out = new float[3][h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double[] hsv = rgbToHsv(img[0][y][x], img[1][y][x], img[2][y][x]);
                double hh = hsv[0] + shift;
                hh = hh - Math.floor(hh);
                double[] rgb = hsvToRgb(hh, hsv[1], hsv[2]);
                for (int k = 0; k < 3; k++) {
                    out[k][y][x] = clampf((float) rgb[k]);
                }
            }
        }
        return out;
    }

    static double[] rgbToHsv(double r, double g, double b) {
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double d = max - min;
        double h;
        if (d == 0) {
            h = 0;
        } else if (max == r) {
            h = ((g - b) / d) / 6;
        } else if (max == g) {
            h = ((b - r) / d + 2) / 6;
        } else {
            h = ((r - g) / d + 4) / 6;
        }
        h = h - Math.floor(h);
        double s = max == 0 ? 0 : d / max;
        return new double[] {h, s, max};
    }

    static double[] hsvToRgb(double h, double s, double v) {
        double h6 = h * 6;
        int i = (int) Math.floor(h6);
        double f = h6 - i;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        switch (Math.floorMod(i, 6)) {
            case 0:
                return new double[] {v, t, p};
            case 1:
                return new double[] {q, v, p};
            case 2:
                return new double[] {p, v, t};
            case 3:
                return new double[] {p, q, v};
            case 4:
                return new double[] {t, p, v};
            default:
                return new double[] {v, p, q};
        }
    }

    static float[][] luma(float[][][] img) {
        if (img.length == 1) {
            return img[0];
        }
        int h = img[0].length;
        int w = img[0][0].length;
        float[][] l = new float[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                l[y][x] = 0.299f * img[0][y][x] + 0.587f * img[1][y][x] + 0.114f * img[2][y][x];
            }
        }
        return l;
    }

    private static float[][] copy(float[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static float clampf(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
