package dev.excon.cli;

import ai.djl.Device;
import dev.excon.model.Precision;
import dev.excon.ExconRuntime;
import dev.excon.data.DatasetException;
import dev.excon.eval.BinEdges;
import dev.excon.eval.EvaluationFile;
import dev.excon.eval.PaperProtocol;
import dev.excon.eval.ProtocolResult;
import dev.excon.experiment.Claim;
import dev.excon.experiment.Comparison;
import dev.excon.experiment.ComparisonReport;
import dev.excon.experiment.Experiment;
import dev.excon.report.ProtocolReport;
import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explainers;
import dev.excon.train.Checkpoint;
import dev.excon.train.DataFingerprint;
import dev.excon.train.ExconTrainer;
import dev.excon.train.RunDirectory;
import dev.excon.train.RunDirectoryException;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingData;
import dev.excon.train.TrainingDivergedException;
import dev.excon.train.TrainingResult;
import dev.excon.train.TrainingStoppedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code excon}: train, evaluate and report ExCon runs from a terminal. */
@Command(name = "excon", mixinStandardHelpOptions = true, version = "excon 0.1.0",
        description = "Explanation-driven supervised contrastive learning (ExCon) on DJL.",
        subcommands = {ExconCli.Train.class, ExconCli.Evaluate.class, ExconCli.ReportCommand.class,
            SweepCommand.class, DataCommand.class})
public final class ExconCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs without exiting: 0 success, 1 failure (the message says why and what to do), 2 bad arguments. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ExconCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: train, evaluate, report, sweep or data");
    }

    /** {@code excon train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a run; rerunning the same command resumes it from its last checkpoint.",
                "Presets: reference-cifar100 and reference-tiny-imagenet run the reference README's commands exactly "
                + "(no validation split: the best epoch is chosen on test accuracy); paper-cifar100 and "
                + "paper-tiny-imagenet the same with this library's corrections; quick a 2-minute Fashion-MNIST run.",
                "Example: excon train --preset paper-cifar100 --data data --out runs/cifar100-exconb"})
    static final class Train implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--preset", defaultValue = "quick",
                description = "reference-cifar100, reference-tiny-imagenet, paper-cifar100, paper-tiny-imagenet or "
                        + "quick (default: ${DEFAULT-VALUE})")
        String preset;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "change one configuration value, e.g. --set epochs=10 --set method=exconb")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--data", paramLabel = "DIR", description = "the data root (default: EXCON_DATA or ./data)")
        Path data;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "the run directory for checkpoints and the history")
        Path out;

        @Option(names = "--device", paramLabel = "cpu|gpu", description = "default: the GPU when DJL sees one")
        String device;

        @Override
        public Integer call() {
            ExconRuntime.init();
            TrainConfig config = configuration(spec, preset, overrides);
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is a file: give the "
                        + "run directory (a new one, or the one a run was trained into to resume it)");
            }
            if (config.name().startsWith("reference-")) {
                List<String> off = config.referenceDeviations();
                spec.commandLine().getErr().println(off.isEmpty()
                        ? "note: the reference README's command, setting for setting (" + config.method()
                                .referenceFlags() + ")"
                        : "note: differs from the reference README's command in " + String.join(", ", off));
            }
            Device dev = parseDevice(spec, device);
            DataRoot root = DataRoot.set(data);
            try {
                return train(config, dev);
            } finally {
                root.close();
            }
        }

        private int train(TrainConfig config, Device dev) {
            PrintWriter err = spec.commandLine().getErr();
            TrainingData trainingData;
            try {
                trainingData = TrainingData.load(config);
            } catch (DatasetException | IllegalStateException | UncheckedIOException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
            Thread main = Thread.currentThread();
            // Ctrl-C: stop at the next step boundary and let the message out; checkpoints are atomic either way.
            Thread hook = new Thread(() -> {
                main.interrupt();
                try {
                    finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try (ExconTrainer trainer = ExconTrainer.create(config, trainingData, out, dev)) {
                trainer.addListener(new TerminalProgress(System.err, System.console() != null));
                TrainingResult r = trainer.fit();
                System.out.println(out.toAbsolutePath());
                return r.history().isEmpty() ? 1 : 0;
            } catch (TrainingStoppedException | TrainingDivergedException | Checkpoint.CheckpointException
                    | RunDirectoryException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it returns once this thread is done
                }
            }
        }
    }

    /**
     * A preset with {@code --set KEY=VALUE} overrides applied, for {@code train} and {@code sweep}; a bad preset, key
     * or value is a usage error naming it.
     */
    static TrainConfig configuration(CommandLine.Model.CommandSpec spec, String preset, List<String> overrides) {
        try {
            TrainConfig.Builder b = TrainConfig.preset(preset).toBuilder();
            for (String kv : overrides) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--set " + kv + ": write KEY=VALUE, e.g. --set epochs=10");
                }
                b.set(kv.substring(0, eq).trim(), kv.substring(eq + 1));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The device named by {@code --device}, or null for the default (the GPU when DJL sees one). */
    static Device parseDevice(CommandLine.Model.CommandSpec spec, String device) {
        if (device == null) {
            return null;
        }
        switch (device) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (ExconRuntime.engine().getGpuCount() == 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--device gpu but DJL sees no "
                            + "GPU: build with GPU=1 and give DJL CUDA libtorch (README, \"GPU\"), or use "
                            + "--device cpu");
                }
                return Device.gpu(0);
            default:
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--device " + device + ": choose cpu or gpu");
        }
    }

    /**
     * {@code --data DIR} for the length of one command: the data root property is put back afterwards, so that
     * commands run in one JVM (tests, a notebook) do not leak it into each other.
     */
    static final class DataRoot implements AutoCloseable {
        private static final String KEY = "excon.data";
        private final boolean changed;
        private final String previous;

        private DataRoot(boolean changed, String previous) {
            this.changed = changed;
            this.previous = previous;
        }

        static DataRoot set(Path data) {
            String previous = System.getProperty(KEY);
            if (data == null) {
                return new DataRoot(false, previous);
            }
            System.setProperty(KEY, data.toString());
            return new DataRoot(true, previous);
        }

        @Override
        public void close() {
            if (changed) {
                if (previous == null) {
                    System.clearProperty(KEY);
                } else {
                    System.setProperty(KEY, previous);
                }
            }
        }
    }

    /** What a run directory holds, checked before anything is loaded. */
    static final class RunDir {
        final Path dir;
        final String name;

        private RunDir(Path dir) {
            this.dir = dir;
            Path abs = dir.toAbsolutePath().normalize();
            this.name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
        }

        /** The directory, or a usage error naming it and what to give instead. */
        static RunDir of(CommandLine.Model.CommandSpec spec, Path dir) {
            if (!Files.exists(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "run directory " + dir + " does not "
                        + "exist: give the directory a training run wrote (excon train --out " + dir + " ...)");
            }
            if (!Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), dir + " is a file, not a run "
                        + "directory: give the directory of a training run (excon train --out DIR)");
            }
            return new RunDir(dir);
        }

        Path evaluation() {
            return dir.resolve(EVALUATION_FILE);
        }

        Path report() {
            return dir.resolve(REPORT_FILE);
        }
    }

    /** Where {@code evaluate} saves its results inside a run directory. */
    static final String EVALUATION_FILE = "evaluation.json";

    /** Where {@code evaluate} and a one-run {@code report} write the HTML page inside a run directory. */
    static final String REPORT_FILE = "report.html";

    /** Where {@code report} writes a comparison of several runs unless told otherwise. */
    static final Path COMPARE_FILE = Path.of("reports", "compare.html");

    /** {@code excon evaluate}. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Evaluate a trained run; save RUN/evaluation.json and RUN/report.html.",
                "The paper's protocol and more: accuracy, explanation scores, FGSM/PGD, calibration clean, "
                + "temperature-scaled and under corruptions, t-SNE. The network is the run's best.ckpt (best "
                + "validation accuracy, or test accuracy for a run without a validation split) or, for a run whose "
                + "evaluateCheckpoint is last (the reference presets), last.ckpt; the data set, limits and "
                + "validation split are rebuilt from "
                + "the run's configuration, as in training. evaluation.json holds every number (excon report reads "
                + "it); both files are replaced whole, never half-written.",
                "Example: excon evaluate runs/cifar100-exconb --test-limit 1000"})
    static final class Evaluate implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN", description = "the run directory (excon train --out RUN)")
        Path run;

        @Option(names = "--data", paramLabel = "DIR",
                description = "the data root the run was trained on (default: EXCON_DATA or ./data)")
        Path data;

        @Option(names = "--device", paramLabel = "cpu|gpu", description = "default: the GPU when DJL sees one")
        String device;

        @Option(names = "--precision", paramLabel = "fp32|bf16", defaultValue = "fp32",
                description = "number format of the convolutions in the evaluation, whatever the training used "
                        + "(default: ${DEFAULT-VALUE}; bf16 needs a GPU or a CPU with bfloat16 instructions, else fp32 "
                        + "with a note)")
        String precision;

        @Option(names = "--checkpoint", paramLabel = "best|last",
                description = "which checkpoint to evaluate (default: the run's evaluateCheckpoint, best unless the "
                        + "run says last as the reference presets do; the other one when it is missing, with a note)")
        String checkpoint;

        @Option(names = "--name", paramLabel = "NAME",
                description = "the run's name in tables and legends (default: the directory's name)")
        String name;

        @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
                description = "evaluate at most N test images, class-balanced (default: 0 = all the run's test set)")
        int testLimit;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128",
                description = "images per forward pass (default: ${DEFAULT-VALUE})")
        int batchSize;

        @Option(names = "--epsilons", paramLabel = "EPS", split = ",", defaultValue = "1,2,4,8",
                description = "FGSM and PGD radii in /255 (default: ${DEFAULT-VALUE})")
        double[] epsilons;

        @Option(names = "--no-pgd", description = "skip PGD (FGSM only)")
        boolean noPgd;

        @Option(names = "--pgd-limit", paramLabel = "N", defaultValue = "0",
                description = "attack at most N test images with PGD, class-balanced (default: 0 = all; PGD costs "
                        + "ten gradient steps per image and epsilon)")
        int pgdLimit;

        @Option(names = "--no-corruptions", description = "skip the corruption suite")
        boolean noCorruptions;

        @Option(names = "--corruption-limit", paramLabel = "N", defaultValue = "1000",
                description = "images per corruption and severity (default: ${DEFAULT-VALUE})")
        int corruptionLimit;

        @Option(names = "--cifar100c", paramLabel = "DIR",
                description = "the official CIFAR-100-C files, used for a CIFAR-100 run (default: EXCON_CIFAR100C "
                        + "or DATA/CIFAR-100-C; without them, the generated CIFAR-C-like suite)")
        Path cifar100c;

        @Option(names = "--corruption-seed", paramLabel = "N", defaultValue = "42",
                description = "seed of the generated corruptions (default: ${DEFAULT-VALUE})")
        long corruptionSeed;

        @Option(names = "--no-tsne", description = "skip the t-SNE of backbone features")
        boolean noTsne;

        @Option(names = "--tsne-classes", paramLabel = "N", defaultValue = "10",
                description = "t-SNE of the first N classes (default: ${DEFAULT-VALUE})")
        int tsneClasses;

        @Option(names = "--tsne-per-class", paramLabel = "N", defaultValue = "50",
                description = "t-SNE images per class (default: ${DEFAULT-VALUE}); needs 32 points in all")
        int tsnePerClass;

        @Option(names = "--deletion-steps", paramLabel = "N", defaultValue = "10",
                description = "points of the deletion and insertion curves (default: ${DEFAULT-VALUE})")
        int deletionSteps;

        @Option(names = "--explainer", paramLabel = "NAME",
                description = "explainer of the explanation scores: GradCAM, Saliency, InputGradient, "
                        + "IntegratedGradients or SmoothGrad (default: the run's training explainer, GradCAM unless "
                        + "set; the reference scores with the explainer it trained with)")
        String explainer;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
                description = "seed of the image subsets and PGD's random start (default: ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() {
            ExconRuntime.init();
            RunDir dir = RunDir.of(spec, run);
            PrintWriter err = spec.commandLine().getErr();
            try {
                repairIfIdle(dir.dir, err);
            } catch (RunDirectoryException e) {
                return fail(err, e.getMessage());
            }
            Path ckpt = chooseCheckpoint(dir);
            PhaseProgress progress = new PhaseProgress(System.err, System.console() != null);
            String runName = name != null ? name : dir.name;
            Device dev = parseDevice(spec, device);
            Precision wanted;
            try {
                wanted = Precision.parse(precision);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--precision " + precision + ": choose "
                        + "fp32 or bf16");
            }

            TrainConfig config;
            Checkpoint.State state;
            try {
                state = Checkpoint.peek(ckpt);
                config = checkConfig(dir, state.config(), ckpt);
            } catch (Checkpoint.CheckpointException | IllegalStateException e) {
                return fail(err, e.getMessage());
            }
            // The run's ECE bin convention: netcal's for a reference preset, (a, b] otherwise.
            PaperProtocol protocol = protocol(progress, BinEdges.parse(config.calibrationBins()),
                    explainer != null ? explainer : config.explainer());
            DataRoot root = DataRoot.set(data);
            try {
                TrainingData trainingData;
                try {
                    trainingData = TrainingData.load(config);
                    if (!DataFingerprint.check(dir.dir, trainingData)) {
                        err.println("note: " + dir.dir + " has no " + DataFingerprint.FILE + " (trained before "
                                + "excon recorded it): the data are not checked against those it was trained on");
                    }
                } catch (DatasetException e) {
                    return fail(err, e.getMessage() + (data == null ? " (or give the data root with --data DIR)"
                            : ""));
                } catch (IllegalStateException | RunDirectoryException e) {
                    return fail(err, e.getMessage());
                }
                ProtocolResult result;
                try (ExconTrainer trainer = ExconTrainer.create(config, trainingData, null, dev)) {
                    Checkpoint.State loaded = trainer.restore(ckpt);
                    Precision.Choice chosen = Precision.choose(wanted,
                            trainer.network().device());
                    trainer.network().setPrecision(chosen.precision());
                    if (!chosen.note().isEmpty()) {
                        err.println("note: " + chosen.note());
                    }
                    err.printf("%s: evaluating %s (epoch %d of %d, %s) on %s%n", runName, ckpt,
                            loaded.epoch(), config.epochs(), selectionAccuracy(loaded), trainer.network().device());
                    err.flush();
                    try {
                        result = protocol.evaluate(runName, trainer.network(), trainer.data().validation(),
                                trainer.data().test(), trainer.provenance());
                    } finally {
                        progress.endLine(); // an error message starts on a line of its own
                    }
                    progress.done();
                } catch (Checkpoint.CheckpointException e) {
                    return fail(err, e.getMessage());
                }
                Map<String, String> notes = new LinkedHashMap<>();
                notes.put("command", "excon " + String.join(" ", spec.commandLine().getParseResult()
                        .originalArgs()));
                notes.put("run directory", dir.dir.toAbsolutePath().normalize().toString());
                notes.put("checkpoint", ckpt.getFileName() + ", epoch " + state.epoch() + " of "
                        + config.epochs() + ", " + selectionAccuracy(state) + (ckpt.getFileName().toString()
                        .equals(RunDirectory.BEST) ? " (best by " + config.selectionMeasure() + ")" : ""));
                notes.put("protocol", protocol.toString());
                try {
                    new EvaluationFile(result, notes).write(dir.evaluation());
                } catch (UncheckedIOException e) {
                    return fail(err, e.getMessage());
                }
                try {
                    ProtocolReport.single(result).save(dir.report());
                } catch (RuntimeException e) {
                    return fail(err, "the evaluation is saved in " + dir.evaluation() + " but its page could not be "
                            + "written: " + e.getMessage() + "; excon report " + dir.dir + " tries again");
                }
                printHeadline(err, result);
                System.out.println(dir.evaluation());
                System.out.println(dir.report());
                return 0;
            } finally {
                root.close();
            }
        }

        private PaperProtocol protocol(PhaseProgress progress, BinEdges binEdges, String explainerName) {
            Explainer e;
            try {
                e = Explainers.byName(explainerName);
            } catch (IllegalArgumentException x) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--explainer " + x.getMessage());
            }
            try {
                PaperProtocol.Builder b = PaperProtocol.builder().optTestLimit(testLimit).optBatchSize(batchSize)
                        .optEpsilons(epsilons).optPgd(!noPgd).optPgdLimit(pgdLimit).optCorruptions(!noCorruptions)
                        .optCorruptionLimit(corruptionLimit).optCorruptionSeed(corruptionSeed)
                        .optTsne(!noTsne, tsneClasses, tsnePerClass).optDeletionSteps(deletionSteps).optExplainer(e)
                        .optSeed(seed).optProgress(progress).optBinEdges(binEdges);
                if (cifar100c != null) {
                    if (!Files.isDirectory(cifar100c)) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--cifar100c " + cifar100c
                                + ": no such directory; give the folder holding labels.npy and the corruption .npy "
                                + "files (make download DATASET=cifar100-c)");
                    }
                    b.optOfficialCifar100C(cifar100c);
                }
                return b.build();
            } catch (IllegalArgumentException x) {
                throw new CommandLine.ParameterException(spec.commandLine(), x.getMessage());
            }
        }

        /**
         * Repairs what an interrupted training run left (best.ckpt behind last.ckpt, a stale history.csv, ...) unless
         * a trainer holds the directory right now; prints what was repaired.
         */
        private static void repairIfIdle(Path dir, PrintWriter err) {
            boolean trained = false;
            for (String name : List.of(RunDirectory.LAST, RunDirectory.PREVIOUS, RunDirectory.BEST)) {
                trained |= Files.exists(dir.resolve(name));
            }
            if (!trained) {
                return; // chooseCheckpoint says what to do
            }
            RunDirectory run;
            try {
                run = RunDirectory.open(dir);
            } catch (RunDirectoryException.Locked e) {
                err.println("note: " + dir + " is being trained right now; evaluating its checkpoints as they are");
                return;
            } catch (RunDirectoryException e) {
                err.println("note: " + dir + " cannot be checked for an interrupted run's leftovers (" + e.getMessage()
                        + "); evaluating its checkpoints as they are");
                return;
            }
            try (run) {
                for (String note : run.recover(null, null).notes()) {
                    err.println("note: repaired " + dir + ": " + note);
                }
            }
            err.flush();
        }

        /**
         * The checkpoint {@code --checkpoint} names, else the one the run's configuration names ({@code
         * evaluateCheckpoint}); falls back to the other one with a note.
         */
        private Path chooseCheckpoint(RunDir dir) {
            if (checkpoint == null) {
                checkpoint = configuredCheckpoint(dir.dir);
            }
            if (!checkpoint.equals("best") && !checkpoint.equals("last")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint " + checkpoint
                        + ": choose best or last");
            }
            Path wanted = dir.dir.resolve(checkpoint + ".ckpt");
            Path other = dir.dir.resolve((checkpoint.equals("best") ? "last" : "best") + ".ckpt");
            if (Files.isRegularFile(wanted)) {
                return wanted;
            }
            if (Files.isRegularFile(other)) {
                spec.commandLine().getErr().println("note: " + dir.dir + " has no " + wanted.getFileName()
                        + "; evaluating " + other.getFileName() + " instead");
                return other;
            }
            throw new CommandLine.ParameterException(spec.commandLine(), dir.dir + " holds no checkpoint (no "
                    + "best.ckpt or last.ckpt): train it first: excon train --preset PRESET [--set KEY=VALUE ...] "
                    + "--out " + dir.dir + " (the same command resumes an interrupted run)");
        }

        /** The run's {@code evaluateCheckpoint}, read from a checkpoint's configuration; best when none can be read. */
        private static String configuredCheckpoint(Path dir) {
            for (String name : List.of(RunDirectory.LAST, RunDirectory.BEST)) {
                Path f = dir.resolve(name);
                if (Files.isRegularFile(f)) {
                    try {
                        return Checkpoint.peek(f).config().evaluateCheckpoint();
                    } catch (RuntimeException e) {
                        // a damaged file: the other one, or the default; loading it later says what is wrong
                    }
                }
            }
            return "best";
        }

        /** The checkpoint's configuration, after checking the run's config.properties says the same. */
        private TrainConfig checkConfig(RunDir dir, TrainConfig fromCheckpoint, Path ckpt) {
            Path file = dir.dir.resolve(RunDirectory.CONFIG);
            if (!Files.isRegularFile(file)) {
                spec.commandLine().getErr().println("note: " + dir.dir + " has no config.properties; using the "
                        + "configuration stored in " + ckpt.getFileName());
                return fromCheckpoint;
            }
            TrainConfig onDisk;
            try {
                onDisk = TrainConfig.fromPropertiesText(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage() + "; delete it to "
                        + "use the configuration stored in " + ckpt.getFileName());
            }
            if (!onDisk.equals(fromCheckpoint)) {
                throw new IllegalStateException(file + " does not match the configuration " + ckpt + " was trained "
                        + "with (" + onDisk.differences(fromCheckpoint, "in the file", "in the checkpoint") + "): "
                        + "restore the file (or delete it to use the checkpoint's configuration)");
            }
            return onDisk;
        }

        /** "validation accuracy 0.8123", or the test accuracy for a run without a validation split. */
        private static String selectionAccuracy(Checkpoint.State s) {
            return s.history().stream().filter(e -> e.epoch() == s.epoch()).findFirst()
                    .map(e -> Double.isNaN(e.validationAccuracy())
                            ? String.format(Locale.ROOT, "test accuracy %.4f, no validation split", e.testAccuracy())
                            : String.format(Locale.ROOT, "validation accuracy %.4f", e.validationAccuracy()))
                    .orElse("accuracy unknown");
        }

        private static void printHeadline(PrintWriter err, ProtocolResult r) {
            StringBuilder b = new StringBuilder(r.run()).append(':');
            int i = 0;
            for (Map.Entry<String, Double> e : r.headline().entrySet()) {
                b.append(i++ % 4 == 0 ? "\n  " : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.4f", e.getValue()));
            }
            err.println(b);
            err.flush();
        }
    }

    /** {@code excon report}. */
    @Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write an HTML report from saved evaluations, without running anything.",
                "One run gets its own page; several are compared side by side. Each RUN must have been evaluated "
                + "(excon evaluate RUN).",
                "Examples:",
                "  excon report runs/quick                  writes runs/quick/report.html",
                "  excon report runs/supcon runs/excon --title \"SupCon vs ExCon\"",
                "                                           writes reports/compare.html"})
    static final class ReportCommand implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "RUN",
                description = "run directories evaluated by excon evaluate (or their evaluation.json files), or one "
                        + "experiment directory (excon sweep): its methods compared over seeds")
        List<Path> runs;

        @Option(names = "--out", paramLabel = "FILE", description = "the HTML file to write (default: RUN/"
                + REPORT_FILE + " for one run, reports/compare.html for several)")
        Path out;

        @Option(names = "--title", paramLabel = "T",
                description = "the page title (default: \"Evaluation of NAME\", or \"A vs B\" for several)")
        String title;

        @Override
        public Integer call() {
            if (runs.size() == 1 && Files.isRegularFile(runs.get(0).resolve(Experiment.MANIFEST))) {
                return experiment(runs.get(0));
            }
            if (out != null && Files.isDirectory(out)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is a directory: give "
                        + "the HTML file to write, e.g. --out " + out.resolve(runs.size() == 1 ? REPORT_FILE
                        : COMPARE_FILE.getFileName().toString()));
            }
            List<Path> files = new ArrayList<>();
            Set<Path> seen = new HashSet<>();
            for (Path r : runs) {
                Path file = evaluationFile(r);
                if (!seen.add(file.toAbsolutePath().normalize())) {
                    throw new CommandLine.ParameterException(spec.commandLine(), r + " is given twice: name each run "
                            + "once");
                }
                files.add(file);
            }
            PrintWriter err = spec.commandLine().getErr();
            List<ProtocolResult> results = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                try {
                    results.add(EvaluationFile.read(files.get(i)).result());
                } catch (EvaluationFile.FormatException e) {
                    return fail(err, e.getMessage() + ". Rewrite it with: excon evaluate "
                            + runDirectory(runs.get(i), files.get(i)));
                } catch (UncheckedIOException e) {
                    return fail(err, e.getMessage());
                }
            }
            results = distinctNames(results);
            Path target = out != null ? out : results.size() == 1 ? defaultSingle(files.get(0)) : COMPARE_FILE;
            dev.excon.report.Report page = results.size() == 1 && title == null
                    ? ProtocolReport.single(results.get(0))
                    : ProtocolReport.compare(title != null ? title : defaultTitle(results), results);
            try {
                page.save(target);
            } catch (UncheckedIOException e) {
                return fail(err, e.getMessage());
            }
            System.out.println(target);
            return 0;
        }

        /**
         * An experiment's comparison over seeds in EXPERIMENT/report.html: the claims of the ExCon-like group against
         * the SupCon-like one (else the second group against the first), every measure, the per-seed chart.
         */
        private int experiment(Path dir) {
            PrintWriter err = spec.commandLine().getErr();
            Experiment e;
            Map<String, Map<Long, Map<String, Double>>> results;
            try {
                e = Experiment.open(dir);
                results = e.results();
            } catch (IllegalArgumentException | UncheckedIOException | EvaluationFile.FormatException x) {
                return fail(err, x.getMessage());
            }
            long evaluated = results.values().stream().mapToLong(Map::size).sum();
            if (results.size() < 2) {
                return fail(err, dir + " has " + evaluated + " evaluated point" + (evaluated == 1 ? "" : "s") + " in "
                        + results.size() + " group" + (results.size() == 1 ? "" : "s") + ": a comparison needs two "
                        + "methods (or settings) evaluated; see excon sweep status " + dir);
            }
            if (evaluated < e.points().size()) {
                err.println("note: " + evaluated + " of " + e.points().size() + " points are evaluated; the report "
                        + "uses those (excon sweep " + dir + " finishes the rest)");
            }
            List<String> groups = List.copyOf(results.keySet());
            String baseline = groups.stream().filter(g -> g.toUpperCase(Locale.ROOT).contains("SUPCON")
                    && !g.toUpperCase(Locale.ROOT).contains("EX")).findFirst().orElse(groups.get(0));
            String method = groups.stream().filter(g -> !g.equals(baseline) && g.toUpperCase(Locale.ROOT)
                    .contains("EXCON")).findFirst().orElse(groups.stream().filter(g -> !g.equals(baseline))
                    .findFirst().orElseThrow());
            Comparison c = Comparison.of(results);
            String caption = "experiment " + dir.toAbsolutePath().normalize() + ", grid " + e.gridValues()
                    + ", base " + e.base().name() + " (" + e.base().epochs() + " epochs)";
            Path target = out != null ? out : dir.resolve(REPORT_FILE);
            try {
                ComparisonReport.page(title != null ? title : method + " vs " + baseline
                        + " over seeds", c, baseline, method, caption).save(target);
            } catch (UncheckedIOException x) {
                return fail(err, x.getMessage());
            }
            for (Claim claim : c.claims(baseline, method)) {
                err.println(claim.name() + ": " + claim.verdict() + String.format(Locale.ROOT,
                        " (difference %.4f, 95%% CI [%.4f, %.4f], paired t p %.3g, n %d)", claim.difference(),
                        claim.ciLow(), claim.ciHigh(), claim.tPValue(), claim.n()));
            }
            System.out.println(target);
            return 0;
        }

        /** A run directory's evaluation.json, or the file itself; usage errors name the fix. */
        private Path evaluationFile(Path r) {
            if (Files.isRegularFile(r)) {
                return r;
            }
            RunDir dir = RunDir.of(spec, r);
            if (!Files.isRegularFile(dir.evaluation())) {
                boolean trained = Files.isRegularFile(r.resolve("best.ckpt"))
                        || Files.isRegularFile(r.resolve("last.ckpt"));
                throw new CommandLine.ParameterException(spec.commandLine(), r + " has not been evaluated (no "
                        + EVALUATION_FILE + "): run excon evaluate " + r + " first"
                        + (trained ? "" : " (and train it before that: it holds no checkpoint either)"));
            }
            return dir.evaluation();
        }

        private static Path runDirectory(Path arg, Path file) {
            return file.equals(arg) && file.getParent() != null ? file.getParent() : arg;
        }

        /** RUN/report.html, or next to a JSON file given directly (a.json -> a.html). */
        private static Path defaultSingle(Path file) {
            String n = file.getFileName().toString();
            String html = n.equals(EVALUATION_FILE) ? REPORT_FILE
                    : (n.endsWith(".json") ? n.substring(0, n.length() - 5) : n) + ".html";
            return file.resolveSibling(html);
        }

        /** Two runs both called {@code quick} (runs/a/quick, runs/b/quick) are told apart by their paths. */
        private List<ProtocolResult> distinctNames(List<ProtocolResult> results) {
            Map<String, Integer> count = new HashMap<>();
            for (ProtocolResult r : results) {
                count.merge(r.run(), 1, Integer::sum);
            }
            List<ProtocolResult> out = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                ProtocolResult r = results.get(i);
                out.add(count.get(r.run()) > 1 ? r.withRun(r.run() + " (" + runs.get(i) + ")") : r);
            }
            return out;
        }

        private static String defaultTitle(List<ProtocolResult> results) {
            List<String> names = new ArrayList<>();
            for (ProtocolResult r : results) {
                names.add(r.run());
            }
            return results.size() == 1 ? "Evaluation of " + names.get(0) : String.join(" vs ", names);
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("error: " + message);
        err.flush();
        return 1;
    }
}
