package dev.excon.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

    /**
     * Chosen images of a data set as one batch, e.g. a few test images to explain in a notebook:
     * {@code try (Batch b = Batch.of(data.test(), manager, 0, 1, 2)) { ... }}. The arrays live on {@code parent}'s
     * device, in a sub-manager the batch owns.
     *
     * @throws IndexOutOfBoundsException naming an index outside the data set
     */
    public static Batch of(ImageDataset data, NDManager parent, int... indices) {
        return of(data, indices, parent, parent.getDevice());
    }

    /** The loader's conversion: uint8 pixels to float32 in [0, 1], int64 labels, in a sub-manager of parent. */
    static Batch of(ImageDataset data, int[] indices, NDManager parent, Device device) {
        int n = indices.length;
        if (n == 0) {
            throw new IllegalArgumentException("a batch needs at least one image index");
        }
        int bytes = data.imageBytes();
        byte[] pixels = new byte[n * bytes];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int idx = indices[i];
            if (idx < 0 || idx >= data.size()) {
                throw new IndexOutOfBoundsException("image " + idx + " of " + data.name() + ", which has "
                        + data.size() + " images (0.." + (data.size() - 1) + ")");
            }
            labels[i] = data.label(idx);
            data.copyImage(idx, pixels, i * bytes);
        }
        NDManager m = parent.newSubManager(device);
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(pixels.length).order(ByteOrder.nativeOrder());
            buf.put(pixels).flip();
            NDArray raw = m.create(buf, new Shape(n, data.channels(), data.height(), data.width()), DataType.UINT8);
            NDArray images = Scalars.divi(raw.toType(DataType.FLOAT32, false), 255f);
            raw.close();
            long[] longLabels = new long[n];
            for (int i = 0; i < n; i++) {
                longLabels[i] = labels[i];
            }
            return new Batch(m, images, Scalars.owned(m, longLabels), labels, indices.clone());
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
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
