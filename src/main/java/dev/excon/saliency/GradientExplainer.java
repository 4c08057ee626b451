package dev.excon.saliency;

import ai.djl.ndarray.NDArray;
import dev.excon.model.ExconNetwork;

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
    public Explanation explain(ExconNetwork net, NDArray images, Target target) {
        try (ExplainSession s = ExplainSession.open(net, images, target)) {
            Attribution a = attribute(s);
            return s.finish(reduction.apply(a.values()), a.logits(), a.classes());
        }
    }

    /**
     * The signed attributions before channel reduction, under the same contract as {@link #explain}.
     *
     * @return (N, C, H, W) float32, attached to the images' manager
     */
    public NDArray attributions(ExconNetwork net, NDArray images, Target target) {
        try (ExplainSession s = ExplainSession.open(net, images, target)) {
            return s.keep(attribute(s).values());
        }
    }

    /** Attributions (N, C, H, W), logits (N, C) of the images and explained classes (N), all in the session. */
    record Attribution(NDArray values, NDArray logits, NDArray classes) {}

    abstract Attribution attribute(ExplainSession s);

    /**
     * Batched gradients over a stack of inputs: rows r = j * N + i (j-th variant of image i), one forward and one
     * backward pass, backpropagating {@code sum_r f(x_r)[c_i]}. {@code rows} must not be on the autograd graph.
     *
     * @param rows (k * N, C, H, W); the gradient is attached to its manager
     * @param oneHot (N, C) one-hot classes of the N images
     * @return the gradient summed over the k variants, (N, C, H, W), attached to {@code rows}' manager
     */
    static NDArray summedGradient(ExplainSession s, NDArray rows, NDArray oneHot, int k) {
        NDArray leaf = rows.stopGradient();
        leaf.setRequiresGradient(true);
        NDArray logits = s.net().logits(leaf);
        // (k, N, C) times the (N, C) one-hot rows broadcasts: no tiled copy outliving the pass.
        s.backward(logits.reshape(k, -1, logits.getShape().get(1)), oneHot);
        NDArray g = leaf.getGradient();
        if (k == 1) {
            return g;
        }
        long[] shape = g.getShape().getShape();
        return g.reshape(k, shape[0] / k, shape[1], shape[2], shape[3]).sum(new int[] {0});
    }

    /** Steps per pass so that a pass holds at most {@code max(n, internalBatchSize)} images. */
    static int perPass(long n, int internalBatchSize) {
        return (int) Math.max(1, internalBatchSize / n);
    }
}
