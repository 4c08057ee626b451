package dev.excon.saliency;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * Which class an {@link Explainer} explains for each image: given classes (the ground-truth labels, as ExCon's
 * training masks do) or the network's own prediction {@code argmax f(x)} (as the reference's explanation-quality
 * evaluation does). A predicted target is taken from the explainer's own forward pass of the images, so it costs no
 * extra forward for Grad-CAM and the input gradient.
 */
public final class Target {

    private static final Target PREDICTED = new Target(null);

    private final NDArray classes;

    private Target(NDArray classes) {
        this.classes = classes;
    }

    /**
     * Explains the given classes.
     *
     * @param classes (N) int64 (int32 accepted) class indices in [0, C), one per image, on the network's device; not
     *     modified and not taken over (the explainer copies what it keeps)
     */
    public static Target classes(NDArray classes) {
        return new Target(Objects.requireNonNull(classes, "classes: pass the (N) int64 class indices to explain"));
    }

    /** Explains each image's predicted class {@code argmax_c f(x)_c}. */
    public static Target predicted() {
        return PREDICTED;
    }

    /** Whether the predicted classes are explained. */
    public boolean isPredicted() {
        return classes == null;
    }

    /** The given classes, or null for {@link #predicted()}. */
    public NDArray classes() {
        return classes;
    }

    @Override
    public String toString() {
        return classes == null ? "Target.predicted" : "Target.classes" + classes.getShape();
    }
}
