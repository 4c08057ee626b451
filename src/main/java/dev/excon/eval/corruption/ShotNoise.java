package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * {@code shot_noise}: Poisson (photon) noise, {@code clip(Poisson(x * lambda) / lambda)} per pixel and channel.
 * CIFAR generator lambda by severity: 500, 250, 100, 75, 50 (fewer photons, more noise). Drawn on the host with
 * {@link Poisson}.
 */
final class ShotNoise extends AbstractCorruption {

    ShotNoise() {
        super("shot_noise", "lambda", 500, 250, 100, 75, 50);
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        double lambda = value(severity);
        float[] v = x.toFloatArray();
        int n = (int) x.getShape().get(0);
        int per = v.length / Math.max(n, 1);
        for (int i = 0; i < n; i++) {
            SplittableRandom r = NoiseStreams.forImage(seed, name(), firstIndex + i);
            for (int k = i * per, end = k + per; k < end; k++) {
                v[k] = (float) (Poisson.sample(r, Math.max(v[k], 0f) * lambda) / lambda);
            }
        }
        return scope.create(v, x.getShape());
    }
}
