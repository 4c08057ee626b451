package dev.excon.eval.corruption;

import ai.djl.ndarray.NDArray;

/**
 * One CIFAR-C-like corruption at severities 1 to 5 (Hendrycks and Dietterich 2019, arXiv 1903.12261), applied to a
 * batch of images. Implementations are immutable and thread-safe; the catalogue is {@link Corruptions}.
 *
 * <p>Tensor contract: {@code images} float32 (N, C, H, W), C = 1 or 3, values in [0, 1], any device; the result has
 * the same shape, dtype and device, values in [0, 1], attached to the images' manager. The input is not changed.
 */
public interface Corruption {

    /** The generator's name, e.g. {@code gaussian_noise}: the same as the official CIFAR-100-C file names. */
    String name();

    /** Whether the output depends on the seed (the noises); the others are deterministic functions of the image. */
    boolean isRandom();

    /**
     * The parameter at {@code severity} as text, e.g. {@code "sigma=0.08"}.
     *
     * @throws IllegalArgumentException if severity is not 1-5
     */
    String parameter(int severity);

    /**
     * Corrupts a batch whose image {@code k} is image {@code firstIndex + k} of its data set. A random corruption
     * draws the numbers of image {@code firstIndex + k} from a stream fixed by {@code (seed, name(), firstIndex +
     * k)}, so a data set corrupted in batches of any size gives the same pixels, and severity 1 and 5 of one image
     * use the same random numbers.
     *
     * @param images float32 (N, C, H, W) in [0, 1], C = 1 or 3
     * @param severity 1 (mildest) to 5
     * @param seed the seed of the random numbers (ignored by deterministic corruptions)
     * @param firstIndex the data-set index of the batch's first image
     * @return float32 (N, C, H, W) in [0, 1] on the images' device and manager
     * @throws IllegalArgumentException if the shape, channel count or severity is not allowed
     */
    NDArray apply(NDArray images, int severity, long seed, long firstIndex);

    /** {@link #apply(NDArray, int, long, long)} for a batch that starts at image 0. */
    default NDArray apply(NDArray images, int severity, long seed) {
        return apply(images, severity, seed, 0);
    }
}
