package dev.excon.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One batch from a {@link DataLoader}: images, labels and where they came from. Owns a sub-manager holding both
 * arrays; close it (try-with-resources) when the step is done, or native memory piles up.
 */
public final class Batch implements AutoCloseable {

    private final NDManager manager;
    private final NDArray images;
    private final NDArray labels;
    private final int[] labelValues;
    private final int[] indices;

    Batch(NDManager manager, NDArray images, NDArray labels, int[] labelValues, int[] indices) {
        this.manager = manager;
        this.images = images;
        this.labels = labels;
        this.labelValues = labelValues;
        this.indices = indices;
    }

    /** Images: float32 (batch, channels, height, width), values in [0, 1], on the loader's device. */
    public NDArray images() {
        return images;
    }

    /** Labels: int64 (batch), on the loader's device. */
    public NDArray labels() {
        return labels;
    }

    /** The labels on the host. */
    public int[] labelValues() {
        return labelValues.clone();
    }

    /** The positions of these images in the loader's data set. */
    public int[] indices() {
        return indices.clone();
    }

    /** The number of images. */
    public int size() {
        return indices.length;
    }

    /** The manager holding this batch's arrays; attach step results to a sub-manager of it or of your own. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
