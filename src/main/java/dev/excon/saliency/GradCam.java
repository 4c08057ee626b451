package dev.excon.saliency;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;
import dev.excon.model.BatchNormMode;
import dev.excon.model.ExconNetwork;
import dev.excon.model.GradientHazards;
import dev.excon.model.ImageModel;
import dev.excon.model.LayerCapture;
import dev.excon.model.ResNet;
import dev.excon.model.Tap;

/**
 * Grad-CAM (Selvaraju et al., <a href="https://arxiv.org/abs/1610.02391">arXiv 1610.02391</a>), as the reference
 * computes it with Captum's {@code LayerGradCam}: with A the activation (N, K, h, w) at a layer of the model,
 *
 * <pre>
 *   S = sum_k ( mean_{u,v} d f_c / d A^k_uv ) * A^k        (N, 1, h, w), signed by default
 * </pre>
 *
 * then bilinear upsampling to the input size (half-pixel centres, PyTorch's {@code align_corners=False}) and
 * per-image min-max. The default map is signed (Captum's {@code relu_attributions=False}, the reference), so negative
 * evidence takes part in the min-max; {@link Builder#optRelu} applies the ReLU of the original paper to S before
 * upsampling.
 *
 * <p>One forward and one backward pass for the whole batch: the backbone runs to the tap, the activation is cut from
 * the graph ({@code stopGradient}) and marked for gradients, the rest of the network runs from it, and {@code sum_i
 * f(x_i)[c_i]} is backpropagated, which gives every image's gradient at once. A predicted target is the argmax of the
 * same forward pass.
 *
 * <p>The layer: on the library's {@link ExconNetwork} a {@link Tap} (default the network's {@link ExconNetwork#tap()},
 * the reference's layer: the last convolution of stage 2 for 32x32 inputs, of the last stage for 64x64); on any model
 * with a DJL block tree, a path {@link Builder#optLayer} such as {@code "layer2_1/conv2"} or {@code "02Conv2d"} (see
 * {@link dev.excon.model.Layers#list}), whose output {@link LayerCapture} reads during the forward pass.
 */
public final class GradCam implements Explainer {

    private final boolean relu;
    private final Tap tap;
    private final String layer;

    private GradCam(Builder b) {
        this.relu = b.relu;
        this.tap = b.tap;
        this.layer = b.layer;
    }

    /** Starts a builder; defaults: signed map, the network's tap. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether negative evidence is zeroed (ReLU on the tap-resolution map). */
    public boolean relu() {
        return relu;
    }

    /** The tap override, or null when the network's {@link ExconNetwork#tap()} (or a layer path) is used. */
    public Tap tap() {
        return tap;
    }

    /** The layer path, or null when a tap is used. */
    public String layer() {
        return layer;
    }

    @Override
    public Explanation explain(ImageModel net, NDArray images, Target target, BatchNormMode mode) {
        try (ExplainSession s = ExplainSession.open(net, images, target, mode)) {
            TapMaps t = tapMaps(s);
            Shape in = images.getShape();
            return s.finish(upsample(t.maps, in.get(2), in.get(3)), t.logits, t.classes);
        }
    }

    /**
     * The raw maps at the tap's resolution, before upsampling and normalisation.
     *
     * @return (N, 1, h, w) float32, (h, w) the tap activation's size, attached to the images' manager
     */
    public NDArray tapMaps(ImageModel net, NDArray images, Target target) {
        try (ExplainSession s = ExplainSession.open(net, images, target)) {
            return s.keep(tapMaps(s).maps);
        }
    }

    /** The channel weights {@code mean_{u,v} d f_c / d A^k_uv}, (N, K); for tests. */
    NDArray channelWeights(ImageModel net, NDArray images, Target target) {
        try (ExplainSession s = ExplainSession.open(net, images, target)) {
            return s.keep(tapMaps(s).weights);
        }
    }

    private record TapMaps(NDArray maps, NDArray weights, NDArray logits, NDArray classes) {}

    private TapMaps tapMaps(ExplainSession s) {
        ImageModel model = s.net();
        if (layer != null) {
            return layerMaps(s);
        }
        if (!(model instanceof ExconNetwork net)) {
            throw new IllegalArgumentException("Grad-CAM on " + model.description() + " needs the layer to explain: "
                    + "GradCam.builder().optLayer(\"path\").build(), with a path from Layers.list(model)"
                    + (tap != null ? " (a Tap names a stage of the library's ResNet only)" : ""));
        }
        ResNet backbone = net.backbone();
        Tap at = tap != null ? tap : net.tap();
        ResNet.TapState state = backbone.forwardToTap(net.store(), s.input(), s.training(), at);
        NDArray activation = state.activation();
        // A leaf copy of the activation: marking the activation itself (a non-leaf) would give a zero gradient.
        NDArray leaf = activation.stopGradient();
        leaf.setRequiresGradient(true);
        NDArray logits =
                net.classify(backbone.forwardFromTap(net.store(), state.withActivation(leaf), s.training(), at));
        NDArray classes = s.classes(logits);
        s.backward(logits, s.oneHot(classes));
        return weigh(activation, leaf.getGradient(), logits, classes);
    }

    /** The same at a layer path of any model: one forward with the layer's output captured as a marked leaf. */
    private TapMaps layerMaps(ExplainSession s) {
        GradientHazards.check(s.net(), GradientHazards.after(s.net(), layer));
        try (LayerCapture capture = LayerCapture.install(s.net(), layer)) {
            NDArray logits = s.logits(s.input());
            NDArray activation = capture.activation();
            if (activation.getShape().dimension() != 4) {
                throw new IllegalArgumentException("layer \"" + layer + "\" outputs " + activation.getShape()
                        + "; Grad-CAM weighs the channels of a 4-D activation (N, K, h, w): choose a convolutional "
                        + "layer (Layers.list(model))");
            }
            NDArray classes = s.classes(logits);
            s.backward(logits, s.oneHot(classes));
            return weigh(activation, activation.getGradient(), logits, classes);
        }
    }

    /** Channel weights (spatial mean of the gradient) and the weighted channel sum, ReLU'd when asked. */
    private TapMaps weigh(NDArray activation, NDArray gradient, NDArray logits, NDArray classes) {
        Shape shape = activation.getShape();
        long n = shape.get(0);
        long k = shape.get(1);
        NDArray weights = gradient.reshape(n, k, -1).mean(new int[] {2});
        NDArray maps = activation.mul(weights.reshape(n, k, 1, 1)).sum(new int[] {1}, true);
        if (relu) {
            maps = Scalars.maximum(maps, 0f);
        }
        return new TapMaps(maps, weights, logits, classes);
    }

    /** Bilinear resize of (N, 1, h, w) maps to (N, 1, height, width), as PyTorch with {@code align_corners=False}. */
    static NDArray upsample(NDArray maps, long height, long width) {
        Shape s = maps.getShape();
        if (s.get(2) == height && s.get(3) == width) {
            return maps;
        }
        return maps.getNDArrayInternal()
                .interpolation(new long[] {height, width}, Image.Interpolation.BILINEAR.ordinal(), false);
    }

    @Override
    public String toString() {
        return "GradCam[" + (relu ? "relu" : "signed") + ", "
                + (layer != null ? "layer " + layer : "tap " + (tap == null ? "network default" : tap)) + "]";
    }

    /** Options of {@link GradCam}. */
    public static final class Builder {
        private boolean relu;
        private Tap tap;
        private String layer;

        private Builder() {}

        /** Zero negative evidence (the original paper's ReLU) before upsampling; default false (signed, reference). */
        public Builder optRelu(boolean relu) {
            this.relu = relu;
            return this;
        }

        /** The stage of the library's ResNet to explain; default null: the network's {@link ExconNetwork#tap()}. */
        public Builder optTap(Tap tap) {
            this.tap = tap;
            return this;
        }

        /**
         * The layer to explain by its path in the model's block tree ({@link dev.excon.model.Layers#list}), on any
         * model: its output is the activation A. Required for models other than the library's network.
         */
        public Builder optLayer(String path) {
            if (path != null) {
                dev.excon.model.Layers.segments(path); // a malformed path fails here, not at the first explanation
            }
            this.layer = path;
            return this;
        }

        /** Builds the explainer. */
        public GradCam build() {
            if (tap != null && layer != null) {
                throw new IllegalArgumentException("Grad-CAM given both tap " + tap + " and layer \"" + layer
                        + "\": choose one (a Tap for the library's network, a layer path for any model)");
            }
            return new GradCam(this);
        }
    }
}
