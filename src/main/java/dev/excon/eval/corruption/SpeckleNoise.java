package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.Scalars;

/**
 * {@code speckle_noise}: multiplicative Gaussian noise, {@code clip(x + x * sigma * z)} with {@code z ~ N(0, 1)} per
 * pixel and channel. CIFAR generator sigma by severity: 0.06, 0.1, 0.12, 0.16, 0.2.
 */
final class SpeckleNoise extends AbstractCorruption {

    SpeckleNoise() {
        super("speckle_noise", "sigma", 0.06, 0.10, 0.12, 0.16, 0.20);
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        NDArray z = scope.create(GaussianNoise.standardNormals(x, name(), seed, firstIndex), x.getShape());
        return x.add(x.mul(Scalars.muli(z, (float) value(severity))));
    }
}
