package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.excon.ExconRuntime;
import dev.excon.loss.CrossEntropy;
import dev.excon.model.FrozenParameters;
import dev.excon.model.ImageBatches;

/**
 * The resources of one attack, released in {@link #close()} whatever happens: a sub-manager holding every
 * intermediate (the caller's images and labels are temporarily attached to it), the model's parameters frozen (their
 * previous state restored afterwards), and an open gradient collector.
 */
final class AttackSession implements AutoCloseable {

    private final ImageClassifier model;
    private final NDManager caller;
    private final NDManager scope;
    private final NDArray input;
    private final NDArray labels;
    private FrozenParameters frozen;
    private GradientCollector collector;

    private AttackSession(ImageClassifier model, NDArray images, NDArray labels) {
        this.model = model;
        this.caller = images.getManager();
        this.scope = caller.newSubManager(images.getDevice());
        images.tempAttach(scope);
        labels.tempAttach(scope);
        // A detached alias (no copy): nothing below can reach the caller's autograd graph or write to the images.
        this.input = images.stopGradient();
        this.labels = labels.toType(DataType.INT64, false);
    }

    /** Validates, scopes, freezes and opens the collector; nothing is left behind on failure. */
    static AttackSession open(ImageClassifier model, NDArray images, NDArray labels) {
        ExconRuntime.noGradientRecording();
        ImageBatches.check(images);
        Tensors.checkLabels(images, labels);
        AttackSession s = new AttackSession(model, images, labels);
        try {
            s.freeze();
            try {
                s.collector = images.getManager().getEngine().newGradientCollector();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("an attack opens its own gradient collector and DJL collectors cannot"
                        + " nest: call it outside any open GradientCollector", e);
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void freeze() {
        frozen = FrozenParameters.freeze(model.parameters());
    }

    /** The images: a detached alias living in the session's scope. */
    NDArray input() {
        return input;
    }

    /** The session's scope (for arrays made from host data). */
    NDManager scope() {
        return scope;
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
        collector.backward(CrossEntropy.mean(logits, labels));
        NDArray gradient = leaf.getGradient();
        NDArray detached = logits.stopGradient();
        gradient.attach(x.getManager());
        detached.attach(x.getManager());
        return new LossGradient(gradient, detached);
    }

    /** Moves a result to the caller's manager. */
    NDArray keep(NDArray result) {
        result.attach(caller);
        return result;
    }

    @Override
    public void close() {
        try {
            if (collector != null) {
                collector.close();
            }
        } finally {
            try {
                if (frozen != null) {
                    frozen.close();
                }
            } finally {
                scope.close();
            }
        }
    }
}
