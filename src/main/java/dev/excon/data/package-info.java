/**
 * Data sets and batches: readers for the official formats (Fashion-MNIST IDX, CIFAR-10/100 binary, Tiny ImageNet,
 * image folders, CIFAR-100-C {@code .npy}), a resumable checksum-verified downloader, seeded stratified splits,
 * per-channel statistics and a prefetching batch loader.
 *
 * <p>Images are held on the host as uint8, channel-major per image (C x H x W), and reach the model as float32 NCHW
 * batches in [0, 1] on its device. Normalisation belongs to the model, so augmentations, masks, attacks and
 * corruptions all work in pixel space.
 */
package dev.excon.data;
