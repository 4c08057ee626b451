package dev.excon.saliency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.model.BatchNormMode;
import dev.excon.model.ImageModel;

/**
 * A saliency method: for a batch of images and one target class per image, a map of how much each pixel supports the
 * class's logit. The explained function is the logits (not the softmax) of any {@link ImageModel}: the library's
 * {@link dev.excon.model.ExconNetwork} ({@code classifier(backbone(x))}), or a user-built DJL block or TorchScript file
 * through {@link dev.excon.model.BlockModel}; in evaluation mode (running batch-norm statistics, which stay untouched)
 * unless a call asks for {@link BatchNormMode#TRAIN}: the reference's training-time passes, with batch statistics that
 * also update the running ones.
 *
 * <p>Tensor contract of every method:
 *
 * <ul>
 *   <li>images: (N, C, H, W) float32 in [0, 1] on {@link ImageModel#device()} (normalisation is the model's first
 *       block); never modified, nor their gradient;
 *   <li>classes: (N) int64 (int32 accepted) in [0, C), on the same device;
 *   <li>maps: (N, 1, H, W) float32 on the same device, attached to the images' manager; everything else the pass
 *       allocates is freed before the call returns.
 * </ul>
 *
 * <p>The whole batch is explained at once on the device. The network's trainable parameters are frozen during the
 * call and restored to their previous state afterwards (also when it throws), so no gradient is added to any
 * parameter: an explainer may run between a training step's {@code backward} and its optimizer step. Explainers open
 * their own {@link ai.djl.training.GradientCollector}; DJL collectors cannot nest, so call them outside any open
 * collector. Implementations are immutable; run one explanation at a time per process (DJL's PyTorch collector is
 * process-wide, and the freeze state of a network is shared).
 *
 * <pre>{@code
 * Explainer gradCam = Explainers.gradCam();                 // the reference's signed Grad-CAM
 * NDArray masks = gradCam.explain(net, images, labels);     // (N, 1, H, W) in [0, 1], ExCon thresholds at 0.5
 * try (Explanation e = gradCam.explain(net, images, Target.predicted())) {
 *     NDArray rank = e.raw();                               // evaluation: rank pixels of the raw map
 *     NDArray predicted = e.classes();                      // argmax of the same forward pass
 * }
 * }</pre>
 */
public interface Explainer {

    /** The {@code +1e-8} of the reference's min-max normalisation (see {@link #minMaxNormalize}). */
    float MIN_MAX_EPSILON = 1e-8f;

    /**
     * Explains a batch: the one method every explainer implements.
     *
     * @param net the network; its parameters end in the freeze state they started in
     * @param images (N, C, H, W) float32 in [0, 1] on the network's device
     * @param target the classes to explain, or {@link Target#predicted()}
     * @return the normalised and raw maps, the logits and the explained classes, attached to the images' manager
     * @throws IllegalArgumentException if the images are not a non-empty float32 4-D batch on the network's device
     *     with the network's channel count, or the classes are not one in-range integer per image
     * @throws IllegalStateException if a gradient collector is already open
     */
    default Explanation explain(ImageModel net, NDArray images, Target target) {
        return explain(net, images, target, BatchNormMode.EVAL);
    }

    /**
     * Explains a batch with the network's batch norm in {@code mode}: {@link BatchNormMode#EVAL} as {@link
     * #explain(ImageModel, NDArray, Target)}; {@link BatchNormMode#TRAIN} uses the batch's statistics and every
     * forward pass of the method updates the running statistics, as the reference's explainer does during training
     * (its encoder is in {@code train()} mode). The parameters still receive no gradient.
     */
    Explanation explain(ImageModel net, NDArray images, Target target, BatchNormMode mode);

    /**
     * Saliency maps of the given classes: (N, 1, H, W) float32 in [0, 1] after per-image min-max.
     *
     * @param classes (N) int64 class indices in [0, C), e.g. the ground-truth labels
     */
    default NDArray explain(ImageModel net, NDArray images, NDArray classes) {
        return explain(net, images, classes, BatchNormMode.EVAL);
    }

    /** As {@link #explain(ImageModel, NDArray, NDArray)} with batch norm in {@code mode}. */
    default NDArray explain(ImageModel net, NDArray images, NDArray classes, BatchNormMode mode) {
        Explanation e = explain(net, images, Target.classes(classes), mode);
        return e.keepOnly(e.map());
    }

    /** Saliency maps of the predicted classes {@code argmax f(x)}: (N, 1, H, W) float32 in [0, 1]. */
    default NDArray explainPredicted(ImageModel net, NDArray images) {
        Explanation e = explain(net, images, Target.predicted());
        return e.keepOnly(e.map());
    }

    /**
     * The raw maps (N, 1, H, W) float32 at the input resolution, before min-max: signed, in the units of the logit.
     * Only their ranking per image is meaningful across methods.
     */
    default NDArray explainRaw(ImageModel net, NDArray images, Target target) {
        Explanation e = explain(net, images, target);
        return e.keepOnly(e.raw());
    }

    /**
     * Per-image min-max normalisation with the reference's semantics: {@code (S - min S) / (max(S - min S) + 1e-8)},
     * min and max taken over all of an image's values. The result lies in [0, 1): its minimum is 0 and its maximum is
     * {@code r / (r + 1e-8)} for a value range r, i.e. 1 up to float32 rounding unless r is tiny; a constant map
     * becomes all zeros (no division by zero).
     *
     * @param raw (N, ...) float32, any trailing shape, e.g. (N, 1, H, W)
     * @return a new array of the same shape on the same device, attached to {@code raw}'s manager (intermediates
     *     are freed)
     */
    static NDArray minMaxNormalize(NDArray raw) {
        NDManager owner = raw.getManager();
        try (NDManager scope = owner.newSubManager(raw.getDevice())) {
            raw.tempAttach(scope);
            long n = raw.getShape().get(0);
            NDArray flat = raw.reshape(n, -1);
            NDArray shifted = flat.sub(flat.min(new int[] {1}, true));
            NDArray range = shifted.max(new int[] {1}, true);
            NDArray normalised = shifted.div(range.add(MIN_MAX_EPSILON)).reshape(raw.getShape());
            normalised.attach(owner);
            return normalised;
        }
    }
}
