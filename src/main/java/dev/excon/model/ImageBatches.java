package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The argument checks every batched pass over images shares (explainers, attacks, explanation scores): images are
 * float32 (N, C, H, W) in [0, 1] with N >= 1, and, against a network, on its device with its channel count. The
 * messages name the value and the fix.
 */
public final class ImageBatches {

    private ImageBatches() {}

    /** Checks a batch of images against a model: (N, C, H, W) float32, N >= 1, on the device, channels match. */
    public static void check(ImageModel net, NDArray images) {
        check(images);
        if (!images.getDevice().equals(net.device())) {
            throw new IllegalArgumentException("images are on " + images.getDevice() + " but the network is on "
                    + net.device() + ": move them with images.toDevice(net.device(), false)");
        }
        int channels = net.channels();
        if (channels > 0 && images.getShape().get(1) != channels) {
            throw new IllegalArgumentException("images " + images.getShape() + " have " + images.getShape().get(1)
                    + " channels but the network takes " + channels);
        }
    }

    /** Checks (N, C, H, W) float32 with N >= 1 (the network-free part, e.g. for any classifier under attack). */
    public static void check(NDArray images) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("images must be a 4-D batch (N, C, H, W); got shape " + shape
                    + (shape.dimension() == 3 ? ": add the batch axis with images.expandDims(0)" : ""));
        }
        if (shape.get(0) == 0) {
            throw new IllegalArgumentException("images " + shape + " is an empty batch: pass at least one image");
        }
        if (images.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("images must be float32 in [0, 1]; got " + images.getDataType()
                    + ": convert with images.toType(DataType.FLOAT32, false) (and divide uint8 pixels by 255)");
        }
    }
}
