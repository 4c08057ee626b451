/**
 * Evaluation of a trained image classifier ({@link dev.excon.model.ImageModel}: the library's {@link
 * dev.excon.model.ExconNetwork}, or any DJL block through {@link dev.excon.model.BlockModel}), as the reference
 * measures it (its {@code main_linear.validate} and {@code util.eval_drop_increase}) and beyond, batched on the
 * model's device:
 *
 * <ul>
 *   <li>classification: {@link dev.excon.eval.Accuracy} (top-1, top-k, per class, confusion matrix);
 *   <li>explanation quality: {@link dev.excon.eval.DropIncrease} (Average Drop and the reference's three other scores
 *       at a 15% keep fraction) and {@link dev.excon.eval.DeletionInsertion} (deletion and insertion curves and
 *       their areas);
 *   <li>adversarial robustness: {@link dev.excon.eval.Attacks} (FGSM, PGD) and {@link dev.excon.eval.Robustness}
 *       (accuracy and calibration over an epsilon grid);
 *   <li>calibration: {@link dev.excon.eval.Calibration} (ECE, MCE, average CE (netcal's ACE), adaptive ECE, NLL,
 *       Brier score, reliability bins; equal-width bins in either {@link dev.excon.eval.BinEdges} convention) and
 *       {@link dev.excon.eval.TemperatureScaling}.
 * </ul>
 *
 * <p>Images are float32 NCHW in [0, 1]; normalisation is the model's first block, so masks and attacks work in pixel
 * space. Model-side work (forward passes, explanations, attack gradients, pixel rankings, masks) runs whole batches
 * on the device; each batch sends one small array of logits or confidences to the host, where the metrics are
 * summed in double precision. Results are immutable records holding the numbers a table or a chart needs (arrays,
 * not charts) and a slot for the {@link dev.excon.Provenance} of the run.
 */
package dev.excon.eval;
