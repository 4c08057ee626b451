package dev.excon.bench;

import dev.excon.ExconRuntime;
import dev.excon.data.ImageDataset;
import dev.excon.model.Precision;
import java.util.Arrays;
import java.util.List;

/**
 * {@code make bench}: throughput figures measured side by side in one run, printed as a table with ratios against
 * the targets, the notebook kernel's latency ({@code make bench BENCH=kernel}), and the quick preset's accuracy
 * against seconds on Fashion-MNIST ({@code make bench BENCH=quick}). Not a test: nothing here passes or
 * fails on timing.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) {
        ExconRuntime.init();
        List<String> only = Arrays.stream(args).filter(a -> !a.isBlank()).toList();
        int threads = ExconRuntime.threads();
        System.out.printf("ExCon benchmarks: %d threads, engine %s %s, device %s%n", threads,
                ExconRuntime.engine().getEngineName(), ExconRuntime.engine().getVersion(),
                ExconRuntime.defaultDevice());
        if (only.isEmpty() || only.contains("pipeline")) {
            pipeline(threads);
        }
        if (only.isEmpty() || only.contains("conv")) {
            conv();
        }
        if (only.isEmpty() || only.contains("train")) {
            train();
        }
        if (only.isEmpty() || only.contains("memory")) {
            memory();
        }
        if (only.isEmpty() || only.contains("eval")) {
            eval();
        }
        if (only.isEmpty() || only.contains("protocol")) {
            protocol();
        }
        if (only.isEmpty() || only.contains("kernel")) {
            kernel();
        }
        if (only.isEmpty() || only.contains("quick")) {
            QuickBench.run();
        }
    }

    /** The whole paper protocol on 1,000 CIFAR-shaped test images with ResNet-18, phase by phase. */
    private static void protocol() {
        int images = Integer.getInteger("bench.protocolImages", 1000);
        System.out.println();
        System.out.println("Paper protocol (PaperProtocol defaults: FGSM and PGD at 1, 2, 4, 8 /255 on every image, 11 x 5 "
                + "corruptions of up to 1,000 images, t-SNE of 10 classes), CIFAR ResNet-18, 100 classes, " + images
                + " random 32x32 test images, random init");
        System.out.printf("%-64s %9s%n", "phase", "seconds");
        List<String[]> phases = EvalBench.protocolPhases(images);
        double total = 0;
        for (String[] p : phases) {
            System.out.printf("%-64s %9s%n", p[0], p[1]);
            total += Double.parseDouble(p[1]);
        }
        System.out.printf("%-64s %9.1f (%.1f min)%n", "total", total, total / 60);
    }

    /** Batched drop/increase against one-image-at-a-time loops with the same Grad-CAM (target: >= 10x). */
    private static void eval() {
        int images = 128;
        System.out.println();
        System.out.println("Explanation quality (drop/increase, keep 15%), CIFAR ResNet-18, 100 classes, " + images
                + " random 32x32 images, random init; batched: median of 3 runs (target: >= 10x a one-image loop)");
        double[] t = EvalBench.dropIncreaseSeconds(images, 3);
        System.out.printf("%-64s %9s %9s %9s%n", "evaluation", "seconds", "images/s", "speed-up");
        String[] names = {"batched (1 Grad-CAM pass + 1 masked forward per batch of 128)",
            "the same code, one image at a time", "reference loop (predict, Grad-CAM, 4 x 2 forwards per image)"};
        for (int i = 0; i < 3; i++) {
            System.out.printf("%-64s %9.2f %9.1f %8.1fx%n", names[i], t[i], images / t[i], t[i] / t[0]);
        }
    }

    /** The Jupyter kernel: start to first cell result, warm trivial cell round trip (targets: 1.5 s; none). */
    private static void kernel() {
        int starts = Integer.getInteger("bench.kernelStarts", 5);
        int trips = Integer.getInteger("bench.kernelTrips", 50);
        System.out.println();
        System.out.println("Jupyter kernel 'excon' (installed kernelspec), median of " + starts + " starts and " + trips
                + " warm round trips (target: start to first result <= 1.5 s)");
        double[] r = KernelBench.measure("excon", starts, trips);
        if (r == null) {
            return;
        }
        System.out.printf("%-44s %10.2f s %7.2fx%n", "launch to first cell result (1 + 1)", r[0], r[0] / 1.5);
        System.out.printf("%-44s %10.1f ms (p90 %.1f ms)%n", "warm trivial cell round trip", r[1] * 1000,
                r[2] * 1000);
    }

    /**
     * Step throughput of SupCon, ExConB (README flags, with and without {@code shareBackgroundRows}) and ExCon, and
     * Grad-CAM, in fp32 and bf16 side by side. The reference's figures come from {@code shared/peer-bench} run in the
     * same sitting ({@code -Dbench.reference=FILE}, the JSON line it prints), so the ratios against it are printed
     * only when that file is given.
     */
    private static void train() {
        int warm = Integer.getInteger("bench.warm", 3);
        int steps = Integer.getInteger("bench.steps", 10);
        java.util.Map<String, Double> ref = ReferenceFigures.read(System.getProperty("bench.reference", ""));
        boolean bf16 = Precision.choose(Precision.BF16, ExconRuntime.defaultDevice()).precision() == Precision.BF16;
        System.out.println();
        System.out.println("Training step, CIFAR ResNet-18, 100 classes, random data and init, median of " + steps
                + " steps after " + warm + " warm-up (forward, backward, SGD update; views and masks included); "
                + "images/s, higher is better");
        System.out.println("targets: SupCon >= 1.5x the reference, ExConB >= 2x, Grad-CAM >= 1.5x (bf16 where the CPU "
                + "has it); ExConB/SupCon time <= 2.2 and ExCon (masks kept)/SupCon <= 1.45 in fp32");
        if (!bf16) {
            System.out.println("bf16 column skipped: " + Precision.choose(Precision.BF16,
                    ExconRuntime.defaultDevice()).note());
        }
        System.out.printf("%-6s %-38s %9s %9s %8s %9s %9s %9s%n", "batch", "step", "fp32", "bf16", "bf16/fp32",
                "reference", "fp32/ref", "bf16/ref");
        for (int batch : new int[] {64, 128}) {
            Object[][] rows = {
                {"SupCon (2 random views)", dev.excon.train.Method.SUPCON, true, "supcon"},
                {"ExConB (README flags)", dev.excon.train.Method.EXCONB, true, "exconb"},
                {"ExConB, background encoded twice (ref.)", dev.excon.train.Method.EXCONB, false, "exconb"},
                {"ExCon (no background rows)", dev.excon.train.Method.EXCON, true, null},
            };
            for (Object[] r : rows) {
                dev.excon.train.Method m = (dev.excon.train.Method) r[1];
                boolean share = (Boolean) r[2];
                double f = batch / TrainBench.stepSeconds(m, batch, warm, steps, Precision.FP32, share)[0];
                double b = bf16 ? batch / TrainBench.stepSeconds(m, batch, warm, steps, Precision.BF16, share)[0]
                        : Double.NaN;
                row(batch, (String) r[0], f, b, r[3] == null ? null : ref.get(r[3] + "_" + batch));
            }
            double gf = TrainBench.gradCamImagesPerSecond(batch, 2, 5, Precision.FP32);
            double gb = bf16 ? TrainBench.gradCamImagesPerSecond(batch, 2, 5, Precision.BF16) : Double.NaN;
            row(batch, "Grad-CAM (eval mode, explain only)", gf, gb, ref.get("gradcam_eval_" + batch));
        }
        System.out.printf("peak RSS so far: %.2f GB%n", TrainBench.rss("VmHWM") / 1e9);
    }

    /** One 3x3 convolution of ResNet-18 per stage, forward and backward, in each way the library can run it. */
    private static void conv() {
        int runs = Integer.getInteger("bench.steps", 10);
        System.out.println();
        System.out.println("3x3 convolution, forward + input and weight gradients, batch 128, median of " + runs
                + " runs; GFLOP/s (the casts row: milliseconds, and their share of the bf16 convolution's time)");
        System.out.printf("%-22s", "layer");
        for (String w : dev.excon.model.ConvBench.WAYS) {
            System.out.printf(" %20s", w);
        }
        System.out.println();
        int[][] layers = {{64, 32, 1}, {128, 16, 1}, {256, 8, 1}, {512, 4, 1}};
        for (int[] l : layers) {
            double[] t = dev.excon.model.ConvBench.seconds(128, l[0], l[1], l[2], runs);
            double gflop = 3 * 2.0 * 128 * l[0] * l[0] * 9 * l[1] * l[1] / 1e9; // forward + two gradients
            System.out.printf("%-22s", l[0] + " -> " + l[0] + ", " + l[1] + "x" + l[1]);
            for (int i = 0; i < t.length - 1; i++) {
                System.out.printf(" %20.1f", gflop / t[i]);
            }
            System.out.printf(" %11.1f ms (%2.0f%%)%n", t[t.length - 1] * 1000, 100 * t[t.length - 1] / t[2]);
        }
    }

    private static void row(int batch, String name, double fp32, double bf16, Double reference) {
        String r = reference == null ? "" : String.format("%9.1f %8.2fx %8.2fx", reference, fp32 / reference,
                bf16 / reference);
        System.out.printf("%-6d %-38s %9.1f %9.1f %8.2fx %s%n", batch, name, fp32, bf16, bf16 / fp32, r);
    }

    /** RSS from step 100 to 300 of an ExCon run at batch 64 (target: at most 2% growth). */
    private static void memory() {
        int from = Integer.getInteger("bench.rssFrom", 100);
        int to = Integer.getInteger("bench.rssTo", 300);
        System.out.println();
        System.out.println("Native memory over a long ExCon run, ResNet-18, batch 64 (target: growth <= 2%)");
        long[] r = TrainBench.rssGrowth(dev.excon.train.Method.EXCON, 64, from, to);
        System.out.printf("RSS at step %d: %.3f GB, at step %d: %.3f GB, growth %.2f%%, peak %.2f GB%n", from,
                r[0] / 1e9, to, r[1] / 1e9, 100.0 * (r[1] - r[0]) / r[0], r[2] / 1e9);
    }

    private static void pipeline(int threads) {
        ImageDataset data = PipelineBench.cifarShaped(10_240, 7);
        PipelineBench.run(data, 256, 2, false, 1); // warm-up: JIT, allocator, natives
        System.out.println();
        System.out.println("Loader + SupCon view pipeline, CIFAR-shaped 3x32x32, batch 256, median of 3 runs of 2 epochs"
                + " x 10,240 images (target >= 2000 img/s/core)");
        System.out.printf("%-44s %12s %14s %8s%n", "pipeline", "images/s", "images/s/core", "target");
        print("loader only (uint8 -> float32 NCHW)", median(() -> PipelineBench.run(data, 256, 0, false, 2)), threads);
        print("1 augmented view", median(() -> PipelineBench.run(data, 256, 1, false, 2)), threads);
        print("2 augmented views (SupCon)", median(() -> PipelineBench.run(data, 256, 2, false, 2)), threads);
        print("2 augmented + standard view (ExCon)", median(() -> PipelineBench.run(data, 256, 2, true, 2)), threads);
    }

    /** The median of three measurements: the machine is shared, single runs swing by 20% or more. */
    static double median(java.util.function.DoubleSupplier run) {
        double[] r = {run.getAsDouble(), run.getAsDouble(), run.getAsDouble()};
        Arrays.sort(r);
        return r[1];
    }

    private static void print(String name, double ips, int threads) {
        double perCore = ips / threads;
        System.out.printf("%-44s %12.0f %14.0f %7.2fx%n", name, ips, perCore, perCore / 2000.0);
    }
}
