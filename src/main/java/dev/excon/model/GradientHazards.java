package dev.excon.model;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers whose input gradients libtorch 2.7.1 gets wrong on the CPU, found by measurement: a convolution with fewer
 * than {@value #MIN_CPU_FILTERS} output channels. Checked against finite differences on a 2-core AMD EPYC with
 * AVX-512 (3x3 convolutions, 16x16 inputs): with 8 or fewer filters the gradient with respect to the input was wrong
 * in some or all calls (with 1 thread in every call, with 2 in some, NaN at times), with 16 or more it was right to
 * float precision every time; limiting oneDNN to AVX2 did not cure it. The weights' values and the forward pass are
 * right; only the gradient that flows back through such a layer is not. So explainers, attacks and the protocol
 * refuse a model with such a layer on the CPU rather than show a wrong map; the library's own networks have at least
 * 32 filters per convolution.
 */
public final class GradientHazards {

    /** The fewest output channels of a convolution whose input gradient was right on the CPU. */
    public static final int MIN_CPU_FILTERS = 16;

    private GradientHazards() {}

    /** The narrow convolutions of a block tree run on {@code device} (none on a GPU), as "path (N filters)". */
    public static List<String> of(Block root, Device device) {
        List<String> out = new ArrayList<>();
        if (device != null && device.isGpu()) {
            return out;
        }
        if (root instanceof Convolution c && c.getFilters() < MIN_CPU_FILTERS) {
            out.add("the model itself (" + c.getFilters() + " filters)");
        }
        for (Layers.Layer layer : Layers.list(root)) {
            Block b = Layers.find(root, layer.path());
            if (b instanceof Convolution c && c.getFilters() < MIN_CPU_FILTERS) {
                out.add(layer.path() + " (" + c.getFilters() + " filters)");
            }
        }
        return out;
    }

    /**
     * The hazards a gradient taken at the output of {@code layer} passes through: the narrow convolutions after it in
     * the tree's order (Grad-CAM's backward pass stops at its layer), those inside or before it excluded.
     */
    public static List<String> after(ImageModel model, String layer) {
        Block root = model.layerRoot();
        if (root == null || model.gradientHazards().isEmpty()) {
            return model.gradientHazards();
        }
        Block target = Layers.find(root, layer);
        List<String> out = new ArrayList<>();
        boolean past = false;
        String targetPath = null;
        for (Layers.Layer l : Layers.list(root)) {
            Block b = Layers.find(root, l.path());
            if (b == target) {
                past = true;
                targetPath = l.path();
                continue;
            }
            boolean inside = targetPath != null && l.path().startsWith(targetPath + "/");
            if (past && !inside && b instanceof Convolution c && c.getFilters() < MIN_CPU_FILTERS) {
                out.add(l.path() + " (" + c.getFilters() + " filters)");
            }
        }
        return out;
    }

    /** The refusal's message for a model with hazards: what, why, and the fix. */
    public static String message(ImageModel model) {
        return message(model, model.gradientHazards());
    }

    /** The refusal's message naming {@code hazards}. */
    public static String message(ImageModel model, List<String> hazards) {
        return model.description() + " has convolutions with fewer than " + MIN_CPU_FILTERS + " output channels: "
                + String.join(", ", hazards) + ". On the CPU, libtorch 2.7.1 returns wrong gradients "
                + "through such layers (measured against finite differences), so explanations and attacks would be "
                + "wrong: give each convolution at least " + MIN_CPU_FILTERS + " filters, or run on a GPU. "
                + "Forward-only measures (Accuracy, Calibration, Logits) work as they are";
    }

    /** Refuses a gradient pass to the pixels (an explanation, an attack) over a model with hazards. */
    public static void check(ImageModel model) {
        check(model, model.gradientHazards());
    }

    /** Refuses a gradient pass through {@code hazards} when there are any. */
    public static void check(ImageModel model, List<String> hazards) {
        if (!hazards.isEmpty()) {
            throw new IllegalStateException(message(model, hazards));
        }
    }
}
