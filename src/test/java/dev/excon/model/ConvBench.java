package dev.excon.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Arrays;

/**
 * {@code make bench BENCH=conv}: one 3x3 convolution, forward and backward (input and weight gradients), in each way
 * the library can run it, and the casts a bf16 convolution adds, alone. Not a test.
 */
public final class ConvBench {

    private ConvBench() {}

    /** The ways, in the order {@link #seconds} returns them. */
    public static final String[] WAYS = {"fp32 (DJL, NCHW)", "fp32 channels-last", "bf16", "bf16 channels-last",
        "casts of bf16 alone"};

    /**
     * Median seconds of forward + backward for each of {@link #WAYS} on a (batch, c, hw, hw) input and c -> c filters.
     */
    public static double[] seconds(int batch, int c, int hw, int stride, int runs) {
        double[] out = new double[WAYS.length];
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.randomNormal(new Shape(batch, c, hw, hw));
            NDArray w = m.randomNormal(0, 0.05f, new Shape(c, c, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            Shape s = new Shape(stride, stride);
            Shape p = new Shape(1, 1);
            for (int way = 0; way < WAYS.length; way++) {
                double[] t = new double[runs];
                for (int r = -2; r < runs; r++) { // two warm-up runs
                    long start = System.nanoTime();
                    try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance()
                            .newGradientCollector()) {
                        NDList y = switch (way) {
                            case 0 -> Conv2d.conv2d(x, w, null, s, p, new Shape(1, 1), 1);
                            case 1 -> new NDList(ScriptedConvolution.conv2d(ScriptedConvolution.Kind.FP32_CHANNELS_LAST,
                                    x, w, s, p));
                            case 2 -> new NDList(ScriptedConvolution.conv2d(ScriptedConvolution.Kind.BF16, x, w, s, p));
                            case 3 -> new NDList(ScriptedConvolution.conv2d(ScriptedConvolution.Kind.BF16_CHANNELS_LAST,
                                    x, w, s, p));
                            default -> ScriptedConvolution.castRoundTrip(x, w);
                        };
                        y.attach(step); // freed with the step
                        NDArray loss = y.get(0).sum();
                        if (y.size() > 1) {
                            loss = loss.add(y.get(1).sum());
                        }
                        gc.backward(loss);
                    }
                    w.getGradient().getFloat(0, 0, 0, 0); // wait for the work
                    if (r >= 0) {
                        t[r] = (System.nanoTime() - start) / 1e9;
                    }
                }
                Arrays.sort(t);
                out[way] = t[runs / 2];
            }
        }
        return out;
    }
}
