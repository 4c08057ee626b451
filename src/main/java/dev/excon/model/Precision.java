package dev.excon.model;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The number format of the backbone's convolutions. {@code FP32} everywhere is the reference's. {@code BF16} is mixed
 * precision: each convolution casts its input and a copy of its fp32 weight to bfloat16 and its output back to fp32,
 * so the master weights, batch norm (statistics and running averages), ReLU, pooling, the head, the classifier, the
 * loss and the optimiser stay fp32, and gradients reach the fp32 weights through the casts. DJL has no autocast; the
 * casts are explicit in {@link ResidualBlock} and {@link ResNet}.
 *
 * <p>bfloat16 keeps fp32's exponent range (no loss scaling needed) with an 8-bit mantissa: activations carry about 3
 * significant digits, so logits and maps differ from fp32's by a few tenths of a percent (measured in the tests).
 */
public enum Precision {
    /** Single precision throughout (the reference). */
    FP32,
    /** Convolutions in bfloat16, everything else in fp32. */
    BF16;

    /** Parses {@code fp32} or {@code bf16} (any case). */
    public static Precision parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("fp32") || t.equals("float32")) {
                return FP32;
            }
            if (t.equals("bf16") || t.equals("bfloat16")) {
                return BF16;
            }
        }
        throw new IllegalArgumentException("precision=" + text + ": choose fp32 (the reference) or bf16 (convolutions "
                + "in bfloat16, the rest in fp32; needs a GPU or a CPU with AVX512-BF16, AMX or Arm BF16)");
    }

    /** The lower-case name used in configurations, {@code fp32} or {@code bf16}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision to run {@code requested} with on {@code device}: bf16 on a GPU, and on a CPU whose instruction
     * set has bfloat16 arithmetic; otherwise fp32, with the reason in {@link Choice#note()}. Without those
     * instructions oneDNN has no native bfloat16 kernels and emulates them, so bf16 would cost accuracy for no speed.
     */
    public static Choice choose(Precision requested, Device device) {
        return choose(requested, device, cpuInfo());
    }

    /** As {@link #choose(Precision, Device)} for a CPU described by {@code cpuinfo} (the text of /proc/cpuinfo). */
    static Choice choose(Precision requested, Device device, String cpuinfo) {
        if (requested == FP32 || device.isGpu()) {
            return new Choice(requested, "");
        }
        if (bf16Instructions(cpuinfo) == null) {
            return new Choice(FP32, "precision=bf16 asked for, but this CPU has no bfloat16 arithmetic (neither "
                    + "AVX512-BF16 nor AMX nor Arm BF16 in /proc/cpuinfo), where libtorch would only emulate it: "
                    + "running in fp32. Use a GPU or such a CPU for bf16, or set precision=fp32 to silence "
                    + "this");
        }
        return new Choice(BF16, "");
    }

    /** What in this CPU gives bfloat16 arithmetic (see {@link #bf16Instructions}), or null. */
    public static String cpuBf16Support() {
        return bf16Instructions(cpuInfo());
    }

    private static String cpuInfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return ""; // not Linux: nothing known, so fp32
        }
    }

    /**
     * The instruction-set extension in {@code cpuinfo} (text as in /proc/cpuinfo) that gives bfloat16 arithmetic:
     * {@code "amx_bf16"} or {@code "avx512_bf16"} on x86, {@code "bf16"} on Arm; null when there is none.
     */
    static String bf16Instructions(String cpuinfo) {
        // Only the instruction-set lines: "flags" on x86, "Features" on Arm.
        Set<String> words = new java.util.HashSet<>();
        for (String line : cpuinfo.toLowerCase(Locale.ROOT).split("\n")) {
            if (line.startsWith("flags") || line.startsWith("features")) {
                words.addAll(java.util.Arrays.asList(Pattern.compile("[\\s:]+").split(line)));
            }
        }
        for (String f : new String[] {"amx_bf16", "avx512_bf16", "bf16"}) {
            if (words.contains(f)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The precision a run gets and, when it is not what was asked for, why.
     *
     * @param precision what will run
     * @param note empty, or the reason for falling back to fp32
     */
    public record Choice(Precision precision, String note) {}
}
