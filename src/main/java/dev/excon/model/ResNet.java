package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.excon.data.ChannelStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder backbone of the reference ({@code SupConResNet.encoder}): normalisation, a 3x3 stride-1 stem with batch
 * norm and ReLU (no max-pool), residual stages with strides 1, 2, 2, 2, global average pooling and flattening. The
 * same network serves 32x32 (CIFAR, Fashion-MNIST) and 64x64 (Tiny ImageNet) inputs; 1- or 3-channel images.
 *
 * <p>Input: float32 (N, C, H, W) in [0, 1]; output: features (N, {@link ResNetSpec#featureDim()}). The network can
 * be split at a {@link Tap}: {@link #forwardToTap} returns the activation there and {@link #forwardFromTap} finishes
 * the forward pass from it, which is how Grad-CAM gets gradients with respect to an inner activation.
 */
public final class ResNet extends AbstractBlock {

    private final ResNetSpec spec;
    private final Normalize normalize;
    private final Block stemConv;
    private final Block stemNorm;
    private final List<List<ResidualBlock>> stages = new ArrayList<>();
    private volatile Precision precision = Precision.FP32;

    /**
     * @param spec the architecture
     * @param stats the normalisation statistics of the data set (their channel count is the input's)
     */
    public ResNet(ResNetSpec spec, ChannelStats stats) {
        this.spec = spec;
        this.normalize = addChildBlock("normalize", new Normalize(stats));
        this.stemConv = addChildBlock("stem_conv", ResidualBlock.conv(spec.stemWidth(), 3, 1));
        this.stemNorm = addChildBlock("stem_bn", ResidualBlock.batchNorm());
        int in = spec.stemWidth();
        int[] blocks = spec.blocks();
        int[] widths = spec.widths();
        for (int s = 0; s < blocks.length; s++) {
            List<ResidualBlock> stage = new ArrayList<>();
            for (int b = 0; b < blocks[s]; b++) {
                int stride = (b == 0 && s > 0) ? 2 : 1;
                ResidualBlock block = new ResidualBlock(spec.bottleneck(), in, widths[s], stride);
                stage.add(addChildBlock("layer" + (s + 1) + "_" + b, block));
                in = block.outChannels();
            }
            stages.add(stage);
        }
    }

    /** The architecture. */
    public ResNetSpec spec() {
        return spec;
    }

    /** The normalisation statistics of the first block. */
    public ChannelStats stats() {
        return normalize.stats();
    }

    /** The number format of the convolutions (fp32 unless set). */
    public Precision precision() {
        return precision;
    }

    /** Sets the number format of every convolution (see {@link Precision}); parameters stay fp32 either way. */
    public void setPrecision(Precision p) {
        this.precision = java.util.Objects.requireNonNull(p, "precision");
        for (List<ResidualBlock> stage : stages) {
            for (ResidualBlock block : stage) {
                block.setPrecision(p);
            }
        }
    }

    /** Feature dimension d of the pooled output. */
    public int featureDim() {
        return spec.featureDim();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!training && x.getShape().get(0) == 1) {
            // libtorch convolves a batch of one on a slow path that also prints an NNPACK warning on CPUs without
            // NNPACK; in evaluation mode images are independent, so run two copies and keep one.
            NDArray pair = x.repeat(0, 2);
            NDArray both = forwardInternal(ps, new NDList(pair), false, params).singletonOrThrow();
            pair.close();
            NDArray one = both.get("0:1");
            both.close();
            return new NDList(one);
        }
        NDArray h = stem(ps, x, training);
        for (List<ResidualBlock> stage : stages) {
            for (ResidualBlock block : stage) {
                NDArray next = block.forward(ps, new NDList(h), training).singletonOrThrow();
                h.close(); // a block's output is its own: free it once the next block has used it
                h = next;
            }
        }
        NDArray pooled = pool(h);
        h.close();
        return new NDList(pooled);
    }

    /**
     * Runs the network from pixels up to {@code tap}.
     *
     * @param images (N, C, H, W) in [0, 1]
     * @return the activation at the tap (N, C', H', W'), and what {@link #forwardFromTap} needs to go on
     */
    public TapState forwardToTap(ParameterStore ps, NDArray images, boolean training, Tap tap) {
        checkTap(tap);
        NDArray h = stem(ps, images, training);
        for (int s = 0; s < tap.stage(); s++) {
            List<ResidualBlock> stage = stages.get(s);
            boolean tapStage = s == tap.stage() - 1;
            for (int b = 0; b < stage.size(); b++) {
                ResidualBlock block = stage.get(b);
                if (tapStage && b == stage.size() - 1 && tap.position() == Tap.Position.LAST_CONV) {
                    return new TapState(block.toLastConv(ps, h, training), h);
                }
                NDArray next = block.forward(ps, new NDList(h), training).singletonOrThrow();
                h.close();
                h = next;
            }
        }
        return new TapState(h, null);
    }

    /**
     * Finishes the forward pass from a tap: {@code state.activation()} may be replaced (e.g. by a copy marked for
     * gradients) with {@link TapState#withActivation}.
     *
     * @return features (N, d)
     */
    public NDArray forwardFromTap(ParameterStore ps, TapState state, boolean training, Tap tap) {
        checkTap(tap);
        NDArray h = state.activation();
        int first = tap.stage(); // 0-based index of the first stage after the tap stage
        boolean own = false; // the tap state belongs to the caller; later activations are ours to free
        if (tap.position() == Tap.Position.LAST_CONV) {
            List<ResidualBlock> stage = stages.get(tap.stage() - 1);
            h = stage.get(stage.size() - 1).fromLastConv(ps, h, state.blockInput(), training);
            own = true;
        }
        for (int s = first; s < stages.size(); s++) {
            for (ResidualBlock block : stages.get(s)) {
                NDArray next = block.forward(ps, new NDList(h), training).singletonOrThrow();
                if (own) {
                    h.close();
                }
                h = next;
                own = true;
            }
        }
        NDArray pooled = pool(h);
        if (own) {
            h.close();
        }
        return pooled;
    }

    private void checkTap(Tap tap) {
        if (tap.stage() > stages.size()) {
            throw new IllegalArgumentException(
                    "tap " + tap + " but " + spec.name() + " has " + stages.size() + " stages");
        }
    }

    private NDArray stem(ParameterStore ps, NDArray images, boolean training) {
        NDArray x = normalize.forward(ps, new NDList(images), training).singletonOrThrow();
        NDArray c = ResidualBlock.convolve(stemConv, ps, x, training, precision);
        x.close();
        NDArray b = stemNorm.forward(ps, new NDList(c), training).singletonOrThrow();
        c.close();
        NDArray out = Activation.relu(b);
        b.close();
        return out;
    }

    private static NDArray pool(NDArray h) {
        Shape s = h.getShape();
        // Global average pooling: mean over H*W after flattening, since PyTorch's mean takes one axis at a time here.
        return h.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        normalize.initialize(manager, dataType, shape);
        stemConv.initialize(manager, dataType, shape);
        Shape h = stemConv.getOutputShapes(new Shape[] {shape})[0];
        stemNorm.initialize(manager, dataType, h);
        for (List<ResidualBlock> stage : stages) {
            for (ResidualBlock block : stage) {
                block.initialize(manager, dataType, h);
                h = block.getOutputShapes(new Shape[] {h})[0];
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), featureDim())};
    }

    @Override
    public String toString() {
        return "ResNet[" + spec + ", " + normalize.stats() + "]";
    }

    /**
     * The state of a forward pass stopped at a tap.
     *
     * @param activation the activation at the tap
     * @param blockInput the tapped block's input (for its shortcut), or null when the tap is a stage output
     */
    public record TapState(NDArray activation, NDArray blockInput) {
        /** The same state with another activation (e.g. a stop-gradient copy marked for gradients). */
        public TapState withActivation(NDArray a) {
            return new TapState(a, blockInput);
        }
    }
}
