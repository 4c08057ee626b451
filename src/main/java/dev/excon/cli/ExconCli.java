package dev.excon.cli;

import ai.djl.Device;
import dev.excon.ExconRuntime;
import dev.excon.data.DatasetException;
import dev.excon.train.Checkpoint;
import dev.excon.train.ExconTrainer;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingData;
import dev.excon.train.TrainingDivergedException;
import dev.excon.train.TrainingResult;
import dev.excon.train.TrainingStoppedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code excon}: train, evaluate and report ExCon runs from a terminal. */
@Command(name = "excon", mixinStandardHelpOptions = true, version = "excon 0.1.0",
        description = "Explanation-driven supervised contrastive learning (ExCon) on DJL.",
        subcommands = {ExconCli.Train.class})
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
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: train");
    }

    /** {@code excon train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a run; rerunning the same command resumes it from its last checkpoint.",
                "Example: excon train --preset paper-cifar100 --data data --out runs/cifar100-exconb"})
    static final class Train implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--preset", defaultValue = "quick",
                description = "paper-cifar100, paper-tiny-imagenet or quick (default: ${DEFAULT-VALUE})")
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
            TrainConfig config;
            try {
                config = TrainConfig.preset(preset).toBuilder().build();
                TrainConfig.Builder b = config.toBuilder();
                for (String kv : overrides) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set " + kv + ": write KEY=VALUE, e.g. --set epochs=10");
                    }
                    b.set(kv.substring(0, eq).trim(), kv.substring(eq + 1));
                }
                config = b.build();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (data != null) {
                System.setProperty("excon.data", data.toString());
            }
            Device dev = parseDevice();
            PrintWriter err = spec.commandLine().getErr();
            TrainingData trainingData;
            try {
                trainingData = TrainingData.load(config);
            } catch (DatasetException e) {
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
            } catch (TrainingStoppedException | TrainingDivergedException | Checkpoint.CheckpointException e) {
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

        private Device parseDevice() {
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
    }
}
