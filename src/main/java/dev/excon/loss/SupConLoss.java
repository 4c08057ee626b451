package dev.excon.loss;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;

/**
 * The supervised contrastive loss exactly as the ExCon reference code computes it ({@code losses.SupConLoss}, contrast
 * mode "all"), with labels or SimCLR-style instance positives, and with ExConB's background samples either as
 * negatives only or as a class of their own. Paper: Zhang et al., <a href="https://arxiv.org/abs/2111.14271">ExCon,
 * arXiv 2111.14271</a>; the loss is Khosla et al.'s <a href="https://arxiv.org/abs/2004.11362">SupCon</a>.
 *
 * <p>The 2N embeddings are indexed view-major: rows 0..N-1 are {@code view1}, rows N..2N-1 are {@code view2}, and row
 * i and row i+N are the two views of sample i. For an anchor i, A(i) is every valid row except i, and P(i) the rows
 * of A(i) that are positives of i. Then
 *
 * <pre>
 * l_i = -(t/b) * (1/|P(i)|) * sum_{p in P(i)} log( exp(z_i.z_p/t) / sum_{a in A(i)} exp(z_i.z_a/t) )
 * L   = (1/|anchors|) * sum_{anchors i} l_i
 * </pre>
 *
 * with temperature t and base temperature b (the factor t/b is the reference's, inherited from SupContrast). Positives
 * are: with labels, the rows of the same label; without labels (SimCLR), the other view of the same sample only.
 * Anchors are the valid rows with at least one positive: every valid sample has its other view, so these are all
 * valid rows, less the background rows when they are negatives only.
 *
 * <p>Background rows (ExConB's rejected masked images, label C in the reference) follow the reference flag {@code
 * --background_anchor}:
 *
 * <ul>
 *   <li>{@code backgroundAnchor = false} (reference flag 0, the README commands): never anchors and never positives,
 *       but in every anchor's denominator A(i). L is then (1/2B) times the sum over the 2B real anchors, which is the
 *       reference's mean over all 2N rows times N/B.
 *   <li>{@code backgroundAnchor = true} (reference flag 1): with labels, the background rows form one class of their
 *       own whatever their {@code labels} entries, so a background anchor's positives are all other background rows,
 *       its own duplicate in the other view included; in SimCLR mode they are ordinary samples whose only positive is
 *       their other view (the reference's identity mask). L is the plain mean over all 2N anchors.
 * </ul>
 *
 * <p>Invalid rows (padding) are removed everywhere: not anchors, not positives, in no denominator; their embeddings
 * are replaced by zeros before any product, so any padding content, NaN included, leaves the loss and every gradient
 * unchanged and gets a zero gradient. A trainer can therefore keep its batch shape fixed.
 *
 * <p>Numerics: the row max of the logits over A(i) is subtracted (without gradient) before the exponential, so every
 * exponent is at most 0 and each denominator at least 1; mathematically this equals the reference, which takes the
 * max over the whole row including i itself. Everything is batched NDArray work on the embeddings' device, with no
 * host round trip, and differentiable through a {@code GradientCollector}.
 */
public final class SupConLoss {

    /** Default temperature t: the reference's {@code --temp}, 0.1. */
    public static final float DEFAULT_TEMPERATURE = 0.1f;

    /** Default base temperature b: the reference's hard-coded 0.07. */
    public static final float DEFAULT_BASE_TEMPERATURE = 0.07f;

    /** Default background mode: false, background rows are negatives only ({@code --background_anchor 0}). */
    public static final boolean DEFAULT_BACKGROUND_ANCHOR = false;

    /**
     * Added (negated) to the logits outside A(i) before the row max and the exponential: exp(-1e9) is exactly 0 in
     * float32 and float64, while entries inside A(i) are left bit-for-bit unchanged (0 is added).
     */
    private static final float EXCLUDED = 1e9f;

    private final float temperature;
    private final float baseTemperature;
    private final boolean backgroundAnchor;

    private SupConLoss(Builder builder) {
        this.temperature = builder.temperature;
        this.baseTemperature = builder.baseTemperature;
        this.backgroundAnchor = builder.backgroundAnchor;
    }

    /** A builder whose defaults are the reference's: t = 0.1, b = 0.07, background as negatives only. */
    public static Builder builder() {
        return new Builder();
    }

    /** The loss with every default: t = 0.1, b = 0.07, background rows as negatives only. */
    public static SupConLoss reference() {
        return builder().build();
    }

    /** The temperature t dividing the dot products. */
    public float temperature() {
        return temperature;
    }

    /** The base temperature b; the loss is scaled by t/b. */
    public float baseTemperature() {
        return baseTemperature;
    }

    /** True when background rows are a class of their own (anchors and positives), false for negatives only. */
    public boolean backgroundAnchor() {
        return backgroundAnchor;
    }

    /**
     * Supervised contrastive loss of two views with labels, no background, every row valid.
     *
     * @param view1 first views, (N, D) float32 or float64, L2-normalised
     * @param view2 second views, (N, D), same dtype and device as {@code view1}
     * @param labels class of each sample, (N) integer (int64)
     * @return the scalar loss, in the dtype of the views, attached to {@code view1}'s manager
     */
    public NDArray supervised(NDArray view1, NDArray view2, NDArray labels) {
        if (labels == null) {
            throw new IllegalArgumentException("supervised(...) needs labels; call simclr(view1, view2) without them");
        }
        return compute(view1, view2, labels, null, null);
    }

    /**
     * SimCLR loss (no labels): the only positive of a row is the other view of the same sample.
     *
     * @param view1 first views, (N, D) float32 or float64, L2-normalised
     * @param view2 second views, (N, D), same dtype and device as {@code view1}
     * @return the scalar loss, in the dtype of the views, attached to {@code view1}'s manager
     */
    public NDArray simclr(NDArray view1, NDArray view2) {
        return compute(view1, view2, null, null, null);
    }

    /**
     * The loss in any mode. Masks may be boolean or numeric (non-zero means true) and may live on another device.
     *
     * @param view1 first views, (N, D) float32 or float64, L2-normalised; row i is sample i
     * @param view2 second views, (N, D), same dtype and device as {@code view1}
     * @param labels class of each sample, (N) integer (int64), or null for SimCLR; ignored on background rows when
     *     {@link #backgroundAnchor()} is true (they form one class of their own) and on invalid rows
     * @param background (N) true for background samples (both of their views), or null for none
     * @param valid (N) false for padding rows, or null when every row is valid
     * @return the scalar loss, in the dtype of the views, attached to {@code view1}'s manager; 0 when there is no
     *     anchor
     */
    public NDArray compute(NDArray view1, NDArray view2, NDArray labels, NDArray background, NDArray valid) {
        return evaluate(view1, view2, labels, background, valid, true);
    }

    /**
     * The per-anchor terms l_i, (2N) view-major, 0 on rows that are not anchors (invalid rows, and background rows
     * when they are negatives only). The loss is their sum divided by the number of anchors. Arguments as in {@link
     * #compute}.
     */
    public NDArray perAnchor(NDArray view1, NDArray view2, NDArray labels, NDArray background, NDArray valid) {
        return evaluate(view1, view2, labels, background, valid, false);
    }

    private NDArray evaluate(
            NDArray view1, NDArray view2, NDArray labels, NDArray background, NDArray valid, boolean reduce) {
        int n = checkInputs(view1, view2, labels, background, valid);
        int m = 2 * n;
        NDManager owner = view1.getManager();
        Device device = view1.getDevice();
        DataType dtype = view1.getDataType();
        try (NDManager scope = owner.newSubManager(device)) {
            NDArray z = view1.concat(view2, 0);
            z.attach(scope);
            NDArray rowValid = valid == null ? scope.ones(new Shape(n), dtype) : indicator(scope, valid, dtype);
            NDArray rowBackground =
                    background == null ? scope.zeros(new Shape(n), dtype) : indicator(scope, background, dtype);
            NDArray validM = rowValid.tile(2);
            if (valid != null) {
                // Padding becomes zero vectors, so whatever it holds (even NaN) never reaches a valid row's logits.
                NDArray keep = validM.gt(0f).reshape(m, 1).broadcast(new Shape(m, z.getShape().get(1)));
                z = NDArrays.where(keep, z, z.zerosLike());
            }

            // Positive pairs among samples (N, N), before tiling to the two views.
            NDArray real = rowBackground.neg().add(1f);
            NDArray same = labels == null ? scope.eye(n, n, 0, dtype) : labelEquality(scope, labels, n, dtype);
            if (!backgroundAnchor) {
                // Negatives only: a background row is nobody's positive and has none itself.
                same = same.mul(outer(real, real));
            } else if (labels != null) {
                // One class of their own, whatever their labels say: the reference's label C.
                same = same.mul(outer(real, real)).add(outer(rowBackground, rowBackground));
            } // SimCLR with background anchors: the identity mask already pairs each row with its other view only.
            same = same.mul(outer(rowValid, rowValid));
            NDArray notSelf = scope.eye(m, m, 0, dtype).neg().add(1f);
            NDArray positives = same.tile(new long[] {2, 2}).mul(notSelf);
            NDArray inDenominator = notSelf.mul(validM.reshape(1, m));
            NDArray excluded = Scalars.mul(inDenominator.sub(1f), EXCLUDED);

            NDArray logits = Scalars.div(z.matMul(z.transpose()), temperature);
            NDArray rowMax = logits.add(excluded).max(new int[] {1}, true).stopGradient();
            NDArray shifted = logits.sub(rowMax);
            NDArray logDenominator = shifted.add(excluded).exp().sum(new int[] {1}, true).log();
            NDArray logProb = shifted.sub(logDenominator);

            NDArray positiveCount = positives.sum(new int[] {1});
            NDArray meanLogProbPositive =
                    positives.mul(logProb).sum(new int[] {1}).div(Scalars.maximum(positiveCount, 1f));
            // A double scalar keeps float64 exact; a float32 loss stays float32 (scalars do not promote).
            NDArray terms = Scalars.mul(meanLogProbPositive, -(double) temperature / baseTemperature);
            NDArray result;
            if (reduce) {
                NDArray anchors = positiveCount.gt(0f).toType(dtype, false).sum();
                result = terms.sum().div(Scalars.maximum(anchors, 1f));
            } else {
                result = terms;
            }
            result.attach(owner);
            return result;
        }
    }

    /** (N) x (N) -> (N, N) outer product of two indicator vectors. */
    private static NDArray outer(NDArray a, NDArray b) {
        long n = a.getShape().get(0);
        return a.reshape(n, 1).mul(b.reshape(1, n));
    }

    /** 1 where labels[i] == labels[j], as (N, N) in the embeddings' dtype. */
    private static NDArray labelEquality(NDManager scope, NDArray labels, int n, DataType dtype) {
        NDArray y = Inputs.local(scope, labels);
        return y.reshape(n, 1).eq(y.reshape(1, n)).toType(dtype, false);
    }

    /** A boolean or numeric mask as 0/1 in the embeddings' dtype (non-zero is 1). */
    private static NDArray indicator(NDManager scope, NDArray mask, DataType dtype) {
        NDArray x = Inputs.local(scope, mask);
        return (x.getDataType().isBoolean() ? x : x.neq(0)).toType(dtype, false);
    }

    /** Validates shapes, dtypes and devices; returns N. */
    private static int checkInputs(NDArray view1, NDArray view2, NDArray labels, NDArray background, NDArray valid) {
        if (view1 == null || view2 == null) {
            throw new IllegalArgumentException("view1 and view2 are required (N, D) embeddings; got "
                    + (view1 == null ? "null" : view1.getShape()) + " and "
                    + (view2 == null ? "null" : view2.getShape()));
        }
        Shape s1 = view1.getShape();
        Shape s2 = view2.getShape();
        if (s1.dimension() != 2) {
            throw new IllegalArgumentException(
                    "view1 must be (N, D) embeddings, got " + s1 + "; flatten features to (N, D) first");
        }
        if (!s1.equals(s2)) {
            throw new IllegalArgumentException(
                    "view1 " + s1 + " and view2 " + s2 + " must have the same shape: row i of each is sample i");
        }
        if (s1.get(0) < 1 || s1.get(1) < 1) {
            throw new IllegalArgumentException("view1 " + s1 + " must have at least one row and one column");
        }
        if (s1.get(0) > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("view1 " + s1 + " has too many rows for a (2N, 2N) similarity matrix");
        }
        Inputs.checkFloat("view1", view1);
        DataType t1 = view1.getDataType();
        if (view2.getDataType() != t1) {
            throw new IllegalArgumentException(
                    "view1 (" + t1 + ") and view2 (" + view2.getDataType() + ") must have the same dtype");
        }
        if (!view1.getDevice().equals(view2.getDevice())) {
            throw new IllegalArgumentException("view1 on " + view1.getDevice() + " and view2 on " + view2.getDevice()
                    + " must be on the same device");
        }
        int n = (int) s1.get(0);
        if (labels != null) {
            Inputs.checkLabels(labels, "view1", s1);
        }
        if (background != null) {
            Inputs.checkPerRow("background", background, "view1", s1);
        }
        if (valid != null) {
            Inputs.checkPerRow("valid", valid, "view1", s1);
        }
        return n;
    }

    /**
     * Every hyper-parameter, e.g. {@code SupConLoss{temperature=0.1, baseTemperature=0.07, backgroundAnchor=false}}.
     */
    @Override
    public String toString() {
        return "SupConLoss{temperature=" + temperature + ", baseTemperature=" + baseTemperature
                + ", backgroundAnchor=" + backgroundAnchor + "}";
    }

    /** Builder for {@link SupConLoss}; every option has the reference's default. */
    public static final class Builder {
        private float temperature = DEFAULT_TEMPERATURE;
        private float baseTemperature = DEFAULT_BASE_TEMPERATURE;
        private boolean backgroundAnchor = DEFAULT_BACKGROUND_ANCHOR;

        private Builder() {}

        /** Temperature t dividing the dot products; default 0.1 (reference {@code --temp}). */
        public Builder optTemperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Base temperature b; the loss is multiplied by t/b. Default 0.07 (reference). Set it equal to the temperature
         * for the unscaled loss.
         */
        public Builder optBaseTemperature(float baseTemperature) {
            this.baseTemperature = baseTemperature;
            return this;
        }

        /**
         * Whether background rows are a class of their own (true, reference {@code --background_anchor 1}) or
         * negatives only (false, reference flag 0 as in the README commands). Default false. Only matters when a
         * background mask is passed.
         */
        public Builder optBackgroundAnchor(boolean backgroundAnchor) {
            this.backgroundAnchor = backgroundAnchor;
            return this;
        }

        /** Validates the options and builds the loss. */
        public SupConLoss build() {
            if (!(temperature > 0f) || Float.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
            }
            if (!(baseTemperature > 0f) || Float.isInfinite(baseTemperature)) {
                throw new IllegalArgumentException(
                        "baseTemperature must be positive and finite, got " + baseTemperature);
            }
            return new SupConLoss(this);
        }
    }
}
