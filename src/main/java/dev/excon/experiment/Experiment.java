package dev.excon.experiment;

import dev.excon.AtomicFiles;
import dev.excon.eval.EvaluationFile;
import dev.excon.eval.ProtocolResult;
import dev.excon.train.Checkpoint;
import dev.excon.train.ExconTrainer;
import dev.excon.train.RunDirectory;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingData;
import dev.excon.train.TrainingListener;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A grid of runs under one directory: every combination of the grid's values (e.g. {@code method=supcon,excon} x
 * {@code seed=1,2,3}) applied to a base configuration is a point with its own run directory, {@code
 * EXPERIMENT/runs/method-supcon_seed-1/}. {@code experiment.properties} records the base configuration, the grid and
 * the evaluation settings; opening the directory again with other ones is refused, so points stay comparable.
 *
 * <p>{@link #run} trains and then evaluates each point in grid order, one after another: an evaluated point is
 * skipped, an interrupted one resumes from its checkpoint (its run directory's guarantees), and a point that fails
 * is recorded in {@code EXPERIMENT/failures/POINT.txt} (outside its run directory, which may be what failed) while
 * the others go on.
 *
 * <pre>{@code
 * Experiment e = Experiment.create(Path.of("experiments/seeds"), TrainConfig.preset("quick"),
 *         Experiment.grid("method=supcon,excon", "seed=1,2,3"), EvaluationSettings.DEFAULT);
 * e.run(null, listener);
 * }</pre>
 */
public final class Experiment {

    /** The manifest's file name. */
    public static final String MANIFEST = "experiment.properties";

    /** Where the points' run directories live. */
    public static final String RUNS = "runs";

    /** Where failed points' messages go, one file per point. */
    public static final String FAILURES = "failures";

    /** A point's evaluation. */
    public static final String EVALUATION = "evaluation.json";

    private final Path dir;
    private final TrainConfig base;
    private final Map<String, List<String>> grid;
    private final EvaluationSettings evaluation;
    private final List<Point> points;

    private Experiment(Path dir, TrainConfig base, Map<String, List<String>> grid, EvaluationSettings evaluation) {
        this.dir = dir;
        this.base = base;
        this.grid = grid;
        this.evaluation = evaluation;
        this.points = expand();
    }

    /**
     * Parses grid options such as {@code "method=supcon,excon"} into an ordered grid.
     *
     * @throws IllegalArgumentException for a malformed entry, an empty value or a key given twice
     */
    public static Map<String, List<String>> grid(String... entries) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("grid entry '" + e + "': write KEY=V1,V2,..., e.g. seed=1,2,3");
            }
            String key = e.substring(0, eq).trim();
            List<String> values = Arrays.stream(e.substring(eq + 1).split(",")).map(String::trim).toList();
            if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("grid entry '" + e + "' has an empty value: write KEY=V1,V2,...");
            }
            if (new TreeSet<>(values).size() != values.size()) {
                throw new IllegalArgumentException("grid entry '" + e + "' repeats a value");
            }
            if (g.put(key, values) != null) {
                throw new IllegalArgumentException("grid key '" + key + "' is given twice: list its values once, "
                        + "comma-separated");
            }
        }
        return g;
    }

    /**
     * Creates the experiment in {@code dir}, or opens it when its manifest says the same.
     *
     * @throws IllegalArgumentException if a grid value is not a valid configuration value (naming the point), or
     *     the directory holds an experiment with another base, grid or evaluation (naming what differs)
     */
    public static Experiment create(Path dir, TrainConfig base, Map<String, List<String>> grid,
            EvaluationSettings evaluation) {
        if (grid.isEmpty()) {
            throw new IllegalArgumentException("the grid is empty: give at least one KEY=V1,V2 (e.g. seed=1,2,3)");
        }
        Experiment e = new Experiment(dir, base, new LinkedHashMap<>(grid), evaluation);
        Path manifest = dir.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            Experiment existing = open(dir);
            String diff = existing.differences(e);
            if (!diff.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds an experiment with other settings (" + diff + "): "
                        + "run it with its own settings (excon sweep " + dir + " alone resumes it), or choose "
                        + "another directory");
            }
            return existing;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException x) {
            throw new UncheckedIOException("cannot create " + dir + ": " + x.getMessage(), x);
        }
        AtomicFiles.writeString(manifest, e.manifestText());
        return e;
    }

    /**
     * Opens the experiment in {@code dir} from its manifest.
     *
     * @throws IllegalArgumentException if there is no manifest or it cannot be read (naming the file and the key)
     */
    public static Experiment open(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException(dir + " holds no experiment (no " + MANIFEST + "): start one with excon "
                    + "sweep " + dir + " --grid KEY=V1,V2 ...");
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(manifest, StandardCharsets.UTF_8)));
        } catch (IOException x) {
            throw new UncheckedIOException("cannot read " + manifest + ": " + x.getMessage(), x);
        }
        Map<String, String> all = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            all.put(k, p.getProperty(k));
        }
        try {
            Properties config = new Properties();
            all.forEach((k, v) -> {
                if (k.startsWith("base.")) {
                    config.setProperty(k.substring(5), v);
                }
            });
            TrainConfig base = TrainConfig.fromProperties(config);
            String keys = all.get("grid.keys");
            if (keys == null) {
                throw new IllegalArgumentException("missing grid.keys");
            }
            List<String> entries = new ArrayList<>();
            for (String k : keys.split(",")) {
                String values = all.get("grid." + k);
                if (values == null) {
                    throw new IllegalArgumentException("missing grid." + k);
                }
                entries.add(k + "=" + values);
            }
            return new Experiment(dir, base, grid(entries.toArray(new String[0])),
                    EvaluationSettings.fromProperties(all, "evaluation."));
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException(manifest + " is damaged: " + x.getMessage() + "; restore it or start "
                    + "the experiment in another directory", x);
        }
    }

    /** A grid point: its values, configuration and run directory. */
    public record Point(String id, Map<String, String> values, TrainConfig config, Path dir) {
        /** The seed of the point's configuration. */
        public long seed() {
            return config.seed();
        }

        /**
         * The point's label without its seed: points that differ only in seed share it. The method's name ({@code
         * EXCON}) when the grid varies only method and seed, else the values, e.g. {@code method=excon,temperature=0.2}.
         */
        public String group() {
            List<String> parts = new ArrayList<>();
            values.forEach((k, v) -> {
                if (!k.equals("seed")) {
                    parts.add(k + "=" + v);
                }
            });
            boolean methodOnly = parts.isEmpty() || (parts.size() == 1 && values.containsKey("method"));
            return methodOnly ? config.method().name() : String.join(",", parts);
        }
    }

    /** Where a point stands. */
    public enum Status {
        /** Nothing trained yet. */
        PENDING,
        /** A checkpoint before the last epoch: the next run resumes it. */
        PARTIAL,
        /** Trained to the end, not evaluated. */
        TRAINED,
        /** Trained and evaluated: skipped by {@link #run}. */
        EVALUATED,
        /** The last attempt failed: {@link #failureFile} says why; the next run tries again. */
        FAILED
    }

    private List<Point> expand() {
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : grid.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Point> out = new ArrayList<>();
        for (Map<String, String> c : combos) {
            String id = String.join(",", c.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).toList());
            TrainConfig.Builder b = base.toBuilder();
            TrainConfig config;
            try {
                c.forEach(b::set);
                config = b.build();
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("grid point " + id + ": " + x.getMessage(), x);
            }
            String name = String.join("_", c.entrySet().stream()
                    .map(x -> x.getKey() + "-" + x.getValue().replaceAll("[^A-Za-z0-9.]", "_").toLowerCase())
                    .toList());
            out.add(new Point(id, java.util.Collections.unmodifiableMap(c), config, dir.resolve(RUNS).resolve(name)));
        }
        return List.copyOf(out);
    }

    /** The experiment's directory. */
    public Path directory() {
        return dir;
    }

    /** The configuration every point starts from. */
    public TrainConfig base() {
        return base;
    }

    /** The grid, in order. */
    public Map<String, List<String>> gridValues() {
        return java.util.Collections.unmodifiableMap(grid);
    }

    /** The evaluation settings. */
    public EvaluationSettings evaluation() {
        return evaluation;
    }

    /** Every point, in grid order (the last key varies fastest). */
    public List<Point> points() {
        return points;
    }

    /** The point with this id or directory name. */
    public Point point(String idOrName) {
        for (Point p : points) {
            if (p.id().equals(idOrName) || p.dir().getFileName().toString().equals(idOrName)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no point '" + idOrName + "' in " + dir + "; points: "
                + points.stream().map(Point::id).toList());
    }

    /** The file that holds a point's last failure, if it failed. */
    public Path failureFile(Point p) {
        return dir.resolve(FAILURES).resolve(p.dir().getFileName() + ".txt");
    }

    /** Where a point stands, read from its run directory. */
    public Status status(Point p) {
        Path d = p.dir();
        if (Files.exists(failureFile(p))) {
            return Status.FAILED;
        }
        Path last = d.resolve(RunDirectory.LAST);
        if (!Files.isRegularFile(last)) {
            return Status.PENDING;
        }
        int epoch;
        try {
            epoch = Checkpoint.peek(last).epoch();
        } catch (RuntimeException e) {
            return Status.PARTIAL; // training repairs it (previous.ckpt, best.ckpt) when it starts
        }
        if (epoch < p.config().epochs()) {
            return Status.PARTIAL;
        }
        Path eval = d.resolve(EVALUATION);
        try {
            if (Files.isRegularFile(eval)
                    && Files.getLastModifiedTime(eval).compareTo(Files.getLastModifiedTime(last)) >= 0) {
                return Status.EVALUATED;
            }
        } catch (IOException e) {
            return Status.TRAINED;
        }
        return Status.TRAINED;
    }

    /** What a run reports. */
    public interface Listener {
        /** A point starts (it was in {@code status}). */
        default void onPoint(Point point, int index, int count, Status status) {}

        /** A point is done (evaluated) or failed ({@code failure} non-null). */
        default void onPointEnd(Point point, Status status, String failure) {}

        /** The training listener for a point's trainer, or null. */
        default TrainingListener training(Point point) {
            return null;
        }

        /** A line of evaluation progress. */
        default void onProgress(String line) {}
    }

    /**
     * Trains and evaluates every point that is not evaluated yet, one after another on {@code device} (null = the
     * default device). A point that throws is recorded in its {@link #failureFile} and the rest go on; a stop request
     * (a thread interrupt) ends the run at once.
     *
     * @return the points that failed in this run
     */
    public List<Point> run(ai.djl.Device device, Listener listener) {
        return run(points, device, listener);
    }

    /** As {@link #run(ai.djl.Device, Listener)} for some of the points only (e.g. one failed point again). */
    public List<Point> run(List<Point> which, ai.djl.Device device, Listener listener) {
        Listener l = listener != null ? listener : new Listener() {};
        List<Point> failed = new ArrayList<>();
        int i = 0;
        for (Point p : which) {
            i++;
            Status s = status(p);
            l.onPoint(p, i, which.size(), s);
            if (s == Status.EVALUATED) {
                continue;
            }
            try {
                trainAndEvaluate(p, device, l);
                Files.deleteIfExists(failureFile(p));
                l.onPointEnd(p, Status.EVALUATED, null);
            } catch (dev.excon.train.TrainingStoppedException e) {
                throw e;
            } catch (RuntimeException | IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new dev.excon.train.TrainingStoppedException("stopped at point " + p.id() + ": "
                            + e.getMessage());
                }
                String message = e.getClass().getSimpleName() + ": " + e.getMessage();
                try {
                    Files.createDirectories(failureFile(p).getParent());
                    AtomicFiles.writeString(failureFile(p), message + "\n");
                } catch (IOException | UncheckedIOException w) {
                    message += " (and " + failureFile(p) + " could not be written: " + w.getMessage() + ")";
                }
                failed.add(p);
                l.onPointEnd(p, Status.FAILED, message);
            }
        }
        return failed;
    }

    private void trainAndEvaluate(Point p, ai.djl.Device device, Listener l) {
        TrainConfig config = p.config();
        TrainingData data = TrainingData.load(config);
        try (ExconTrainer t = ExconTrainer.create(config, data, p.dir(), device)) {
            TrainingListener tl = l.training(p);
            if (tl != null) {
                t.addListener(tl);
            }
            t.fit();
            Path ckpt = p.dir().resolve(config.evaluateCheckpoint() + ".ckpt");
            Checkpoint.State state = t.restore(ckpt);
            // Evaluated in fp32 whatever the point trained in (as excon evaluate by default), so that points
            // differing in precision are compared on the same measurement.
            t.network().setPrecision(dev.excon.model.Precision.FP32);
            ProtocolResult r = evaluation.protocol(config, config.seed(), l::onProgress)
                    .evaluate(p.id(), t.network(), data.validation(), data.test(), t.provenance());
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("experiment", dir.toAbsolutePath().normalize().toString());
            notes.put("point", p.id());
            notes.put("checkpoint", ckpt.getFileName() + ", epoch " + state.epoch() + " of " + config.epochs());
            new EvaluationFile(r, notes).write(p.dir().resolve(EVALUATION));
        }
    }

    /**
     * The evaluated points' headline numbers ({@link ProtocolResult#headline()}), grouped by {@link Point#group()}
     * then seed: what {@code Comparison} takes.
     */
    public Map<String, Map<Long, Map<String, Double>>> results() {
        Map<String, Map<Long, Map<String, Double>>> out = new LinkedHashMap<>();
        for (Point p : points) {
            if (status(p) != Status.EVALUATED) {
                continue;
            }
            ProtocolResult r = EvaluationFile.read(p.dir().resolve(EVALUATION)).result();
            out.computeIfAbsent(p.group(), k -> new TreeMap<>()).put(p.seed(), r.headline());
        }
        return out;
    }

    private String manifestText() {
        Map<String, String> m = new TreeMap<>();
        Properties config = base.toProperties();
        for (String k : config.stringPropertyNames()) {
            m.put("base." + k, config.getProperty(k));
        }
        m.put("grid.keys", String.join(",", grid.keySet()));
        grid.forEach((k, v) -> m.put("grid." + k, String.join(",", v)));
        m.putAll(evaluation.toProperties("evaluation."));
        StringBuilder text = new StringBuilder("# ExCon experiment: base configuration, grid, evaluation\n");
        for (Map.Entry<String, String> e : m.entrySet()) {
            Properties one = new Properties();
            one.setProperty(e.getKey(), e.getValue());
            StringWriter w = new StringWriter();
            try {
                one.store(w, null);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> text.append(l).append('\n'));
        }
        return text.toString();
    }

    /** What differs from another experiment's settings, e.g. {@code "grid.seed=1,2 there, 1,2,3 now"}. */
    private String differences(Experiment now) {
        Properties a = new Properties();
        Properties b = new Properties();
        try {
            a.load(new StringReader(manifestText()));
            b.load(new StringReader(now.manifestText()));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        List<String> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(a.stringPropertyNames());
        keys.addAll(b.stringPropertyNames());
        for (String k : keys) {
            String x = a.getProperty(k);
            String y = b.getProperty(k);
            if (x == null || !x.equals(y)) {
                out.add(k + "=" + x + " there, " + y + " now");
            }
        }
        return String.join("; ", out);
    }

    @Override
    public String toString() {
        return "Experiment[" + dir + ", " + points.size() + " points, grid " + grid + "]";
    }
}
