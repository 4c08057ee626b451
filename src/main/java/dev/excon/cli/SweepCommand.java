package dev.excon.cli;

import ai.djl.Device;
import dev.excon.ExconRuntime;
import dev.excon.experiment.EvaluationSettings;
import dev.excon.experiment.Experiment;
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

    @Override
    public Integer call() {
        if (experiment == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the experiment directory: excon "
                    + "sweep EXPERIMENT --grid KEY=V1,V2 ... (or excon sweep status EXPERIMENT)");
        }
        ExconRuntime.init();
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
        Device dev = ExconCli.parseDevice(spec, device);
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
                + "evaluated or failed (with the first line of its message in EXPERIMENT/failures/).",
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
            int done = 0;
            for (Experiment.Point p : e.points()) {
                Experiment.Status s = e.status(p);
                String detail = switch (s) {
                    case PARTIAL -> " (epoch " + epoch(p) + " of " + p.config().epochs() + ")";
                    case FAILED -> ": " + firstLine(e.failureFile(p));
                    default -> "";
                };
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
