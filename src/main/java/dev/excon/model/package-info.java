/**
 * Networks: the CIFAR-style ResNets of the reference (3x3 stem, no max-pool, BasicBlock or Bottleneck stages, used
 * for 32x32 and 64x64 inputs alike), a small ResNet for quick CPU runs, the normalisation block that makes pixel space
 * the models' input, the projection head and the linear classifier.
 *
 * <p>A {@link dev.excon.model.ResNet} can be split at a {@link dev.excon.model.Tap} (a stage's last convolution, as
 * the reference's Grad-CAM hooks it, or a stage's output), so explainers get the activation and run the rest of the
 * network from it. {@link dev.excon.model.ExconNetwork} bundles backbone, head and classifier with their parameters.
 */
package dev.excon.model;
