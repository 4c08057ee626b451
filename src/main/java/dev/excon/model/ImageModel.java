package dev.excon.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * An image classifier as the explainers, attacks and evaluation measures see it: logits of images in [0, 1],
 * differentiable with respect to the pixels, and the parameters to freeze while a gradient pass runs. The library's
 * {@link ExconNetwork} is one; {@link BlockModel} adapts any DJL {@link Block} that maps images to logits (a
 * user-built {@code SequentialBlock}, a model-zoo network, a {@link TorchScriptBlock} loaded from a PyTorch file).
 *
 * <pre>{@code
 * ImageModel model = BlockModel.builder(block).setNumClasses(10).optMeanColour(stats.mean()).build();
 * NDArray maps = GradCam.builder().optLayer("02Conv2d").build().explain(model, images, labels);
 * }</pre>
 */
public interface ImageModel {

    /**
     * Logits (N, K) of images (N, C, H, W) float32 in [0, 1] (which may record gradients).
     *
     * @param mode {@link BatchNormMode#EVAL} for running statistics (nothing updated; dropout off), {@link
     *     BatchNormMode#TRAIN} for the model's training-mode forward
     */
    NDArray logits(NDArray images, BatchNormMode mode);

    /** Logits in evaluation mode. */
    default NDArray logits(NDArray images) {
        return logits(images, BatchNormMode.EVAL);
    }

    /** The trainable parameters: gradient passes freeze them and restore their previous state afterwards. */
    List<Parameter> trainableParameters();

    /** The device the parameters live on; images must be there. */
    Device device();

    /** The number of classes K (the logits' width). */
    int numClasses();

    /** The channel count of the images the model takes, or 0 when the model does not say. */
    int channels();

    /**
     * The mean colour of the training data per channel in [0, 1]: what the explanation measures fill removed pixels
     * with and Integrated Gradients starts from, as the reference does; null when the model does not know it (the
     * measures then ask for an explicit fill).
     */
    float[] meanColour();

    /**
     * The block whose tree {@link Layers} paths are resolved in (Grad-CAM's layer), or null when the model has none:
     * an {@link ExconNetwork}'s backbone, a {@link BlockModel}'s block.
     */
    Block layerRoot();

    /**
     * The representation the protocol's t-SNE embeds: an {@link ExconNetwork}'s backbone features; the logits for
     * other models (evaluation mode).
     */
    default NDArray features(NDArray images) {
        return logits(images);
    }

    /** What the model is, in one line, for provenance and tables (architecture, file, classes). */
    String description();

    /**
     * Layers whose input gradients this machine's libtorch computes wrongly, so explanations and attacks refuse the
     * model ({@link GradientHazards}); empty when there are none. Forward-only measures are not affected.
     */
    default List<String> gradientHazards() {
        return List.of();
    }
}
