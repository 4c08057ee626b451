package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;

/**
 * {@code contrast}: {@code (x - m) * c + m} with m the mean of each channel over the image (the generator's {@code
 * np.mean(x, axis=(0, 1))}, per channel, not a luma). CIFAR generator c by severity: 0.75, 0.5, 0.4, 0.3, 0.15
 * (smaller is flatter).
 */
final class Contrast extends AbstractCorruption {

    Contrast() {
        super("contrast", "c", 0.75, 0.5, 0.4, 0.3, 0.15);
    }

    @Override
    NDArray corrupt(NDManager scope, NDArray x, int severity, long seed, long firstIndex) {
        float c = (float) value(severity);
        Shape s = x.getShape();
        long n = s.get(0);
        long ch = s.get(1);
        NDArray mean = x.reshape(n, ch, -1).mean(new int[] {2}).reshape(n, ch, 1, 1);
        return Scalars.muli(x.sub(mean), c).addi(mean);
    }
}
