package dev.excon.bench;

import dev.excon.ExconRuntime;
import dev.excon.data.ImageDataset;
import java.util.Arrays;
import java.util.List;

/**
 * {@code make bench}: throughput figures measured side by side in one run, printed as a table with ratios against
 * the targets. Not a test: nothing here passes or fails on timing.
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
