package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.Scalars;
import java.util.SplittableRandom;

/**
 * {@code gaussian_noise}: additive Gaussian noise, {@code clip(x + sigma * z)} with {@code z ~ N(0, 1)} independent
 * for every pixel and channel. CIFAR generator sigma by severity: 0.04, 0.06, 0.08, 0.09, 0.10.
 */
final class GaussianNoise extends AbstractCorruption {

    GaussianNoise() {
        super("gaussian_noise", "sigma", 0.04, 0.06, 0.08, 0.09, 0.10);
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        NDArray z = scope.create(standardNormals(x, name(), seed, firstIndex), x.getShape());
        return x.add(Scalars.muli(z, (float) value(severity)));
    }

    /** One standard normal per element of {@code x}, image by image from {@link NoiseStreams}. */
    static float[] standardNormals(NDArray x, String name, long seed, long firstIndex) {
        int n = (int) x.getShape().get(0);
        int per = (int) (x.size() / Math.max(n, 1));
        float[] z = new float[n * per];
        for (int i = 0; i < n; i++) {
            SplittableRandom r = NoiseStreams.forImage(seed, name, firstIndex + i);
            for (int k = i * per, end = k + per; k < end; k++) {
                z[k] = (float) r.nextGaussian();
            }
        }
        return z;
    }
}
