package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * {@code defocus_blur}: correlation with an anti-aliased disk, as the generator builds it: the 0/1 disk {@code x^2 +
 * y^2 <= radius^2} on a 17 x 17 grid (larger for radius > 8), normalised to sum 1, smoothed with a 3 x 3 Gaussian of
 * standard deviation {@code aliasBlur} (5 x 5 for radius > 8), then applied to each channel with mirrored edges
 * (OpenCV's {@code filter2D}, {@code BORDER_REFLECT_101}). CIFAR generator (radius, aliasBlur) by severity: (0.3,
 * 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1). Below radius 1 the disk is one pixel, so severities 1-3 are
 * 3 x 3 Gaussian blurs.
 */
final class DefocusBlur extends AbstractCorruption {

    private static final double[][] PARAMS = {{0.3, 0.4}, {0.4, 0.5}, {0.5, 0.6}, {1, 0.2}, {1.5, 0.1}};

    DefocusBlur() {
        super("defocus_blur", "radius", 0.3, 0.4, 0.5, 1, 1.5);
    }

    @Override
    public String parameter(int severity) {
        double[] p = PARAMS[checkSeverity(severity) - 1];
        return "radius=" + format(p[0]) + ", alias_blur=" + format(p[1]);
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        double[] p = PARAMS[severity - 1];
        return SpatialFilters.filter2d(scope, x, kernel(p[0], p[1]), SpatialFilters.Border.REFLECT_101);
    }

    /** The generator's anti-aliased disk kernel (square, odd size, sums to 1). */
    static double[][] kernel(double radius, double aliasBlur) {
        int half = radius <= 8 ? 8 : (int) Math.ceil(radius);
        int gaussianSize = radius <= 8 ? 3 : 5;
        int n = 2 * half + 1;
        double[][] disk = new double[n][n];
        double count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double y = i - half;
                double x = j - half;
                if (x * x + y * y <= radius * radius) {
                    disk[i][j] = 1;
                    count++;
                }
            }
        }
        // OpenCV's getGaussianKernel(size, sigma) with the disk's own border rule (reflect-101).
        double[] g = SpatialFilters.gaussianTaps(aliasBlur, gaussianSize / 2);
        double[][] tmp = new double[n][n];
        double[][] out = new double[n][n];
        int r = gaussianSize / 2;
        SpatialFilters.Border b = SpatialFilters.Border.REFLECT_101;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = -r; t <= r; t++) {
                    s += g[t + r] * disk[i][b.index(j + t, n)] / count;
                }
                tmp[i][j] = s;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = -r; t <= r; t++) {
                    s += g[t + r] * tmp[b.index(i + t, n)][j];
                }
                out[i][j] = s;
            }
        }
        return out;
    }
}
