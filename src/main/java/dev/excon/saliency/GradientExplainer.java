package dev.excon.saliency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.model.BatchNormMode;
import dev.excon.model.GradientHazards;
import dev.excon.model.ImageModel;

/**
 * The explainers built on the gradient of the target logit with respect to the input pixels: {@link InputGradient},
 * {@link IntegratedGradients} and {@link SmoothGrad}. Each computes signed per-pixel, per-channel attributions (N, C,
 * H, W), available through {@link #attributions}; its map is their {@link ChannelReduction} (by default the signed
 * channel sum) and the {@link Explanation}'s logits are those of the images themselves.
 */
public abstract sealed class GradientExplainer implements Explainer
        permits InputGradient, IntegratedGradients, SmoothGrad {

    private final ChannelReduction reduction;

    GradientExplainer(ChannelReduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException("reduction is null: choose ChannelReduction.SUM or ABS_SUM");
        }
        this.reduction = reduction;
    }

    /** How channels are reduced to the map. */
    public ChannelReduction reduction() {
        return reduction;
    }

    @Override
    public Explanation explain(ImageModel net, NDArray images, Target target, BatchNormMode mode) {
        GradientHazards.check(net);
        try (ExplainSession s = ExplainSession.open(net, images, target, mode)) {
            Attribution a = attribute(s);
            return s.finish(reduction.apply(a.values()), a.logits(), a.classes());
        }
    }

    /**
     * The signed attributions before channel reduction, under the same contract as {@link #explain}.
     *
     * @return (N, C, H, W) float32, attached to the images' manager
     */
    public NDArray attributions(ImageModel net, NDArray images, Target target) {
        GradientHazards.check(net);
        try (ExplainSession s = ExplainSession.open(net, images, target)) {
            return s.keep(attribute(s).values());
        }
    }

    /** Attributions (N, C, H, W), logits (N, C) of the images and explained classes (N), all in the session. */
    record Attribution(NDArray values, NDArray logits, NDArray classes) {}

    abstract Attribution attribute(ExplainSession s);

    /** Builds variants {@code first .. first + k - 1} of every image, (k, N, C, H, W), in a pass's manager. */
    interface Variants {
        NDArray make(NDManager pass, int first, int k);
    }

    /**
     * The input gradient of the target logits summed over {@code count} variants of each image (interpolation
     * points, noisy copies), {@code max(1, internalBatchSize / N)} variants per forward/backward pass. Each pass
     * backpropagates {@code sum f(variant)[c_i]} over its rows and frees its memory before the next; variants are
     * requested in increasing order.
     *
     * @param oneHot (N, C) one-hot classes of the N images
     * @return the sum (N, C, H, W), in the session's scope
     */
    static NDArray sumOfGradients(
            ExplainSession s, NDArray oneHot, int count, int internalBatchSize, Variants variants) {
        NDArray x = s.input();
        long[] shape = x.getShape().getShape();
        long n = shape[0];
        int perPass = (int) Math.max(1, internalBatchSize / n);
        NDArray sum = x.zerosLike();
        for (int first = 0; first < count; first += perPass) {
            int k = Math.min(perPass, count - first);
            try (NDManager pass = s.scope().newSubManager()) {
                NDArray leaf = variants.make(pass, first, k).reshape(k * n, shape[1], shape[2], shape[3])
                        .stopGradient();
                leaf.setRequiresGradient(true);
                NDArray logits = s.logits(leaf);
                // (k, N, C) times the (N, C) one-hot rows broadcasts: no tiled copy.
                s.backward(logits.reshape(k, n, -1), oneHot);
                sum.addi(leaf.getGradient().reshape(k, n, shape[1], shape[2], shape[3]).sum(new int[] {0}));
            }
        }
        return sum;
    }
}
