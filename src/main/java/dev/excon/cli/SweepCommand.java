package dev.excon.cli;

import ai.djl.Device;
import dev.excon.ExconRuntime;
import dev.excon.experiment.EvaluationSettings;
import dev.excon.experiment.Experiment;
import dev.excon.experiment.SlurmBackend;
import dev.excon.experiment.SlurmScript;
import dev.excon.train.Checkpoint;
import dev.excon.train.RunDirectory;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code excon sweep}: a grid of runs, trained and evaluated point by point, resumable. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train and evaluate a grid of runs (methods x seeds x any key) in one experiment directory.",
            "The points run one after another. Rerunning the same command skips evaluated points and resumes "
            + "interrupted ones from their checkpoints; a failed point is recorded in EXPERIMENT/failures/ and the "
            + "others go on.",
            "Example: excon sweep experiments/seeds --preset quick --grid method=supcon,excon --grid seed=1,2,3 "
            + "--set epochs=8",
            "Then: excon sweep status experiments/seeds, excon report experiments/seeds."},
        subcommands = SweepCommand.Status.class)
final class SweepCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Optional for picocli, so that "excon sweep status DIR" parses; call() requires it.
    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT", description = "the experiment directory")
    Path experiment;

    @Option(names = "--preset", defaultValue = "quick",
            description = "the base configuration of a new experiment (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--grid", paramLabel = "KEY=V1,V2",
            description = "a grid axis: every combination of the axes is a point, e.g. --grid method=supcon,excon "
                    + "--grid seed=1,2,3 (an existing experiment without --grid is resumed as it is)")
    List<String> grid = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "change one base configuration value")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--point", paramLabel = "ID",
            description = "run only this point (its id, e.g. method=excon,seed=2, or its directory name): to retry "
                    + "a failed one")
    String point;

    @Option(names = "--point-index", paramLabel = "N", hidden = true,
            description = "run only the N-th point in grid order, from 0 (what each Slurm array task runs)")
    Integer pointIndex;

    @Option(names = "--data", paramLabel = "DIR", description = "the data root (default: EXCON_DATA or ./data)")
    Path data;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "default: the GPU when DJL sees one")
    String device;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
            description = "evaluate at most N test images per point (default: 0 = all)")
    int testLimit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", description = "evaluation batch size")
    int batchSize;

    @Option(names = "--epsilons", paramLabel = "EPS", split = ",", defaultValue = "1,2,4,8",
            description = "FGSM and PGD radii in /255 (default: ${DEFAULT-VALUE})")
    double[] epsilons;

    @Option(names = "--no-pgd", description = "skip PGD")
    boolean noPgd;

    @Option(names = "--pgd-limit", paramLabel = "N", defaultValue = "0", description = "PGD images (0 = all)")
    int pgdLimit;

    @Option(names = "--no-corruptions", description = "skip the corruption suite")
    boolean noCorruptions;

    @Option(names = "--corruption-limit", paramLabel = "N", defaultValue = "1000",
            description = "images per corruption and severity (default: ${DEFAULT-VALUE})")
    int corruptionLimit;

    @Option(names = "--tsne", description = "also compute each point's t-SNE (off: a picture, not a number)")
    boolean tsne;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "0",
            description = "local: run up to N points at once, each in its own process (on GPUs one point per GPU, on "
                    + "the CPU the cores shared out); default: one per GPU when DJL sees several, else 1")
    int parallel;

    @Option(names = "--backend", paramLabel = "local|slurm", defaultValue = "local",
            description = "local: run the points here, one after another (default); slurm: submit them as an sbatch "
                    + "array job, one task per point not evaluated yet, and print its job id")
    String backend;

    @Option(names = "--gpus", paramLabel = "N", defaultValue = "0", description = "slurm: GPUs per point")
    int gpus;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "0", description = "slurm: CPUs per point")
    int cpus;

    @Option(names = "--mem", paramLabel = "SIZE", description = "slurm: memory per point, e.g. 32G")
    String mem;

    @Option(names = "--time", paramLabel = "T", description = "slurm: time limit per point, e.g. 2-00:00:00")
    String time;

    @Option(names = "--partition", paramLabel = "P", description = "slurm: the partition")
    String partition;

    @Option(names = "--account", paramLabel = "A", description = "slurm: the account to charge")
    String account;

    @Option(names = "--signal", paramLabel = "SIG@SECONDS", description = "slurm: with --time, e.g. USR1@300: Slurm "
            + "sends the signal that long before the limit and the task requeues itself, resuming from its checkpoint "
            + "in its next allocation (sbatch --signal=B:...)")
    String signal;

    @Override
    public Integer call() {
        if (experiment == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the experiment directory: excon "
                    + "sweep EXPERIMENT --grid KEY=V1,V2 ... (or excon sweep status EXPERIMENT)");
        }
        if (!backend.equals("local") && !backend.equals("slurm")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--backend " + backend + ": choose local or "
                    + "slurm");
        }
        if (point != null && pointIndex != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --point or --point-index, not both");
        }
        if (backend.equals("local")) {
            ExconRuntime.init(); // the Slurm submission needs no engine
        }
        PrintWriter err = spec.commandLine().getErr();
        Experiment e;
        try {
            e = grid.isEmpty() ? Experiment.open(experiment) : Experiment.create(experiment, base(),
                    Experiment.grid(grid.toArray(new String[0])), settings());
        } catch (IllegalArgumentException x) {
            throw new CommandLine.ParameterException(spec.commandLine(), x.getMessage());
        }
        List<Experiment.Point> which;
        try {
            which = point == null ? e.points() : List.of(e.point(point));
        } catch (IllegalArgumentException x) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--point " + x.getMessage());
        }
        if (pointIndex != null) {
            if (pointIndex < 0 || pointIndex >= e.points().size()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--point-index " + pointIndex + ": the "
                        + "experiment has points 0 to " + (e.points().size() - 1));
            }
            which = List.of(e.points().get(pointIndex));
        }
        if (backend.equals("slurm")) {
            return submit(e, which);
        }
        Device dev = ExconCli.parseDevice(spec, device);
        int gpus = dev != null && !dev.isGpu() ? 0 : ExconRuntime.engine().getGpuCount();
        if (parallel < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallel " + parallel + ": give 1 or more "
                    + "(0: one per GPU)");
        }
        int at = parallel > 0 ? parallel : Math.max(1, gpus);
        if (at > 1 && which.size() > 1) { // one point (a Slurm task, a point's own process) runs here
            return inProcesses(e, which, at, gpus);
        }
        ExconCli.DataRoot root = ExconCli.DataRoot.set(data);
        List<Experiment.Point> failed;
        try {
            failed = e.run(which, dev, new Experiment.Listener() {
                @Override
                public void onPoint(Experiment.Point p, int index, int count, Experiment.Status s) {
                    err.printf("[%d/%d] %s: %s%n", index, count, p.id(), s == Experiment.Status.EVALUATED
                            ? "evaluated, skipped" : s.name().toLowerCase() + ", running");
                    err.flush();
                }

                @Override
                public void onPointEnd(Experiment.Point p, Experiment.Status s, String failure) {
                    err.println(failure == null ? "  evaluated: " + p.dir().resolve(Experiment.EVALUATION)
                            : "  FAILED: " + failure + " (" + e.failureFile(p) + ")");
                    err.flush();
                }

                @Override
                public TrainingListener training(Experiment.Point p) {
                    return new TerminalProgress(System.err, System.console() != null);
                }
            });
        } catch (dev.excon.train.TrainingStoppedException x) {
            err.println("error: " + x.getMessage() + ". Run the same command again to resume.");
            return 1;
        } finally {
            root.close();
        }
        return finish(e, which, failed);
    }

    private int finish(Experiment e, List<Experiment.Point> which, List<Experiment.Point> failed) {
        PrintWriter err = spec.commandLine().getErr();
        if (!failed.isEmpty()) {
            err.println("error: " + failed.size() + " of " + which.size() + " points failed: "
                    + failed.stream().map(Experiment.Point::id).toList() + ". "
                    + e.directory().resolve(Experiment.FAILURES)
                    + " says why; fix it, then run this command again (or --point ID for one point)");
            return 1;
        }
        spec.commandLine().getOut().println(experiment.toAbsolutePath());
        return 0;
    }

    private int submit(Experiment e, List<Experiment.Point> which) {
        PrintWriter err = spec.commandLine().getErr();
        String launcher = System.getProperty("excon.launcher");
        if (launcher == null) {
            err.println("error: --backend slurm needs the path of bin/excon for the tasks to run: start excon through "
                    + "bin/excon (it sets -Dexcon.launcher), or pass -Dexcon.launcher=/path/to/bin/excon");
            return 1;
        }
        SlurmScript.Resources resources;
        try {
            resources = new SlurmScript.Resources(gpus, cpus, mem, time, partition, account, signal);
        } catch (IllegalArgumentException x) {
            throw new CommandLine.ParameterException(spec.commandLine(), x.getMessage());
        }
        SlurmBackend slurm = SlurmBackend.fromEnvironment();
        Map<Integer, SlurmBackend.TaskState> queued;
        try {
            queued = slurm.queue(e).orElse(Map.of());
        } catch (IllegalStateException x) {
            err.println("warning: " + x.getMessage() + "; submitting without knowing what is queued");
            queued = Map.of();
        }
        List<Integer> indices = new ArrayList<>();
        for (Experiment.Point p : which) {
            int i = e.points().indexOf(p);
            SlurmBackend.TaskState q = queued.get(i);
            if (q != null) {
                err.println(p.id() + ": already in the queue (" + q.taskId() + " " + q.state() + "), not submitted");
            } else if (point == null && pointIndex == null && e.status(p) == Experiment.Status.EVALUATED) {
                continue; // asked for by name, an evaluated point is resubmitted: its task skips it at once
            } else {
                indices.add(i);
            }
        }
        if (indices.isEmpty()) {
            err.println("nothing to submit: every point asked for is evaluated or queued (excon sweep status "
                    + e.directory() + ")");
            return 0;
        }
        List<String> more = taskArguments();
        SlurmBackend.Job job;
        try {
            job = slurm.submit(e, indices, resources, SlurmScript.taskCommand(Path.of(launcher).toAbsolutePath(),
                    e.directory().toAbsolutePath().normalize(), more));
        } catch (IllegalStateException x) {
            err.println("error: " + x.getMessage());
            return 1;
        }
        err.println("submitted " + indices.size() + " of " + e.points().size() + " points as array job " + job.id()
                + " (" + SlurmBackend.directory(e).resolve(SlurmScript.FILE) + "; logs "
                + SlurmBackend.directory(e).resolve(job.id() + "_INDEX.out") + ")");
        spec.commandLine().getOut().println(job.id());
        return 0;
    }

    /** Up to {@code at} points at once, each in its own process (see {@link ProcessSweep}). */
    private int inProcesses(Experiment e, List<Experiment.Point> which, int at, int gpus) {
        PrintWriter err = spec.commandLine().getErr();
        String launcher = System.getProperty("excon.launcher");
        if (launcher == null) {
            err.println("error: --parallel needs the path of bin/excon for the points' processes: start excon through "
                    + "bin/excon (it sets -Dexcon.launcher), or pass -Dexcon.launcher=/path/to/bin/excon");
            return 1;
        }
        err.println("running up to " + at + " points at once, each in its own process"
                + (gpus > 0 ? " (" + gpus + " GPUs)" : " on the CPU"));
        List<Experiment.Point> failed;
        try {
            failed = new ProcessSweep(e, Path.of(launcher).toAbsolutePath(), taskArguments(), at, gpus, err)
                    .run(which);
        } catch (IOException x) {
            err.println("error: " + x.getMessage());
            return 1;
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            err.println("error: stopped. Run the same command again to resume.");
            return 1;
        }
        return finish(e, which, failed);
    }

    /** What a point's own process needs after {@code --point-index I}: the data root and the device. */
    private List<String> taskArguments() {
        List<String> more = new ArrayList<>();
        if (data != null) {
            more.addAll(List.of("--data", data.toAbsolutePath().normalize().toString()));
        }
        if (device != null) {
            more.addAll(List.of("--device", device));
        }
        return more;
    }

    private TrainConfig base() {
        return ExconCli.configuration(spec, preset, overrides);
    }

    private EvaluationSettings settings() {
        try {
            return new EvaluationSettings(testLimit, batchSize, epsilons, !noPgd, pgdLimit, !noCorruptions,
                    corruptionLimit, tsne);
        } catch (IllegalArgumentException x) {
            throw new CommandLine.ParameterException(spec.commandLine(), x.getMessage());
        }
    }

    /** {@code excon sweep status EXPERIMENT}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Where each point of an experiment stands: pending, partial (epoch k of n), trained, "
                + "evaluated or failed (with the first line of its message in EXPERIMENT/failures/). For points "
                + "submitted with --backend slurm: the task's queue state (PENDING, RUNNING, ...) while squeue lists "
                + "it, else the path of its log EXPERIMENT/slurm/JOB_INDEX.out when the point is not evaluated.",
                "Exit status: 0 every point evaluated, 1 some are not, 2 bad arguments."})
    static final class Status implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "the experiment directory")
        Path experiment;

        @Override
        public Integer call() {
            Experiment e;
            try {
                e = Experiment.open(experiment);
            } catch (IllegalArgumentException x) {
                throw new CommandLine.ParameterException(spec.commandLine(), x.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            List<SlurmBackend.Job> jobs = SlurmBackend.jobs(e);
            Map<Integer, SlurmBackend.TaskState> queue = Map.of();
            try {
                queue = SlurmBackend.fromEnvironment().queue(e).orElse(Map.of());
            } catch (IllegalStateException x) {
                spec.commandLine().getErr().println("warning: " + x.getMessage() + "; queue states not shown");
            }
            int done = 0;
            for (int i = 0; i < e.points().size(); i++) {
                Experiment.Point p = e.points().get(i);
                Experiment.Status s = e.status(p);
                String detail = switch (s) {
                    case PARTIAL -> " (epoch " + epoch(p) + " of " + p.config().epochs() + ")";
                    case FAILED -> ": " + firstLine(e.failureFile(p));
                    default -> "";
                };
                SlurmBackend.TaskState q = queue.get(i);
                if (q != null) {
                    detail += " [slurm " + q.taskId() + " " + q.state() + "]";
                } else if (s != Experiment.Status.EVALUATED) {
                    // Submitted, out of the queue, not evaluated: its log says why (a failure, a time limit, ...).
                    int index = i;
                    detail += SlurmBackend.lastJob(jobs, i).map(j -> SlurmBackend.log(e, j.id(), index))
                            .filter(Files::exists).map(f -> " [slurm log " + f + "]").orElse("");
                }
                out.printf("%-10s %s%s%n", s.name().toLowerCase(), p.id(), detail);
                done += s == Experiment.Status.EVALUATED ? 1 : 0;
            }
            out.printf("%d of %d points evaluated%n", done, e.points().size());
            return done == e.points().size() ? 0 : 1;
        }

        private static String epoch(Experiment.Point p) {
            try {
                return Integer.toString(Checkpoint.peek(p.dir().resolve(RunDirectory.LAST)).epoch());
            } catch (RuntimeException x) {
                return "?";
            }
        }

        private static String firstLine(Path f) {
            try {
                return Files.readAllLines(f, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException x) {
                return "(" + f + " unreadable: " + x.getMessage() + ")";
            }
        }
    }
}
