package dev.excon.saliency;

import ai.djl.ndarray.NDArray;

/**
 * The input gradient ("vanilla gradient", "saliency"; Simonyan et al., <a
 * href="https://arxiv.org/abs/1312.6034">arXiv 1312.6034</a>): attributions {@code a = d f_c / d x} (N, C, H, W), the
 * gradient of the target logit with respect to the pixels in [0, 1], from one forward and one backward pass for the
 * batch; the map is their {@link ChannelReduction} (default the signed channel sum; {@link ChannelReduction#ABS_SUM}
 * gives the reference's Captum {@code Saliency} map). A predicted target is the argmax of the same forward pass.
 */
public final class InputGradient extends GradientExplainer {

    /** @param reduction how channels are reduced to the map */
    InputGradient(ChannelReduction reduction) {
        super(reduction);
    }

    @Override
    Attribution attribute(ExplainSession s) {
        NDArray leaf = s.input().stopGradient();
        leaf.setRequiresGradient(true);
        NDArray logits = s.logits(leaf);
        NDArray classes = s.classes(logits);
        s.backward(logits, s.oneHot(classes));
        return new Attribution(leaf.getGradient(), logits, classes);
    }

    @Override
    public String toString() {
        return "InputGradient[reduction " + reduction() + "]";
    }
}
