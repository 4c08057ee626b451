package dev.excon.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The sbatch array script of {@code excon sweep --backend slurm}: one array task per grid point, the task id being the
 * point's index in grid order, each task running {@code excon sweep EXPERIMENT --point-index $SLURM_ARRAY_TASK_ID}.
 * {@code --requeue} and {@code --open-mode=append}: a preempted or requeued task reruns the same command, which resumes
 * the point from its checkpoint, and its log keeps every attempt. With a {@code --signal} the task requeues itself
 * when the signal arrives (before its time limit), so a training longer than the limit goes on in the next
 * allocation. Pure text: {@link SlurmBackend} submits it.
 */
public final class SlurmScript {

    /** Where the script, the logs and {@code jobs.txt} go, under the experiment directory. */
    public static final String DIRECTORY = "slurm";

    /** The script's file name. */
    public static final String FILE = "sweep.sbatch";

    private SlurmScript() {}

    /**
     * What each task asks of the cluster; a null (or 0 for the counts) leaves the cluster's default.
     *
     * @param gpus GPUs per task ({@code --gpus})
     * @param cpus CPUs per task ({@code --cpus-per-task})
     * @param mem memory per task, in sbatch's syntax ({@code --mem}, e.g. {@code 32G})
     * @param time wall-clock limit ({@code --time}, e.g. {@code 2-00:00:00})
     * @param partition {@code --partition}
     * @param account {@code --account}
     * @param signal {@code --signal}, e.g. {@code B:USR1@300}
     */
    public record Resources(int gpus, int cpus, String mem, String time, String partition, String account,
            String signal) {
        /** The cluster's defaults for everything. */
        public static final Resources DEFAULT = new Resources(0, 0, null, null, null, null, null);

        /** @throws IllegalArgumentException for a negative count or a value with a line break */
        public Resources {
            if (gpus < 0 || cpus < 0) {
                throw new IllegalArgumentException("gpus=" + gpus + ", cpus=" + cpus + ": counts cannot be negative");
            }
            for (String v : new String[] {mem, time, partition, account, signal}) {
                if (v != null && (v.isBlank() || v.contains("\n") || v.contains("\r"))) {
                    throw new IllegalArgumentException("Slurm option value '" + v + "' is blank or spans lines");
                }
            }
            if (signal != null) {
                signal = batchSignal(signal);
            }
        }

        /** The signal's name or number alone ({@code USR1} of {@code B:USR1@300}), or null without a signal. */
        public String signalName() {
            if (signal == null) {
                return null;
            }
            String s = signal.substring(signal.indexOf(':') + 1);
            int at = s.indexOf('@');
            return at < 0 ? s : s.substring(0, at);
        }
    }

    /**
     * The script's text.
     *
     * @param jobName the job's name ({@code --job-name})
     * @param indices the grid indices to run, as array task ids (not empty)
     * @param logDir where the tasks' logs go ({@code logDir/JOB_TASK.out}), absolute
     * @param command the task's command line, {@code $SLURM_ARRAY_TASK_ID} appended by {@link #taskCommand}
     */
    public static String text(String jobName, List<Integer> indices, Path logDir, Resources r, List<String> command) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# Written by excon sweep --backend slurm: one array task per grid point (the task id is the\n")
                .append("# point's index in grid order). A requeued task reruns the same command, which resumes its\n")
                .append("# checkpoint.\n");
        directive(s, "--job-name", jobName);
        directive(s, "--array", arraySpec(indices));
        s.append("#SBATCH --requeue\n");
        s.append("#SBATCH --open-mode=append\n");
        directive(s, "--output", logDir.resolve("%A_%a.out").toString());
        if (r.gpus() > 0) {
            directive(s, "--gpus", Integer.toString(r.gpus()));
        }
        if (r.cpus() > 0) {
            directive(s, "--cpus-per-task", Integer.toString(r.cpus()));
        }
        directive(s, "--mem", r.mem());
        directive(s, "--time", r.time());
        directive(s, "--partition", r.partition());
        directive(s, "--account", r.account());
        directive(s, "--signal", r.signal());
        s.append("set -euo pipefail\n");
        StringBuilder line = new StringBuilder();
        for (String a : command) {
            line.append(line.length() == 0 ? "" : " ").append(a.equals(TASK_ID) ? "\"$SLURM_ARRAY_TASK_ID\""
                    : shellQuote(a));
        }
        if (r.signal() == null) {
            return s.append("exec ").append(line).append('\n').toString();
        }
        // The signal (sent to this shell only, B:) comes before the time limit: the task requeues itself, Slurm
        // stops it, and the rerun resumes the point from its last checkpoint. The shell waits on the task instead
        // of exec'ing it, so that it is alive to receive the signal.
        String sig = r.signalName();
        return s.append("task=\"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n")
                .append("trap 'echo \"excon: ").append(sig).append(" before the time limit: requeueing $task, which "
                        + "resumes from its last checkpoint\" >&2; scontrol requeue \"$task\"' ").append(sig)
                .append('\n')
                // The task ignores the signal (an ignored signal stays ignored across exec), should it reach it too.
                .append("(trap '' ").append(sig).append("; exec ").append(line).append(") &\n")
                .append("pid=$!\n")
                .append("while :; do\n")
                .append("  status=0\n")
                .append("  wait \"$pid\" || status=$?\n")
                .append("  kill -0 \"$pid\" 2>/dev/null || exit \"$status\"  # else the trap interrupted the wait\n")
                .append("done\n").toString();
    }

    /**
     * sbatch's {@code --signal} value with the signal sent to the batch shell ({@code B:}), which the script traps:
     * {@code USR1@300} becomes {@code B:USR1@300}.
     *
     * @throws IllegalArgumentException for a value not of the form {@code [R][B]:SIGNAL[@SECONDS]}
     */
    static String batchSignal(String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:([RB]{1,2}):)?([A-Za-z0-9]+)(@[0-9]+)?")
                .matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("--signal " + spec + ": give SIGNAL@SECONDS, e.g. USR1@300 (the task "
                    + "requeues itself that many seconds before its time limit)");
        }
        String flags = m.group(1) == null ? "" : m.group(1);
        if (!flags.contains("B")) {
            flags += "B";
        }
        return flags + ":" + m.group(2) + (m.group(3) == null ? "" : m.group(3));
    }

    /** The placeholder in a command for the array task id. */
    public static final String TASK_ID = "$SLURM_ARRAY_TASK_ID";

    /**
     * The task's command line: {@code LAUNCHER sweep EXPERIMENT --point-index $SLURM_ARRAY_TASK_ID} then {@code more}
     * (e.g. {@code --data DIR --device gpu}).
     */
    public static List<String> taskCommand(Path launcher, Path experiment, List<String> more) {
        List<String> c = new ArrayList<>(List.of(launcher.toString(), "sweep", experiment.toString(), "--point-index",
                TASK_ID));
        c.addAll(more);
        return c;
    }

    /** Sorted indices as sbatch's {@code --array} list with ranges, e.g. {@code [0,1,2,5]} -> {@code 0-2,5}. */
    public static String arraySpec(List<Integer> indices) {
        if (indices.isEmpty()) {
            throw new IllegalArgumentException("no grid points to submit: the array would be empty");
        }
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(indices));
        if (sorted.get(0) < 0) {
            throw new IllegalArgumentException("negative grid index " + sorted.get(0));
        }
        List<String> parts = new ArrayList<>();
        int start = sorted.get(0);
        int prev = start;
        for (int i = 1; i <= sorted.size(); i++) {
            if (i < sorted.size() && sorted.get(i) == prev + 1) {
                prev = sorted.get(i);
                continue;
            }
            parts.add(start == prev ? Integer.toString(start) : start + "-" + prev);
            if (i < sorted.size()) {
                start = sorted.get(i);
                prev = start;
            }
        }
        return String.join(",", parts);
    }

    /** A single-quoted bash word: {@code it's} -> {@code 'it'\''s'}. */
    static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    // sbatch reads #SBATCH values like a shell word: double quotes keep spaces; a plain value stays readable.
    private static void directive(StringBuilder s, String option, String value) {
        if (value == null) {
            return;
        }
        if (value.contains("\"")) {
            throw new IllegalArgumentException(option + " value " + value + " contains a double quote, which an "
                    + "#SBATCH line cannot carry: choose a path or value without one");
        }
        boolean plain = value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '#' || c == '\\');
        s.append("#SBATCH ").append(option).append('=').append(plain ? value : "\"" + value + "\"").append('\n');
    }
}
