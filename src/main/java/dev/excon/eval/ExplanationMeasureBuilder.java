package dev.excon.eval;

import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explainers;

/**
 * The options every explanation-removal measure shares ({@link DropIncrease}, {@link DeletionInsertion}): the
 * explainer of the predicted class, the colour of removed pixels and the batch size. {@code B} is the measure's own
 * builder, so the options chain with its specific ones.
 */
public abstract class ExplanationMeasureBuilder<B extends ExplanationMeasureBuilder<B>> {

    Explainer explainer = Explainers.gradCam();
    float[] fill;
    int batchSize;

    /** @param defaultBatchSize the measure's default images per batch */
    ExplanationMeasureBuilder(int defaultBatchSize) {
        this.batchSize = defaultBatchSize;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The explainer of the predicted class; default {@link Explainers#gradCam()} (the reference's). */
    public B optExplainer(Explainer explainer) {
        if (explainer == null) {
            throw new IllegalArgumentException("explainer is null: pass e.g. Explainers.gradCam()");
        }
        this.explainer = explainer;
        return self();
    }

    /**
     * The colour of removed pixels, one value per channel in [0, 1]; default null: the network's normalisation mean
     * (the reference's zero in normalised space).
     */
    public B optFill(float[] fill) {
        this.fill = fill == null ? null : fill.clone();
        return self();
    }

    /** Images per batch for data-set evaluation (default: the measure's, see its DEFAULT_BATCH_SIZE). */
    public B optBatchSize(int batchSize) {
        this.batchSize = Tensors.positive("batchSize", batchSize);
        return self();
    }
}
