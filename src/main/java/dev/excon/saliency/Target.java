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

    private static final String MISSING = "classes: pass the (N) int64 class indices to explain";
    private static final Target PREDICTED = new Target(null, false);

    private final NDArray classes;
    private final boolean inRange;

    private Target(NDArray classes, boolean inRange) {
        this.classes = classes;
        this.inRange = inRange;
    }

    /**
     * Explains the given classes.
     *
     * @param classes (N) int64 (int32 accepted) class indices in [0, C), one per image, on the network's device; not
     *     modified and not taken over (the explainer copies what it keeps)
     */
    public static Target classes(NDArray classes) {
        return new Target(Objects.requireNonNull(classes, MISSING), false);
    }

    /**
     * As {@link #classes(NDArray)} for classes the caller knows are in {@code [0, C)}, e.g. labels of an {@code
     * ImageDataset} (checked when it was built) on a network with the data set's classes. Skips the range check,
     * which reads the classes to the host and so, on a GPU, waits for all queued work: the training step uses this.
     */
    public static Target classesInRange(NDArray classes) {
        return new Target(Objects.requireNonNull(classes, MISSING), true);
    }

    /** Explains each image's predicted class {@code argmax_c f(x)_c}. */
    public static Target predicted() {
        return PREDICTED;
    }

    /** Whether the predicted classes are explained. */
    public boolean isPredicted() {
        return classes == null;
    }

    /** Whether the caller vouched that the given classes are in range ({@link #classesInRange(NDArray)}). */
    public boolean inRange() {
        return inRange;
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
