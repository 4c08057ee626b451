/**
 * Losses: the supervised contrastive loss of the ExCon reference code in all its modes ({@link
 * dev.excon.loss.SupConLoss}: labels, SimCLR, background samples as negatives only or as a class of their own) and
 * softmax cross-entropy for the linear classifier and the CE baseline ({@link dev.excon.loss.CrossEntropy}).
 *
 * <p>Every loss is a batched NDArray computation on the inputs' device, differentiable through DJL's {@code
 * GradientCollector}, and returns a scalar in the dtype of its floating-point input. Rows can be switched off with a
 * validity mask so that a trainer keeps its batch shape fixed: an invalid row changes neither the loss nor any
 * gradient.
 */
package dev.excon.loss;
