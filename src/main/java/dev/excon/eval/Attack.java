package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import dev.excon.model.ImageBatches;
import dev.excon.model.ImageModel;

/**
 * An untargeted L-infinity evasion attack on the true labels, in [0, 1] pixel space (normalisation is the model's
 * first block, so a step of {@code eps} here is the reference's {@code eps} on un-normalised pixels). Catalogue:
 * {@link Attacks}.
 *
 * <p>Contract of every attack: the model runs in evaluation mode; its parameters are frozen for the call and restored
 * to their previous state afterwards (also when it throws), so no gradient is added to any parameter; the input
 * images are not modified; the adversarial images satisfy {@code |x_adv - x| <= eps} and {@code 0 <= x_adv <= 1}
 * element-wise. An attack opens its own gradient collector: call it outside any open collector (DJL's cannot nest).
 * Implementations are immutable.
 */
public interface Attack {

    /** The radius in /255 units (4 means 4/255). */
    double epsilon255();

    /** The radius in [0, 1] pixel units, {@code epsilon255() / 255}. */
    default double epsilon() {
        return epsilon255() / 255;
    }

    /** The settings other than the radius, e.g. {@code FGSM}: the name of a row swept over an epsilon grid. */
    String settings();

    /** The same attack with another radius (in /255 units): how an epsilon grid is swept. */
    Attack withEpsilon(double epsilon255);

    /**
     * The attack for the {@code index}-th batch of a data set: randomised attacks return a copy whose random draws
     * are independent of every other index's (derived from their seed and the index), deterministic attacks return
     * themselves.
     */
    default Attack forBatch(long index) {
        return this;
    }

    /**
     * Adversarial images for a batch.
     *
     * @param model the model under attack
     * @param images (N, C, H, W) float32 in [0, 1]; not modified
     * @param labels (N) int64 (or int32) true classes, on the images' device
     * @return (N, C, H, W) float32 adversarial images in [0, 1], attached to the images' manager; everything else the
     *     attack allocates is freed before it returns
     * @throws IllegalArgumentException if the images are not a non-empty float32 4-D batch or the labels do not
     *     match
     * @throws IllegalStateException if a gradient collector is already open
     */
    NDArray perturb(ImageModel model, NDArray images, NDArray labels);
}
