package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Linear spatial filters on (N, C, H, W) images as two small matrix products, {@code out = A_h · x · A_w^T}, with the
 * border rule folded into the (H, H) and (W, W) matrices. Separable filters need one product per axis; a general 2-D
 * kernel is a sum over its non-zero rows (a vertical shift times a horizontal filter). Resampling (pixelate) is the
 * same kind of matrix.
 */
final class SpatialFilters {

    /** How a filter reads outside the image. */
    enum Border {
        /** Repeat the edge pixel, {@code aaa|abcd|ddd}: scipy.ndimage's {@code mode='nearest'}. */
        NEAREST,
        /** Mirror without repeating the edge, {@code dcb|abcd|cba}: OpenCV's default {@code BORDER_REFLECT_101}. */
        REFLECT_101;

        int index(int i, int n) {
            if (n == 1) {
                return 0;
            }
            if (this == NEAREST) {
                return Math.max(0, Math.min(n - 1, i));
            }
            int period = 2 * (n - 1);
            int j = Math.floorMod(i, period);
            return j < n ? j : period - j;
        }
    }

    private SpatialFilters() {}

    /**
     * The (n, n) row-major matrix M of a 1-D correlation: {@code (M v)[y] = sum_t taps[t] * v[border(y + t - r)]} with
     * {@code r = (taps.length - 1) / 2}.
     */
    static float[] correlationMatrix(int n, double[] taps, Border border) {
        int r = (taps.length - 1) / 2;
        double[] m = new double[n * n];
        for (int y = 0; y < n; y++) {
            for (int t = 0; t < taps.length; t++) {
                m[y * n + border.index(y + t - r, n)] += taps[t];
            }
        }
        return toFloat(m);
    }

    /** Applies {@code out = rows · x · cols^T} with rows (H, H) and cols (W, W), both row-major. */
    static NDArray apply(NDManager scope, NDArray x, float[] rows, float[] cols) {
        Shape s = x.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDArray colsT = scope.create(cols, new Shape(w, w)).transpose();
        NDArray a = scope.create(rows, new Shape(h, h));
        return a.matMul(x.matMul(colsT));
    }

    /** A separable filter: the same 1-D taps along height and width. */
    static NDArray separable(NDManager scope, NDArray x, double[] taps, Border border) {
        Shape s = x.getShape();
        return apply(scope, x, correlationMatrix((int) s.get(2), taps, border),
                correlationMatrix((int) s.get(3), taps, border));
    }

    /**
     * A 2-D correlation with an odd-sized kernel anchored at its centre, like OpenCV's {@code filter2D}: the sum over
     * kernel rows i of (shift by i - r along height) · x · (row i as a 1-D filter along width)^T. Rows that are all zero
     * are skipped.
     */
    static NDArray filter2d(NDManager scope, NDArray x, double[][] kernel, Border border) {
        Shape s = x.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int kh = kernel.length;
        NDArray sum = null;
        for (int i = 0; i < kh; i++) {
            boolean any = false;
            for (double v : kernel[i]) {
                any |= v != 0;
            }
            if (!any) {
                continue;
            }
            double[] shift = new double[kh];
            shift[i] = 1;
            NDArray term = apply(scope, x, correlationMatrix(h, shift, border),
                    correlationMatrix(w, kernel[i], border));
            sum = sum == null ? term : sum.addi(term);
        }
        return sum == null ? x.zerosLike() : sum;
    }

    /**
     * The (out, in) row-major matrix of Pillow's {@code BOX} resampling from {@code in} to {@code out} pixels: output
     * pixel j averages, with equal weights, the input pixels whose centres lie in its footprint {@code (j + 0.5) *
     * scale +- max(scale, 1) / 2}, {@code scale = in / out} (half-open on the left, as Pillow's box filter).
     */
    static double[] boxResampleMatrix(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = 0.5 * filterScale;
        double[] m = new double[out * in];
        for (int j = 0; j < out; j++) {
            double center = (j + 0.5) * scale;
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), in);
            double total = 0;
            for (int x = lo; x < hi; x++) {
                double t = (x - center + 0.5) / filterScale;
                double wgt = t > -0.5 && t <= 0.5 ? 1 : 0;
                m[j * in + x] = wgt;
                total += wgt;
            }
            if (total > 0) {
                for (int x = lo; x < hi; x++) {
                    m[j * in + x] /= total;
                }
            }
        }
        return m;
    }

    /** The (n, n) matrix of a box downsampling to {@code small} pixels followed by box upsampling back to n. */
    static float[] pixelateMatrix(int n, int small) {
        double[] down = boxResampleMatrix(n, small); // (small, n)
        double[] up = boxResampleMatrix(small, n); // (n, small)
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < small; k++) {
                double u = up[i * small + k];
                if (u != 0) {
                    for (int j = 0; j < n; j++) {
                        m[i * n + j] += u * down[k * n + j];
                    }
                }
            }
        }
        return toFloat(m);
    }

    /** Normalised Gaussian taps {@code exp(-t^2 / (2 sigma^2))}, t = -radius..radius. */
    static double[] gaussianTaps(double sigma, int radius) {
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int t = -radius; t <= radius; t++) {
            k[t + radius] = Math.exp(-0.5 * t * t / (sigma * sigma));
            sum += k[t + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    private static float[] toFloat(double[] m) {
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = (float) m[i];
        }
        return f;
    }
}
