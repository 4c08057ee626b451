package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.excon.Scalars;
import dev.excon.data.ChannelStats;

/**
 * The models' first block: {@code (x - mean) / std} per channel. Keeping it inside the model makes pixel space
 * ([0, 1]) the input of every network, so augmentations, masks, attacks and corruptions need no normalisation
 * bookkeeping. No trainable parameters.
 *
 * <p>Input and output (N, C, H, W), C = the statistics' channel count.
 */
public final class Normalize extends AbstractBlock {

    private final ChannelStats stats;

    /** @param stats the data set's per-channel statistics */
    public Normalize(ChannelStats stats) {
        this.stats = stats;
    }

    /** The statistics this block removes. */
    public ChannelStats stats() {
        return stats;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long c = x.getShape().get(1);
        if (c != stats.channels()) {
            throw new IllegalArgumentException(
                    "images have " + c + " channels but the model normalises " + stats.channels()
                            + "; build the model for the data set's channel count");
        }
        // Owned by libtorch: the division keeps std for backward (see Scalars).
        Shape perChannel = new Shape(1, c, 1, 1);
        NDArray mean = Scalars.owned(x.getManager(), stats.mean(), perChannel).toDevice(x.getDevice(), false);
        NDArray std = Scalars.owned(x.getManager(), stats.std(), perChannel).toDevice(x.getDevice(), false);
        return new NDList(x.sub(mean).divi(std));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "Normalize" + stats;
    }
}
