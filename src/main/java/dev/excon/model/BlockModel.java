package dev.excon.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.excon.ExconRuntime;
import java.util.List;

/**
 * Any DJL {@link Block} that maps images (N, C, H, W) in [0, 1] to logits (N, K), as an {@link ImageModel}: a
 * {@code SequentialBlock} built in a notebook, a model-zoo network, {@link TorchScriptBlock}s. The block must be
 * initialised (its parameters exist); normalisation, if the model needs it, is part of the block. Closing the model
 * leaves the block alone: whoever made it closes its manager.
 *
 * <pre>{@code
 * SequentialBlock net = new SequentialBlock().add(Conv2d.builder()...build()).add(...);
 * net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
 * ImageModel model = BlockModel.builder(net).setNumClasses(10).optMeanColour(stats.mean()).build();
 * }</pre>
 */
public final class BlockModel implements ImageModel {

    private final Block block;
    private final int numClasses;
    private final int channels;
    private final float[] meanColour;
    private final Device device;
    private final String name;
    private final ParameterStore store;

    private BlockModel(Builder b) {
        this.block = b.block;
        this.numClasses = b.numClasses;
        this.channels = b.channels;
        this.meanColour = b.meanColour;
        this.device = b.device != null ? b.device : firstParameterDevice(b.block);
        this.name = b.name != null ? b.name : b.block.getClass().getSimpleName();
        // One store for the model's lifetime; copy = false: parameters are used where they live.
        this.store = new ParameterStore(NDManager.newBaseManager(device), false);
    }

    /** Starts a builder for {@code block}; the number of classes is required. */
    public static Builder builder(Block block) {
        return new Builder(block);
    }

    @Override
    public NDArray logits(NDArray images, BatchNormMode mode) {
        NDList out = block.forward(store, new NDList(images), mode.training());
        NDArray logits = out.get(0);
        if (out.size() != 1) {
            throw new IllegalStateException(name + " returned " + out.size() + " arrays; an image classifier returns "
                    + "one, the logits (N, " + numClasses + ")");
        }
        return logits;
    }

    @Override
    public List<Parameter> trainableParameters() {
        return Layers.trainableParameters(block);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public float[] meanColour() {
        return meanColour == null ? null : meanColour.clone();
    }

    @Override
    public Block layerRoot() {
        return block;
    }

    /** The adapted block. */
    public Block block() {
        return block;
    }

    @Override
    public List<String> gradientHazards() {
        return GradientHazards.of(block, device);
    }

    @Override
    public String description() {
        return name + " (" + numClasses + " classes" + (channels > 0 ? ", " + channels + " channel"
                + (channels == 1 ? "" : "s") : "") + ", " + Layers.countParameters(block) + " parameters)";
    }

    @Override
    public String toString() {
        return "BlockModel[" + description() + ", " + device + "]";
    }

    private static Device firstParameterDevice(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                return p.getValue().getArray().getDevice();
            }
        }
        return ExconRuntime.defaultDevice();
    }

    /** Options of a {@link BlockModel}. */
    public static final class Builder {
        private final Block block;
        private int numClasses;
        private int channels;
        private float[] meanColour;
        private Device device;
        private String name;

        private Builder(Block block) {
            if (block == null) {
                throw new IllegalArgumentException("block is null: pass the DJL Block that maps images to logits");
            }
            this.block = block;
        }

        /** Required: the number of classes K, the width of the logits. */
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** The channel count of the images, checked on every call; default 0: not checked. */
        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * The training data's mean colour per channel in [0, 1] (e.g. {@code data.stats().mean()}): the fill of the
         * explanation measures and Integrated Gradients' baseline; default none (they then need an explicit fill).
         */
        public Builder optMeanColour(float... mean) {
            this.meanColour = mean == null ? null : mean.clone();
            return this;
        }

        /** The device; default the device of the block's first initialised parameter (the CPU when it has none). */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** The name shown in tables and provenance; default the block's class name. */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /** Validates and builds. */
        public BlockModel build() {
            if (numClasses < 1) {
                throw new IllegalArgumentException("numClasses=" + numClasses + ": set the number of classes the "
                        + "block's logits have, setNumClasses(K) with K >= 1");
            }
            if (channels < 0) {
                throw new IllegalArgumentException("channels=" + channels + " must be >= 1, or 0 for unchecked");
            }
            if (meanColour != null && channels > 0 && meanColour.length != channels) {
                throw new IllegalArgumentException("mean colour has " + meanColour.length + " values for "
                        + channels + " channels: give one per channel");
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (!p.getValue().isInitialized()) {
                    throw new IllegalArgumentException("parameter " + p.getKey() + " of " + block.getClass()
                            .getSimpleName() + " is not initialised: call block.initialize(manager, "
                            + "DataType.FLOAT32, new Shape(1, C, H, W)) (or load its parameters) first");
                }
            }
            return new BlockModel(this);
        }
    }
}
