/**
 * A CIFAR-C-like corruption suite generated on the fly: eleven of the corruptions of Hendrycks and Dietterich's
 * CIFAR-10-C / CIFAR-100-C generator ("Benchmarking Neural Network Robustness to Common Corruptions and
 * Perturbations", ICLR 2019, arXiv 1903.12261), each at severities 1 (mildest) to 5, with the numeric parameters of
 * their published CIFAR generator ({@code make_cifar_c.py}).
 *
 * <p>Everything produced here is <b>CIFAR-C-like</b>: written from the published parameters, not the official
 * CIFAR-100-C files. Pixels differ from the official release (other random numbers, other JPEG and colour-space
 * rounding); the official files are read by {@link dev.excon.data.Cifar100C}. Data sets made here are named {@code
 * cifar-c-like/<corruption>/<severity>}.
 *
 * <p>Images are float32 NCHW in [0, 1] with 1 or 3 channels, on any device; outputs have the same shape and lie in
 * [0, 1]. Random corruptions draw their numbers on the host from a stream fixed by the seed, the corruption's name
 * and the image's index in its data set, so the same seed gives the same images whatever the batching or device,
 * and the severities of one image share their random numbers. Entry point: {@link
 * dev.excon.eval.corruption.Corruptions}.
 */
package dev.excon.eval.corruption;
