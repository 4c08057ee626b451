/**
 * Saliency explanations of an image classifier's logits ({@link dev.excon.model.ImageModel}: the library's {@link
 * dev.excon.model.ExconNetwork} or any DJL block through {@link dev.excon.model.BlockModel}), batched on the device:
 * Grad-CAM (the reference's signed map at the network's tap, or at any layer by its path), the input gradient,
 * Integrated Gradients and SmoothGrad. Start from {@link dev.excon.saliency.Explainers}; every method returns (N, 1, H, W) float32 maps in
 * [0, 1] after the reference's per-image min-max ({@link dev.excon.saliency.Explainer#minMaxNormalize}), or the raw
 * map for pixel ranking, in eval mode, with the network's parameters frozen for the call and no gradient or native
 * memory left behind.
 */
package dev.excon.saliency;
