package dev.excon.saliency;

import ai.djl.ndarray.NDArray;

/**
 * How a {@link GradientExplainer} turns per-channel attributions (N, C, H, W) into a one-channel map (N, 1, H, W).
 * The same rule, applied to the final attribution, serves every gradient explainer: by default the signed channel
 * sum.
 */
public enum ChannelReduction {

    /**
     * {@code sum_c a_c}, signed: the reference's reduction for its Captum explainers other than Grad-CAM, and its
     * Integrated Gradients map exactly. Keeps Integrated Gradients' completeness at the map level (the map sums to
     * {@code f(x) - f(baseline)}). The default.
     */
    SUM,

    /**
     * {@code sum_c |a_c|}, the magnitude. For the input gradient this is the reference's {@code Saliency} explainer
     * (Captum's {@code Saliency} takes the absolute value by default, then the reference sums the channels); for
     * SmoothGrad the absolute value is taken of the averaged gradient.
     */
    ABS_SUM;

    /** Reduces (N, C, H, W) to (N, 1, H, W); the result is attached to {@code attributions}' manager. */
    public NDArray apply(NDArray attributions) {
        NDArray a = this == ABS_SUM ? attributions.abs() : attributions;
        return a.sum(new int[] {1}, true);
    }
}
