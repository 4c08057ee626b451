package dev.excon.experiment;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs an experiment's points on a Slurm cluster: writes {@link SlurmScript}'s array script to {@code
 * EXPERIMENT/slurm/sweep.sbatch}, submits it with {@code sbatch --parsable}, appends the job id and its grid indices
 * to {@code EXPERIMENT/slurm/jobs.txt}; and reads back the tasks' queue states with {@code squeue}. The Slurm commands
 * are looked up on the given environment's {@code PATH} and run with that environment (e.g. its {@code SLURM_CONF}).
 */
public final class SlurmBackend {

    /** One line per submission: {@code JOB_ID INDICES} (e.g. {@code 4711 0-2,5}). */
    public static final String JOBS = "jobs.txt";

    private final Map<String, String> environment;

    /** A backend that runs the Slurm commands with this environment. */
    public SlurmBackend(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** A backend with this process's environment. */
    public static SlurmBackend fromEnvironment() {
        return new SlurmBackend(System.getenv());
    }

    /** A submitted array job and the grid indices it runs (its array task ids). */
    public record Job(String id, List<Integer> indices) {}

    /** An array task in the queue: its job, the grid index (task id) and Slurm's state, e.g. {@code PENDING}. */
    public record TaskState(String job, int index, String state) {
        /** {@code JOB_TASK}, as {@code scontrol} and the log file name write it. */
        public String taskId() {
            return job + "_" + index;
        }
    }

    /** The directory of the script, logs and job list. */
    public static Path directory(Experiment e) {
        return e.directory().resolve(SlurmScript.DIRECTORY);
    }

    /** A task's log file, {@code EXPERIMENT/slurm/JOB_INDEX.out}. */
    public static Path log(Experiment e, String job, int index) {
        return directory(e).resolve(job + "_" + index + ".out");
    }

    /**
     * Writes the script for these grid indices and submits it.
     *
     * @param command the task command ({@link SlurmScript#taskCommand})
     * @return the job
     * @throws IllegalStateException if sbatch is not on PATH or fails (with its message)
     */
    public Job submit(Experiment e, List<Integer> indices, SlurmScript.Resources resources, List<String> command) {
        Path dir = directory(e).toAbsolutePath();
        String name = "excon-" + e.directory().toAbsolutePath().normalize().getFileName();
        Path script = dir.resolve(SlurmScript.FILE);
        String sbatch = executable("sbatch").orElseThrow(() -> new IllegalStateException("Slurm's sbatch is not on "
                + "PATH: install slurm-client or run without --backend slurm"));
        try {
            Files.createDirectories(dir);
            dev.excon.AtomicFiles.writeString(script, SlurmScript.text(name, indices, dir, resources, command));
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write " + script + ": " + x.getMessage(), x);
        }
        Result r = run(List.of(sbatch, "--parsable", script.toString()));
        if (r.code != 0) {
            throw new IllegalStateException("sbatch " + script + " failed (exit " + r.code + "): " + r.err.strip());
        }
        // --parsable prints JOBID or JOBID;CLUSTER.
        String id = r.out.strip().split(";", 2)[0];
        if (!id.matches("[0-9]+")) {
            throw new IllegalStateException("sbatch printed '" + r.out.strip() + "', not a job id");
        }
        Job job = new Job(id, List.copyOf(indices));
        try {
            Files.writeString(dir.resolve(JOBS), id + " " + SlurmScript.arraySpec(indices) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException x) {
            throw new UncheckedIOException("job " + id + " is submitted but " + dir.resolve(JOBS) + " could not be "
                    + "written: " + x.getMessage(), x);
        }
        return job;
    }

    /** The experiment's submissions, oldest first (none when it never used Slurm). */
    public static List<Job> jobs(Experiment e) {
        Path f = directory(e).resolve(JOBS);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        List<Job> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 2 && parts[0].matches("[0-9]+")) {
                    out.add(new Job(parts[0], parseArray(parts[1])));
                }
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot read " + f + ": " + x.getMessage(), x);
        }
        return out;
    }

    /** The latest submission that ran this grid index. */
    public static Optional<Job> lastJob(List<Job> jobs, int index) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            if (jobs.get(i).indices().contains(index)) {
                return Optional.of(jobs.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * The queue state of the experiment's array tasks by grid index (a later submission wins), or empty when the
     * experiment has no Slurm jobs or squeue is not on PATH. Tasks that left the queue are absent.
     *
     * @throws IllegalStateException if squeue fails (with its message)
     */
    public Optional<Map<Integer, TaskState>> queue(Experiment e) {
        List<Job> jobs = jobs(e);
        Optional<String> squeue = executable("squeue");
        if (jobs.isEmpty() || squeue.isEmpty()) {
            return Optional.empty();
        }
        // All of this user's tasks, filtered here: squeue --jobs fails outright once a listed job has been purged.
        Result r = run(List.of(squeue.get(), "--noheader", "--array", "--format=%i|%F|%K|%T",
                "--user=" + System.getProperty("user.name")));
        if (r.code != 0) {
            throw new IllegalStateException("squeue failed (exit " + r.code + "): " + r.err.strip());
        }
        Set<String> ids = new HashSet<>();
        jobs.forEach(j -> ids.add(j.id()));
        Map<Integer, TaskState> byIndex = new LinkedHashMap<>();
        for (String line : r.out.lines().toList()) {
            String[] f = line.strip().split("\\|");
            if (f.length != 4 || !ids.contains(f[1]) || !f[2].matches("[0-9]+")) {
                continue;
            }
            int index = Integer.parseInt(f[2]);
            TaskState t = new TaskState(f[1], index, f[3]);
            TaskState old = byIndex.get(index);
            if (old == null || Long.parseLong(old.job()) < Long.parseLong(t.job())) {
                byIndex.put(index, t);
            }
        }
        return Optional.of(byIndex);
    }

    /** Inverse of {@link SlurmScript#arraySpec}. */
    static List<Integer> parseArray(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                out.add(Integer.parseInt(part));
            } else {
                for (int i = Integer.parseInt(part.substring(0, dash)); i <= Integer.parseInt(part.substring(dash + 1));
                        i++) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    /** The command's absolute path on the environment's PATH (not this JVM's: ProcessBuilder would use that). */
    Optional<String> executable(String name) {
        String path = environment.getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).map(Path::toString).findFirst();
    }

    private record Result(int code, String out, String err) {}

    private Result run(List<String> command) {
        Path err = null;
        try {
            err = Files.createTempFile("excon-slurm", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File(
                    "/dev/null"))).redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().putAll(environment);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            return new Result(code, out, Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException x) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + x.getMessage(), x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), x);
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
