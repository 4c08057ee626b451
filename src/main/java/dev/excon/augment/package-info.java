/**
 * Views for contrastive learning, batched on NDArrays: the SupCon augmentation pipeline of the reference code
 * (random resized crop, horizontal flip, colour jitter, random grayscale), the standard (unaugmented) view, and
 * later the explanation-masked views of ExCon.
 *
 * <p>Random parameters are drawn on the host from a {@link java.util.SplittableRandom}, one set per image, and then
 * applied to the whole batch with a handful of tensor operations on the images' device: the same seed gives the
 * same views on any device. Images are float32 NCHW in [0, 1] with 1 or 3 channels.
 */
package dev.excon.augment;
