package dev.excon.data;

/**
 * Resizes C x H x W uint8 images, separably per axis: area averaging when an axis shrinks (each output pixel is the
 * mean of the input area it covers, like OpenCV's INTER_AREA) and bilinear interpolation with half-pixel centres
 * when it grows (like OpenCV's INTER_LINEAR and PyTorch's {@code align_corners=False}). Deterministic and free of
 * Java2D rendering hints.
 */
final class Resize {

    private Resize() {}

    /** Per output index: the contributing input indices and their weights (summing to 1). */
    private record Weights(int[][] index, float[][] weight) {}

    /**
     * Resizes {@code src} (channels x h x w) to channels x nh x nw.
     *
     * @return a new array, or {@code src} itself when the size is unchanged
     */
    static byte[] resize(byte[] src, int channels, int h, int w, int nh, int nw) {
        if (h == nh && w == nw) {
            return src;
        }
        Weights wy = weights(h, nh);
        Weights wx = weights(w, nw);
        byte[] out = new byte[channels * nh * nw];
        float[] rows = new float[nh * w];
        for (int c = 0; c < channels; c++) {
            int in = c * h * w;
            // Vertical pass: nh x w floats.
            for (int oy = 0; oy < nh; oy++) {
                int[] idx = wy.index[oy];
                float[] wt = wy.weight[oy];
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int k = 0; k < idx.length; k++) {
                        s += wt[k] * (src[in + idx[k] * w + x] & 0xFF);
                    }
                    rows[oy * w + x] = s;
                }
            }
            // Horizontal pass into the output.
            int o = c * nh * nw;
            for (int oy = 0; oy < nh; oy++) {
                for (int ox = 0; ox < nw; ox++) {
                    int[] idx = wx.index[ox];
                    float[] wt = wx.weight[ox];
                    float s = 0;
                    for (int k = 0; k < idx.length; k++) {
                        s += wt[k] * rows[oy * w + idx[k]];
                    }
                    out[o + oy * nw + ox] = (byte) Math.max(0, Math.min(255, Math.round(s)));
                }
            }
        }
        return out;
    }

    private static Weights weights(int in, int out) {
        int[][] index = new int[out][];
        float[][] weight = new float[out][];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            if (out < in) {
                // Area: input interval [o*scale, (o+1)*scale), each input pixel weighted by its overlap.
                double lo = o * scale;
                double hi = (o + 1) * scale;
                int first = (int) Math.floor(lo);
                int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
                index[o] = new int[last - first + 1];
                weight[o] = new float[last - first + 1];
                for (int j = first; j <= last; j++) {
                    double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
                    index[o][j - first] = j;
                    weight[o][j - first] = (float) (overlap / scale);
                }
            } else {
                // Bilinear with half-pixel centres, clamped at the borders.
                double src = Math.max(0, Math.min(in - 1, (o + 0.5) * scale - 0.5));
                int j0 = (int) Math.floor(src);
                int j1 = Math.min(j0 + 1, in - 1);
                float f = (float) (src - j0);
                index[o] = new int[] {j0, j1};
                weight[o] = new float[] {1 - f, f};
            }
        }
        return new Weights(index, weight);
    }
}
