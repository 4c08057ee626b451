package dev.excon.saliency;

import dev.excon.model.Tap;
import java.util.Locale;

/**
 * The catalogue of {@link Explainer}s: one-line factories with the defaults written out, and the builders ({@link
 * GradCam#builder()}, {@link IntegratedGradients#builder()}, {@link SmoothGrad#builder()}) for full control.
 *
 * <p>Conventions shared by the gradient explainers: attributions are signed, per pixel and channel, with respect to
 * the pixels in [0, 1]; the map is their signed channel sum ({@link ChannelReduction#SUM}, the reference's reduction)
 * unless another {@link ChannelReduction} is chosen.
 */
public final class Explainers {

    private Explainers() {}

    /**
     * The reference's explainer: signed Grad-CAM (no ReLU) at the network's {@link
     * dev.excon.model.ExconNetwork#tap()}, bilinear upsampling, per-image min-max.
     */
    public static GradCam gradCam() {
        return GradCam.builder().build();
    }

    /** Grad-CAM at the network's tap; {@code relu} zeroes negative evidence (the original paper), false = signed. */
    public static GradCam gradCam(boolean relu) {
        return GradCam.builder().optRelu(relu).build();
    }

    /** Grad-CAM at a given tap; {@code relu} zeroes negative evidence, false = signed (the reference). */
    public static GradCam gradCam(Tap tap, boolean relu) {
        return GradCam.builder().optTap(tap).optRelu(relu).build();
    }

    /**
     * Grad-CAM at a layer of any model, by its path ({@link dev.excon.model.Layers#list}); {@code relu} zeroes negative
     * evidence, false = signed.
     */
    public static GradCam gradCam(String layer, boolean relu) {
        return GradCam.builder().optLayer(layer).optRelu(relu).build();
    }

    /** The input gradient {@code d f_c / d x}, signed channel sum. */
    public static InputGradient inputGradient() {
        return new InputGradient(ChannelReduction.SUM);
    }

    /**
     * The input gradient with a given channel reduction; {@link ChannelReduction#ABS_SUM} is the reference's Captum
     * {@code Saliency} map.
     */
    public static InputGradient inputGradient(ChannelReduction reduction) {
        return new InputGradient(reduction);
    }

    /** Integrated Gradients with the defaults: 50 steps (midpoint rule), 64 images per pass, black baseline. */
    public static IntegratedGradients integratedGradients() {
        return IntegratedGradients.builder().build();
    }

    /**
     * Integrated Gradients from the black image, signed channel sum.
     *
     * @param steps gradient evaluations along the path (midpoint rule)
     * @param internalBatchSize images per forward/backward pass (at least one step of the whole batch)
     */
    public static IntegratedGradients integratedGradients(int steps, int internalBatchSize) {
        return IntegratedGradients.builder().optSteps(steps).optInternalBatchSize(internalBatchSize).build();
    }

    /**
     * SmoothGrad over the input gradient, 64 images per pass, signed channel sum.
     *
     * @param samples noisy copies per image (50 is the paper's)
     * @param noiseLevel Gaussian noise standard deviation relative to each image's value range (0.1-0.2)
     * @param seed seed of the noise; the same seed gives the same maps
     */
    public static SmoothGrad smoothGrad(int samples, float noiseLevel, long seed) {
        return SmoothGrad.builder().optSamples(samples).optNoiseLevel(noiseLevel).optSeed(seed).build();
    }

    /**
     * An explainer by the reference's {@code --explainer} name, with default settings: {@code GradCAM}, {@code
     * Saliency} (input gradient, {@link ChannelReduction#ABS_SUM} as Captum's), {@code IntegratedGradients}, or
     * {@code SmoothGrad}; case-insensitive, {@code -} and {@code _} ignored.
     */
    public static Explainer byName(String name) {
        switch (key(canonicalName(name))) {
            case "gradcam":
                return gradCam();
            case "saliency":
                return inputGradient(ChannelReduction.ABS_SUM);
            case "inputgradient":
                return inputGradient();
            case "integratedgradients":
                return integratedGradients();
            case "smoothgrad":
                return SmoothGrad.builder().build();
            default:
                throw new IllegalStateException("no explainer for " + name);
        }
    }

    /** The names {@link #byName} accepts, as the reference's {@code --explainer} spells them. */
    public static final java.util.List<String> NAMES =
            java.util.List.of("GradCAM", "InputGradient", "Saliency", "IntegratedGradients", "SmoothGrad");

    /**
     * The canonical spelling of an explainer name ({@code gradcam}, {@code grad-cam} and {@code GradCAM} are one),
     * {@code IG} for IntegratedGradients.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static String canonicalName(String name) {
        String k = key(name);
        if (k.equals("ig")) {
            return "IntegratedGradients";
        }
        for (String n : NAMES) {
            if (key(n).equals(k)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown explainer '" + name + "'; choose " + String.join(", ", NAMES));
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
