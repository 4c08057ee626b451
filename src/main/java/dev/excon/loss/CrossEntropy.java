package dev.excon.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;

/**
 * Softmax cross-entropy of class logits against integer labels, for the linear classifier and the cross-entropy
 * baseline (the reference's {@code nn.CrossEntropyLoss()}, mean reduction).
 *
 * <pre>
 * l_i = -log softmax(logits_i)[y_i] = logsumexp(logits_i) - logits_i[y_i]
 * L   = sum_i w_i l_i / sum_i w_i        (w_i = 1 without weights)
 * </pre>
 *
 * <p>Computed with {@code logSoftmax}, so logits of any magnitude (1e4 and beyond) give a finite loss. Shapes: logits
 * (N, C) float32 or float64; labels (N) integer (int64) in [0, C); weights (N) boolean or numeric. Batched on the
 * logits' device and differentiable through a {@code GradientCollector}.
 */
public final class CrossEntropy {

    private CrossEntropy() {}

    /**
     * Mean cross-entropy over the N rows.
     *
     * @param logits (N, C) float32 or float64 unnormalised class scores
     * @param labels (N) integer class indices in [0, C)
     * @return the scalar loss in the logits' dtype, attached to the logits' manager
     */
    public static NDArray mean(NDArray logits, NDArray labels) {
        return mean(logits, labels, null);
    }

    /**
     * Weighted mean cross-entropy, {@code sum_i w_i l_i / sum_i w_i}; 0 when every weight is 0. A 0/1 (or boolean)
     * weight is a validity mask: rows with weight 0 are ignored, whatever their labels (even out of range).
     *
     * @param logits (N, C) float32 or float64 unnormalised class scores
     * @param labels (N) integer class indices in [0, C) on rows with non-zero weight
     * @param weights (N) non-negative weights, boolean or numeric, or null for the plain mean
     * @return the scalar loss in the logits' dtype, attached to the logits' manager
     */
    public static NDArray mean(NDArray logits, NDArray labels, NDArray weights) {
        check(logits, labels, weights);
        NDManager owner = logits.getManager();
        DataType dtype = logits.getDataType();
        long n = logits.getShape().get(0);
        try (NDManager scope = owner.newSubManager(logits.getDevice())) {
            NDArray w = weights == null
                    ? scope.ones(new Shape(n), dtype)
                    : Inputs.local(scope, weights).toType(dtype, false);
            NDArray y = Inputs.local(scope, labels);
            if (weights != null) {
                // Rows with weight 0 get label 0, so padding labels (say -1) cannot index out of range.
                y = y.mul(w.neq(0f).toType(y.getDataType(), false));
            }
            NDArray perRow = rows(scope, logits, y);
            NDArray result = perRow.mul(w).sum().div(Scalars.maximum(w.sum(), Float.MIN_NORMAL));
            result.attach(owner);
            return result;
        }
    }

    /**
     * The per-row losses {@code -log softmax(logits_i)[y_i]}.
     *
     * @param logits (N, C) float32 or float64 unnormalised class scores
     * @param labels (N) integer class indices in [0, C)
     * @return (N) losses in the logits' dtype, attached to the logits' manager
     */
    public static NDArray perSample(NDArray logits, NDArray labels) {
        check(logits, labels, null);
        NDManager owner = logits.getManager();
        try (NDManager scope = owner.newSubManager(logits.getDevice())) {
            NDArray result = rows(scope, logits, Inputs.local(scope, labels));
            result.attach(owner);
            return result;
        }
    }

    /** -log softmax(logits)[y] per row, computed inside the scope. */
    private static NDArray rows(NDManager scope, NDArray logits, NDArray y) {
        long n = logits.getShape().get(0);
        NDArray x = logits.logSoftmax(1);
        x.attach(scope);
        NDArray index = y.toType(DataType.INT64, false).reshape(n, 1);
        return x.gather(index, 1).reshape(n).neg();
    }

    private static void check(NDArray logits, NDArray labels, NDArray weights) {
        if (logits == null || labels == null) {
            throw new IllegalArgumentException("logits (N, C) and labels (N) are required, got logits "
                    + (logits == null ? "null" : logits.getShape()) + " and labels "
                    + (labels == null ? "null" : labels.getShape()));
        }
        Shape s = logits.getShape();
        if (s.dimension() != 2 || s.get(0) < 1 || s.get(1) < 1) {
            throw new IllegalArgumentException("logits must be (N, C) with N, C >= 1, got " + s);
        }
        Inputs.checkFloat("logits", logits);
        Inputs.checkLabels(labels, "logits", s);
        if (weights != null) {
            Inputs.checkPerRow("weights", weights, "logits", s);
        }
    }
}
