package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One residual block of the reference's CIFAR ResNets ({@code networks/resnet_big.py}): a BasicBlock (two 3x3
 * convolutions, stride on the first) or a Bottleneck (1x1, 3x3 with the stride, 1x1 with 4x expansion), each
 * convolution followed by batch norm, a 1x1 convolution + batch norm shortcut when the shape changes, ReLU after the
 * addition. The block can be run in two halves around its last convolution's output, where the reference's Grad-CAM
 * reads activations.
 */
public final class ResidualBlock extends AbstractBlock {

    /** Bottleneck blocks widen their output by this factor. */
    public static final int BOTTLENECK_EXPANSION = 4;

    private final boolean bottleneck;
    private final int inChannels;
    private final int outChannels;
    private final int stride;
    private final List<Block> convs = new ArrayList<>();
    private final List<Block> norms = new ArrayList<>();
    private final Block shortcutConv;
    private final Block shortcutNorm;
    private volatile Precision precision = Precision.FP32;

    /**
     * @param bottleneck Bottleneck (true) or BasicBlock (false)
     * @param inChannels input channels
     * @param planes the block's width; the output has {@code planes} channels (BasicBlock) or {@code 4 * planes}
     * @param stride 1 or 2, applied by the first 3x3 convolution and the shortcut
     */
    public ResidualBlock(boolean bottleneck, int inChannels, int planes, int stride) {
        this.bottleneck = bottleneck;
        this.inChannels = inChannels;
        this.stride = stride;
        this.outChannels = bottleneck ? planes * BOTTLENECK_EXPANSION : planes;
        if (bottleneck) {
            addConv("conv1", planes, 1, 1);
            addConv("conv2", planes, 3, stride);
            addConv("conv3", outChannels, 1, 1);
        } else {
            addConv("conv1", planes, 3, stride);
            addConv("conv2", planes, 3, 1);
        }
        if (stride != 1 || inChannels != outChannels) {
            shortcutConv = addChildBlock("shortcut_conv", conv(outChannels, 1, stride));
            shortcutNorm = addChildBlock("shortcut_bn", batchNorm());
        } else {
            shortcutConv = null;
            shortcutNorm = null;
        }
    }

    private void addConv(String name, int filters, int kernel, int convStride) {
        int i = convs.size() + 1;
        convs.add(addChildBlock(name, conv(filters, kernel, convStride)));
        norms.add(addChildBlock("bn" + i, batchNorm()));
    }

    static Conv2d conv(int filters, int kernel, int stride) {
        int pad = kernel / 2;
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    static BatchNorm batchNorm() {
        // DJL's momentum weighs the running value: 0.9 here is PyTorch's momentum=0.1. Epsilon 1e-5 as PyTorch.
        return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
    }

    /** Sets the number format of this block's convolutions (see {@link Precision}). */
    void setPrecision(Precision p) {
        this.precision = p;
    }

    /**
     * Runs convolution {@code conv} on {@code x} in precision {@code p}: in bf16 the input and a copy of the fp32
     * weight are cast to bfloat16 and the output back to fp32, so everything around the convolution stays fp32.
     * Convolutions with fewer than {@link #BF16_MIN_CHANNELS} input or output channels (the stem on 1- or 3-channel
     * images) stay fp32.
     */
    static NDArray convolve(Block conv, ParameterStore ps, NDArray x, boolean training, Precision p) {
        // Not a Conv2d: a LayerCapture recorder standing in for it (Grad-CAM at that layer), which runs it in fp32.
        if (p == Precision.FP32 || !(conv instanceof Conv2d c)) {
            return conv.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDArray w = ps.getValue(c.getParameters().get("weight"), x.getDevice(), training);
        if (w.getShape().get(0) < BF16_MIN_CHANNELS || w.getShape().get(1) < BF16_MIN_CHANNELS) {
            return conv.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        // NCHW: channels-last was no faster in fp32 or bf16 here (make bench BENCH=conv).
        return ScriptedConvolution.conv2d(ScriptedConvolution.Kind.BF16, x, w, c.getStride(), c.getPadding());
    }

    /**
     * The fewest input and output channels a bf16 convolution may have. On the CPU, libtorch 2.7.1's bfloat16
     * convolution with 1 input channel returned zeros, and narrow ones varied from call to call (PrecisionTest); the
     * stem it concerns is a negligible share of the work.
     */
    static final int BF16_MIN_CHANNELS = 16;

    /** Output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** Whether this is a Bottleneck block. */
    public boolean isBottleneck() {
        return bottleneck;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = toLastConv(ps, x, training);
        NDArray out = fromLastConv(ps, a, x, training);
        a.close();
        return new NDList(out);
    }

    /**
     * Runs the block up to its last convolution's output (before that convolution's batch norm).
     *
     * <p>Intermediates are closed as soon as they are used: DJL would otherwise hold every one until the step's
     * manager closes, while libtorch keeps what backward needs through its own references.
     */
    NDArray toLastConv(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = x;
        int last = convs.size() - 1;
        for (int i = 0; i < last; i++) {
            NDArray c = convolve(convs.get(i), ps, h, training, precision);
            release(h, x);
            NDArray b = norms.get(i).forward(ps, new NDList(c), training).singletonOrThrow();
            c.close();
            h = Activation.relu(b);
            b.close();
        }
        NDArray out = convolve(convs.get(last), ps, h, training, precision);
        release(h, x);
        return out;
    }

    /** Finishes the block from its last convolution's output {@code a}; {@code x} is the block's input. */
    NDArray fromLastConv(ParameterStore ps, NDArray a, NDArray x, boolean training) {
        NDArray h = norms.get(convs.size() - 1).forward(ps, new NDList(a), training).singletonOrThrow();
        NDArray shortcut = x;
        if (shortcutConv != null) {
            NDArray c = convolve(shortcutConv, ps, x, training, precision);
            shortcut = shortcutNorm.forward(ps, new NDList(c), training).singletonOrThrow();
            c.close();
        }
        NDArray sum = h.add(shortcut);
        h.close();
        release(shortcut, x);
        NDArray out = Activation.relu(sum);
        sum.close();
        return out;
    }

    /** Closes an intermediate unless it is the caller's array. */
    static void release(NDArray intermediate, NDArray callersArray) {
        if (intermediate != callersArray) {
            intermediate.close();
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        Shape h = shape;
        for (int i = 0; i < convs.size(); i++) {
            convs.get(i).initialize(manager, dataType, h);
            h = convs.get(i).getOutputShapes(new Shape[] {h})[0];
            norms.get(i).initialize(manager, dataType, h);
        }
        if (shortcutConv != null) {
            shortcutConv.initialize(manager, dataType, shape);
            shortcutNorm.initialize(manager, dataType, shortcutConv.getOutputShapes(new Shape[] {shape})[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = (s.get(2) + stride - 1) / stride;
        long w = (s.get(3) + stride - 1) / stride;
        return new Shape[] {new Shape(s.get(0), outChannels, h, w)};
    }

    @Override
    public String toString() {
        return (bottleneck ? "Bottleneck(" : "BasicBlock(") + inChannels + " -> " + outChannels + ", stride " + stride
                + ")";
    }
}
