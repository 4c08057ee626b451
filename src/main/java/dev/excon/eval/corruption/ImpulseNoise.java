package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * {@code impulse_noise}: salt-and-pepper noise as scikit-image's {@code random_noise(mode='s&p')} makes it: each
 * pixel and channel independently is replaced with probability {@code amount}, by 1 (salt) or 0 (pepper) with equal
 * odds. CIFAR generator amount by severity: 0.01, 0.02, 0.03, 0.05, 0.07. The replaced elements of a milder severity
 * are a subset of those of a stronger one (shared random numbers).
 */
final class ImpulseNoise extends AbstractCorruption {

    ImpulseNoise() {
        super("impulse_noise", "amount", 0.01, 0.02, 0.03, 0.05, 0.07);
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        double amount = value(severity);
        int n = (int) x.getShape().get(0);
        int per = (int) (x.size() / Math.max(n, 1));
        float[] replaced = new float[n * per];
        float[] salt = new float[n * per];
        for (int i = 0; i < n; i++) {
            SplittableRandom r = NoiseStreams.forImage(seed, name(), firstIndex + i);
            for (int k = i * per, end = k + per; k < end; k++) {
                double u = r.nextDouble();
                boolean isSalt = r.nextDouble() < 0.5;
                if (u < amount) {
                    replaced[k] = 1f;
                    salt[k] = isSalt ? 1f : 0f;
                }
            }
        }
        NDArray m = scope.create(replaced, x.getShape());
        NDArray s = scope.create(salt, x.getShape());
        // x * (1 - m) + s: exact, since m and s are 0 or 1 and s is 0 wherever m is.
        return x.mul(m.neg().addi(1f)).addi(s);
    }
}
