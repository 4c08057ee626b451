package dev.excon.saliency;

import ai.djl.ndarray.NDArray;

/**
 * Everything one explanation pass produces, attached to the manager of the explained images. Close it (or the arrays
 * you do not keep) to free the native memory.
 *
 * @param map the saliency maps (N, 1, H, W) float32 in [0, 1]: {@code raw} after per-image min-max ({@link
 *     Explainer#minMaxNormalize}); what ExCon thresholds
 * @param raw the un-normalised maps (N, 1, H, W) float32 at the input resolution (Grad-CAM: after bilinear
 *     upsampling); what the explanation-quality evaluation ranks
 * @param logits the logits f(x) (N, C) float32 of the explained images, eval mode (for Grad-CAM and the input
 *     gradient, from the very forward pass that was backpropagated)
 * @param classes (N) int64, the explained class of each image
 */
public record Explanation(NDArray map, NDArray raw, NDArray logits, NDArray classes) implements AutoCloseable {

    /** Closes the four arrays. */
    @Override
    public void close() {
        map.close();
        raw.close();
        logits.close();
        classes.close();
    }

    /** Closes every array but {@code keep} (one of the four), and returns {@code keep}. */
    public NDArray keepOnly(NDArray keep) {
        for (NDArray a : new NDArray[] {map, raw, logits, classes}) {
            if (a != keep) {
                a.close();
            }
        }
        return keep;
    }
}
