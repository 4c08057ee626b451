package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.ExconRuntime;
import dev.excon.data.Batch;
import dev.excon.data.DataLoader;
import dev.excon.data.ImageDataset;
import dev.excon.model.ImageModel;

/**
 * One ordered pass over a data set in batches on the network's device (no shuffling, last batch kept). Everything a
 * step allocates from the batch's arrays lives in the batch's manager and is freed when the step returns.
 */
final class DatasetPass {

    /** Work on one batch: images (N, C, H, W) float32 in [0, 1] and the batch (host labels, index, manager). */
    @FunctionalInterface
    interface Step {
        void accept(NDArray images, Batch batch);
    }

    private DatasetPass() {}

    static void forEach(ImageModel net, ImageDataset data, int batchSize, Step step) {
        ExconRuntime.noGradientRecording();
        Tensors.positive("batchSize", batchSize);
        if (data.size() == 0) {
            throw new IllegalArgumentException(data.name() + " is empty: nothing to evaluate");
        }
        int channels = net.channels();
        if (channels > 0 && data.channels() != channels) {
            throw new IllegalArgumentException(data.name() + " has " + data.channels()
                    + " channels but the network takes " + channels);
        }
        DataLoader loader = DataLoader.builder(data).setBatchSize(batchSize).optShuffle(false)
                .optDevice(net.device()).build();
        try (NDManager m = NDManager.newBaseManager(net.device()); DataLoader.Epoch epoch = loader.epoch(0, m)) {
            for (Batch batch : epoch) {
                try (batch) {
                    step.accept(batch.images(), batch);
                }
            }
        }
    }
}
