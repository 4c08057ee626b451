package dev.excon.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Convolutions DJL 0.36 cannot express, differentiable in input and weight: in bfloat16 with fp32 input, weight and
 * output, and in channels-last memory layout. DJL has no bfloat16 (its native dtype table stops at bool; a cast to it
 * aborts the process), runs its casts without autograd, and has no memory-format API. So each runs in a tiny
 * TorchScript module per (kind, stride, padding), made by {@code environment/torchscript/scripted_conv.py} and
 * shipped as resources; called with autograd on, the module's casts and layout changes are ordinary graph ops and
 * gradients reach the fp32 weights.
 */
final class ScriptedConvolution {

    /** What a module computes. */
    enum Kind {
        /** bfloat16 arithmetic, the input's memory layout. */
        BF16("conv"),
        /** fp32 arithmetic in channels-last layout; the output stays channels-last. */
        FP32_CHANNELS_LAST("conv_cl"),
        /** bfloat16 arithmetic in channels-last layout; the output stays channels-last. */
        BF16_CHANNELS_LAST("conv_bf16_cl");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Modules by kind, device, stride and padding; loaded once per process, never closed (a few KB each). */
    private static final Map<String, PtSymbolBlock> MODULES = new ConcurrentHashMap<>();

    private ScriptedConvolution() {}

    /**
     * {@code conv2d(x, w)} with square stride and padding, no bias, no dilation, one group.
     *
     * @param x input (N, C, H, W), float32
     * @param w weight (F, C, k, k), float32
     * @return output (N, F, H', W'), float32
     */
    static NDArray conv2d(Kind kind, NDArray x, NDArray w, Shape stride, Shape padding) {
        int s = (int) stride.get(0);
        int p = (int) padding.get(0);
        if (stride.get(1) != s || padding.get(1) != p || s < 1 || s > 2 || p < 0 || p > 1) {
            throw new IllegalArgumentException("scripted convolutions exist for stride 1 or 2 and padding 0 or 1 in "
                    + "both directions (the library's ResNets); got stride " + stride + ", padding " + padding
                    + ": use precision=fp32 for this network");
        }
        PtSymbolBlock m = module(kind, x.getDevice(), s, p);
        return IValueUtils.forward(m, new NDList(x, w), true).singletonOrThrow();
    }

    /** Only the casts {@link Kind#BF16} adds: x and w to bfloat16 and back (for make bench BENCH=conv). */
    static NDList castRoundTrip(NDArray x, NDArray w) {
        PtSymbolBlock m = MODULES.computeIfAbsent("casts/" + x.getDevice(), k -> load(x.getDevice(),
                "conv/cast_roundtrip.pt"));
        return IValueUtils.forward(m, new NDList(x, w), true);
    }

    private static PtSymbolBlock module(Kind kind, Device device, int stride, int padding) {
        String key = kind + "/" + device + "/" + stride + "/" + padding;
        return MODULES.computeIfAbsent(key, k -> load(device, "conv/" + kind.prefix + "_s" + stride + "_p" + padding
                + ".pt"));
    }

    private static PtSymbolBlock load(Device device, String name) {
        // A manager of its own that lives as long as the process: the module is shared by every network.
        NDManager base = NDManager.newBaseManager(device, "PyTorch");
        try (InputStream in = ScriptedConvolution.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource dev/excon/model/" + name + " is missing from the build: "
                        + "run environment/torchscript/scripted_conv.py");
            }
            return JniUtils.loadModule((PtNDManager) base, in, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource dev/excon/model/" + name, e);
        }
    }
}
