package dev.excon.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of pixel values in [0, 1], used by the model's normalisation block and as
 * the fill colour of explanation masks (the reference zeroes removed pixels in normalised space, which is the mean
 * colour in pixel space).
 *
 * @param mean one value per channel, in [0, 1]
 * @param std one value per channel, positive
 */
public record ChannelStats(float[] mean, float[] std) {

    /** CIFAR-10 training set, computed over all 50,000 images (population std). */
    public static final ChannelStats CIFAR10 =
            new ChannelStats(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});

    /** CIFAR-100, the reference code's constants. */
    public static final ChannelStats CIFAR100 =
            new ChannelStats(new float[] {0.5071f, 0.4867f, 0.4408f}, new float[] {0.2675f, 0.2565f, 0.2761f});

    /** Tiny ImageNet, the reference code's constants. */
    public static final ChannelStats TINY_IMAGENET =
            new ChannelStats(new float[] {0.4802f, 0.4481f, 0.3975f}, new float[] {0.2302f, 0.2265f, 0.2262f});

    /** Fashion-MNIST training set (60,000 images), checked against the Debian copy by the tests. */
    public static final ChannelStats FASHION_MNIST = new ChannelStats(new float[] {0.2860f}, new float[] {0.3530f});

    /** Validates lengths and ranges; the arrays are copied. */
    public ChannelStats {
        if (mean.length != std.length || (mean.length != 1 && mean.length != 3)) {
            throw new IllegalArgumentException(
                    "mean has " + mean.length + " values and std " + std.length + ": expected 1 or 3 of each");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!(mean[c] >= 0 && mean[c] <= 1) || !(std[c] > 0)) {
                throw new IllegalArgumentException(
                        "channel " + c + ": mean=" + mean[c] + " must be in [0, 1] and std=" + std[c]
                                + " positive (statistics of pixels scaled to [0, 1])");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** The number of channels. */
    public int channels() {
        return mean.length;
    }

    /**
     * Computes the statistics of {@code data}: per channel, the mean and the population standard deviation of all
     * its pixel values divided by 255. One pass, double-precision sums.
     */
    public static ChannelStats compute(ImageDataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException(data.name() + " is empty: no statistics to compute");
        }
        int c = data.channels();
        int plane = data.height() * data.width();
        // Integer histograms per channel: exact sums, and fast (no floating point per pixel).
        long[][] hist = new long[c][256];
        byte[] img = new byte[data.imageBytes()];
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, img, 0);
            for (int ch = 0; ch < c; ch++) {
                long[] h = hist[ch];
                int base = ch * plane;
                for (int p = 0; p < plane; p++) {
                    h[img[base + p] & 0xFF]++;
                }
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double n = 0;
            double s = 0;
            for (int v = 0; v < 256; v++) {
                n += hist[ch][v];
                s += (double) hist[ch][v] * v;
            }
            double m = s / n;
            double var = 0;
            for (int v = 0; v < 256; v++) {
                double d = v - m;
                var += hist[ch][v] * d * d;
            }
            mean[ch] = (float) (m / 255.0);
            std[ch] = (float) (Math.sqrt(var / n) / 255.0);
        }
        return new ChannelStats(mean, std);
    }

    /** The statistics with the channel values repeated to {@code channels} (1 -> 3 for grayscale data). */
    public ChannelStats expandTo(int channels) {
        if (channels == mean.length) {
            return this;
        }
        if (mean.length == 1 && channels == 3) {
            return new ChannelStats(
                    new float[] {mean[0], mean[0], mean[0]}, new float[] {std[0], std[0], std[0]});
        }
        throw new IllegalArgumentException("cannot expand " + mean.length + "-channel statistics to " + channels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelStats other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
