package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.excon.ExconRuntime;
import dev.excon.loss.CrossEntropy;
import dev.excon.model.GradientHazards;
import dev.excon.model.GradientPass;
import dev.excon.model.ImageBatches;
import dev.excon.model.ImageModel;

/** One attack pass ({@link GradientPass}: scope, frozen parameters, collector), with the model and the true labels. */
final class AttackSession extends GradientPass {

    private final ImageModel model;
    private final NDArray labels;

    private AttackSession(ImageModel model, NDArray images, NDArray labels) {
        super(images, labels);
        this.model = model;
        this.labels = labels.toType(DataType.INT64, false);
    }

    /** Validates, scopes, freezes and opens the collector; nothing is left behind on failure. */
    static AttackSession open(ImageModel model, NDArray images, NDArray labels) {
        ExconRuntime.noGradientRecording();
        ImageBatches.check(model, images);
        GradientHazards.check(model);
        Tensors.checkLabels(images, labels);
        AttackSession s = new AttackSession(model, images, labels);
        try {
            s.start(model.trainableParameters(), "an attack");
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The gradient of the batch-mean cross-entropy for the true labels and the logits, at {@code x}. */
    record LossGradient(NDArray gradient, NDArray logits) {}

    /**
     * One forward and backward pass at {@code x} (N, C, H, W): the input gradient of {@code mean_i CE(f(x)_i, y_i)}
     * and the logits f(x), both detached, attached to {@code x}'s manager.
     */
    LossGradient lossGradient(NDArray x) {
        NDArray leaf = x.stopGradient();
        leaf.setRequiresGradient(true);
        NDArray logits = model.logits(leaf);
        collector().backward(CrossEntropy.mean(logits, labels));
        NDArray gradient = leaf.getGradient();
        NDArray detached = logits.stopGradient();
        gradient.attach(x.getManager());
        detached.attach(x.getManager());
        return new LossGradient(gradient, detached);
    }
}
