package dev.excon.notebook.magics;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.excon.ExconRuntime;
import dev.excon.data.DataPaths;
import dev.excon.report.Html;
import dev.excon.notebook.Notebook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/**
 * {@code %excon env | seed N | device cpu|gpu [N] | precision fp32|bf16}: what this notebook runs on, the seed, the
 * default device. With no argument it prints its usage; a wrong argument fails the cell ({@link MagicException}, a
 * {@code UsageError} naming the value, with the usage), so a headless run never goes on with a seed or device it was
 * not given. A GPU that this machine does not have is not an error: the device stays and the output says so.
 */
final class ExconMagic implements LineMagic<Void, BaseKernel> {

    static final String USAGE = String.join("\n",
            "usage: %excon env | seed N | device cpu|gpu [N] | precision fp32|bf16",
            "  env           engine, versions, device, GPUs, threads, memory, and where each data set was found",
            "  seed N        seeds DJL's engine and sets Notebook.seed() (an integer) for configs, splits and loaders",
            "  device D      sets Notebook.device(): cpu, gpu (the first GPU) or gpu N; no argument shows it",
            "  precision P   sets Notebook.precision(): fp32, or bf16 (convolutions in bfloat16, the rest fp32; on a",
            "                GPU or a CPU with bfloat16 instructions, else fp32 with a note); no argument shows it");

    /** Sub-commands, for completion. */
    static final List<String> COMMANDS = List.of("env", "seed", "device", "precision");

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        if (args.isEmpty()) {
            System.out.println(USAGE);
            return null;
        }
        switch (args.get(0)) {
            case "env" -> env(args);
            case "seed" -> seed(args);
            case "device" -> device(args);
            case "precision" -> precision(args);
            default -> throw MagicException.usage("%excon has no sub-command '" + args.get(0) + "': use env, seed, "
                    + "device or precision", USAGE);
        }
        return null;
    }

    private static void seed(List<String> args) {
        if (args.size() != 2) {
            throw MagicException.usage((args.size() < 2 ? "%excon seed needs a number"
                    : "%excon seed takes one number, not '" + String.join(" ", args.subList(1, args.size())) + "'")
                    + ": e.g. %excon seed 42", USAGE);
        }
        long seed;
        try {
            seed = Long.parseLong(args.get(1).trim());
        } catch (NumberFormatException e) {
            throw MagicException.usage("'" + args.get(1) + "' is not an integer seed: e.g. %excon seed 42", USAGE);
        }
        Notebook.setSeed(seed);
        String engine;
        try {
            Engine e = ExconRuntime.engine();
            e.setRandomSeed((int) seed);
            engine = e.getEngineName() + " engine seeded";
        } catch (RuntimeException | LinkageError e) {
            engine = "engine not available (" + e.getMessage() + "), not seeded";
        }
        System.out.println("seed " + seed + ": " + engine + "; Notebook.seed() returns " + seed
                + " (pass it to TrainConfig.seed, Splits, DataLoader.optSeed)");
    }

    private static void device(List<String> args) {
        if (args.size() == 1) {
            System.out.println("device: " + Notebook.device());
            return;
        }
        String kind = args.get(1).toLowerCase(Locale.ROOT);
        int index = 0;
        if (args.size() > 3 || !(kind.equals("cpu") || kind.equals("gpu"))
                || (args.size() == 3 && kind.equals("cpu"))) {
            throw MagicException.usage("'" + String.join(" ", args.subList(1, args.size())) + "' is not a device: use "
                    + "%excon device cpu, %excon device gpu or %excon device gpu N", USAGE);
        }
        if (args.size() == 3) {
            try {
                index = Integer.parseInt(args.get(2));
            } catch (NumberFormatException e) {
                throw MagicException.usage("'" + args.get(2) + "' is not a GPU number: e.g. %excon device gpu 0",
                        USAGE);
            }
        }
        if (kind.equals("cpu")) {
            Notebook.setDevice(Device.cpu());
            System.out.println("device: cpu() (Notebook.device())");
            return;
        }
        int gpus;
        String engineName;
        try {
            Engine e = ExconRuntime.engine();
            gpus = e.getGpuCount();
            engineName = e.getEngineName() + " " + e.getVersion();
        } catch (RuntimeException | LinkageError e) {
            System.out.println("no engine available (" + e.getMessage() + "); device stays " + describeCurrent());
            return;
        }
        if (gpus == 0) {
            System.out.println("no GPU: DJL (" + engineName + ") sees none on this machine, so the device stays "
                    + describeCurrent() + ". A GPU run needs a CUDA machine and a build without the CPU natives: "
                    + "make test GPU=1 (README, \"GPU\").");
            return;
        }
        if (index < 0 || index >= gpus) {
            System.out.println("gpu " + index + " does not exist: DJL sees " + gpus + " GPU" + (gpus == 1 ? "" : "s")
                    + " (0" + (gpus > 1 ? " to " + (gpus - 1) : "") + "); device stays " + describeCurrent());
            return;
        }
        Notebook.setDevice(Device.gpu(index));
        System.out.println("device: " + Device.gpu(index) + " (Notebook.device())");
    }

    private static void precision(List<String> args) {
        if (args.size() == 1) {
            System.out.println("precision: " + Notebook.precision().key());
            return;
        }
        if (args.size() > 2) {
            throw MagicException.usage("%excon precision takes one value, not '"
                    + String.join(" ", args.subList(1, args.size())) + "': fp32 or bf16", USAGE);
        }
        dev.excon.model.Precision p;
        try {
            p = Notebook.usePrecision(args.get(1));
        } catch (RuntimeException e) {
            throw MagicException.usage("'" + args.get(1) + "' is not a precision: use %excon precision fp32 or "
                    + "%excon precision bf16", USAGE);
        }
        System.out.println("precision: " + p.key() + " (Notebook.precision(); pass it to TrainConfig.Builder.precision "
                + "and ExconNetwork.setPrecision)");
    }

    private static String describeCurrent() {
        try {
            return Notebook.device().toString();
        } catch (RuntimeException | LinkageError e) {
            return "cpu()";
        }
    }

    private static void env(List<String> args) {
        if (args.size() > 1) {
            throw MagicException.usage("%excon env takes no arguments, not '"
                    + String.join(" ", args.subList(1, args.size())) + "'", USAGE);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Java", Runtime.version() + " (" + System.getProperty("java.vendor") + ")"});
        try {
            Engine e = ExconRuntime.engine();
            rows.add(new String[] {"engine", e.getEngineName() + " " + e.getVersion() + ", DJL "
                    + Engine.getDjlVersion()});
            rows.add(new String[] {"device", Notebook.device() + " (Notebook.device(); %excon device to change)"});
            rows.add(new String[] {"GPUs", Integer.toString(e.getGpuCount())});
        } catch (RuntimeException | LinkageError e) {
            rows.add(new String[] {"engine", "not available: " + e.getMessage()});
        }
        rows.add(new String[] {"threads", ExconRuntime.threads() + " (PyTorch intra-op "
                + System.getProperty(ExconRuntime.NUM_THREADS, "default") + ", inter-op "
                + System.getProperty(ExconRuntime.NUM_INTEROP_THREADS, "default") + "; "
                + Runtime.getRuntime().availableProcessors() + " cores)"});
        Runtime rt = Runtime.getRuntime();
        rows.add(new String[] {"memory", String.format(Locale.ROOT,
                "JVM heap %s used of %s max; process %s resident; machine %s total, %s available",
                gb(rt.totalMemory() - rt.freeMemory()), gb(rt.maxMemory()), gb(procKb("/proc/self/status", "VmRSS")),
                gb(procKb("/proc/meminfo", "MemTotal")), gb(procKb("/proc/meminfo", "MemAvailable")))});
        String preload = System.getenv("LD_PRELOAD");
        rows.add(new String[] {"allocator", preload != null && preload.contains("tcmalloc") ? "tcmalloc ("
                + preload + ")" : "glibc malloc (LD_PRELOAD tcmalloc for big tensors; see README)"});
        rows.add(new String[] {"offline", ExconRuntime.offline() + " (DJL downloads nothing; telemetry "
                + ("true".equalsIgnoreCase(System.getProperty("OPT_OUT_TRACKING", System.getenv("OPT_OUT_TRACKING")))
                        ? "off" : "on") + ")"});
        rows.add(new String[] {"seed", Notebook.seed() + " (Notebook.seed(); %excon seed N to change)"});
        String bf16 = dev.excon.model.Precision.cpuBf16Support();
        rows.add(new String[] {"precision", Notebook.precision().key() + " (Notebook.precision(); %excon precision "
                + "fp32|bf16 to change; CPU bfloat16 instructions: " + (bf16 != null ? bf16 : "none") + ")"});
        rows.add(new String[] {"data root", DataPaths.dataRoot().toAbsolutePath().normalize().toString()});
        rows.add(dataset("Fashion-MNIST", DataPaths.fashionMnist(), "sudo apt-get install dataset-fashion-mnist"));
        rows.add(dataset("CIFAR-10", DataPaths.cifar10(), "make download DATASET=cifar10"));
        rows.add(dataset("CIFAR-100", DataPaths.cifar100(), "make download DATASET=cifar100"));
        rows.add(dataset("Tiny ImageNet", DataPaths.tinyImageNet(), "make download DATASET=tiny-imagenet"));
        rows.add(dataset("CIFAR-100-C", DataPaths.cifar100c(), "make download DATASET=cifar100-c"));
        Notebook.display(table(rows));
    }

    private static String[] dataset(String name, Path dir, String howToGet) {
        Path abs = dir.toAbsolutePath().normalize();
        return new String[] {name, nonEmptyDirectory(dir) ? "found in " + abs : "not found (expected in " + abs
                + "; " + howToGet + ")"};
    }

    private static boolean nonEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static DisplayData table(List<String[]> rows) {
        StringBuilder html = new StringBuilder("<table class=\"excon-env\"><tbody>");
        StringBuilder text = new StringBuilder();
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            html.append("<tr><th style=\"text-align:left\">").append(Html.escape(r[0]))
                    .append("</th><td style=\"text-align:left\">").append(Html.escape(r[1])).append("</td></tr>");
            text.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", r[0], r[1]));
        }
        html.append("</tbody></table>");
        DisplayData d = new DisplayData(text.toString().stripTrailing());
        d.putHTML(html.toString());
        return d;
    }

    private static long procKb(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return -1;
    }

    private static String gb(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
