package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * {@code gaussian_blur}: scikit-image's {@code filters.gaussian} as the generator calls it, a separable Gaussian of
 * standard deviation sigma on height and width (not across channels), truncated at {@code int(4 sigma + 0.5)} pixels,
 * edges repeated (scipy's {@code mode='nearest'}). CIFAR generator sigma by severity: 0.4, 0.6, 0.7, 0.8, 1.
 */
final class GaussianBlur extends AbstractCorruption {

    /** scipy.ndimage's default truncation, in standard deviations. */
    static final double TRUNCATE = 4.0;

    GaussianBlur() {
        super("gaussian_blur", "sigma", 0.4, 0.6, 0.7, 0.8, 1.0);
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        double sigma = value(severity);
        int radius = (int) (TRUNCATE * sigma + 0.5);
        return SpatialFilters.separable(scope, x, SpatialFilters.gaussianTaps(sigma, radius),
                SpatialFilters.Border.NEAREST);
    }
}
