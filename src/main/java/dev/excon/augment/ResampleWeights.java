package dev.excon.augment;

/**
 * Interpolation matrices for resizing one axis, with the semantics of PIL's bilinear {@code resize} (the reference's
 * {@code RandomResizedCrop} runs on PIL images): output pixel {@code o} samples the input at centre {@code start +
 * (o + 0.5) * scale} with a triangle filter, widened by {@code scale} when shrinking (anti-aliasing), weights
 * renormalised over the pixels inside the crop. A resize of an H x W crop to S x S is then {@code Wy * X * Wx^T}.
 */
final class ResampleWeights {

    private ResampleWeights() {}

    /**
     * Writes the {@code out x in} weight matrix of resampling the input range {@code [start, start + length)} of an
     * axis of {@code in} pixels to {@code out} pixels into {@code dst} at {@code offset} (row-major, row = output
     * pixel). With {@code reverse} the output order is mirrored (a horizontal flip).
     */
    static void fill(float[] dst, int offset, int in, int start, int length, int out, boolean reverse) {
        if (start < 0 || length <= 0 || start + length > in) {
            throw new IllegalArgumentException(
                    "crop range [" + start + ", " + (start + length) + ") is outside an axis of " + in + " pixels");
        }
        double scale = (double) length / out;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // the triangle filter has support 1, widened when shrinking
        java.util.Arrays.fill(dst, offset, offset + out * in, 0f);
        double[] w = new double[(int) Math.ceil(2 * support) + 2];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale;
            int lo = Math.max((int) Math.floor(centre - support + 0.5), 0);
            int hi = Math.min((int) Math.floor(centre + support + 0.5), length);
            double sum = 0;
            int count = hi - lo;
            for (int k = 0; k < count; k++) {
                double t = Math.abs((lo + k - centre + 0.5) / filterScale);
                w[k] = t < 1 ? 1 - t : 0;
                sum += w[k];
            }
            int row = offset + (reverse ? out - 1 - o : o) * in;
            for (int k = 0; k < count; k++) {
                dst[row + start + lo + k] = (float) (w[k] / sum);
            }
        }
    }

    /** The {@code out x in} matrix for the input range {@code [start, start + length)}; see {@link #fill}. */
    static float[] matrix(int in, int start, int length, int out, boolean reverse) {
        float[] m = new float[out * in];
        fill(m, 0, in, start, length, out, reverse);
        return m;
    }
}
