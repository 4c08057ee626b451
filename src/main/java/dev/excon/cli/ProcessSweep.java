package dev.excon.cli;

import dev.excon.experiment.Experiment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code excon sweep --parallel N}: up to N points at once, each in its own process ({@code LAUNCHER sweep EXPERIMENT
 * --point-index I}, what a Slurm task runs). Processes, not threads: DJL's PyTorch engine allows one gradient collector
 * per process, so two trainings cannot share a JVM. On GPUs each process sees one GPU ({@code CUDA_VISIBLE_DEVICES});
 * on the CPU the cores are shared out ({@code ai.djl.pytorch.num_threads}). Each process's output goes to {@code
 * EXPERIMENT/logs/POINT.log}; a failed point is recorded by its process in {@code EXPERIMENT/failures/} as in a run
 * one after another.
 */
final class ProcessSweep {

    /** Where the processes' logs go, under the experiment directory. */
    static final String LOGS = "logs";

    private final Experiment experiment;
    private final Path launcher;
    private final List<String> more;
    private final int parallel;
    private final int gpus;
    private final PrintWriter err;
    private final Map<Integer, Process> running = new LinkedHashMap<>();

    /**
     * @param more arguments after {@code --point-index I} (e.g. {@code --data DIR})
     * @param gpus GPUs to share out (process k gets GPU k mod gpus), 0 for the CPU
     */
    ProcessSweep(Experiment experiment, Path launcher, List<String> more, int parallel, int gpus, PrintWriter err) {
        this.experiment = experiment;
        this.launcher = launcher;
        this.more = List.copyOf(more);
        this.parallel = parallel;
        this.gpus = gpus;
        this.err = err;
    }

    private record Finished(int slot, Experiment.Point point, int exitCode) {}

    /**
     * Runs {@code which} (evaluated points skipped) and returns those that failed, in grid order.
     *
     * @throws InterruptedException when this thread is interrupted; the running processes are stopped first (each
     *     stops at a step boundary, its checkpoints whole)
     */
    List<Experiment.Point> run(List<Experiment.Point> which) throws IOException, InterruptedException {
        Files.createDirectories(experiment.directory().resolve(LOGS));
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        Deque<Integer> free = new ArrayDeque<>();
        for (int s = 0; s < parallel; s++) {
            free.add(s);
        }
        List<Experiment.Point> failed = new ArrayList<>();
        Thread stopper = new Thread(this::stopAll, "excon-sweep-stop");
        Runtime.getRuntime().addShutdownHook(stopper); // a kill of this process stops its children too
        try {
            int n = which.size();
            for (int i = 0; i < n; i++) {
                Experiment.Point p = which.get(i);
                Experiment.Status s = experiment.status(p);
                if (s == Experiment.Status.EVALUATED) {
                    say("[%d/%d] %s: evaluated, skipped", i + 1, n, p.id());
                    continue;
                }
                while (free.isEmpty()) {
                    free.add(collect(finished.take(), failed));
                }
                int slot = free.poll();
                Path log = experiment.directory().resolve(LOGS).resolve(p.dir().getFileName() + ".log");
                Process proc = start(p, slot, log);
                synchronized (running) {
                    running.put(slot, proc);
                }
                say("[%d/%d] %s: %s, started on %s (log %s)", i + 1, n, p.id(), s.name().toLowerCase(),
                        gpus > 0 ? "GPU " + slot % gpus : "the CPU, " + threads() + " threads", log);
                proc.onExit().thenAccept(x -> finished.add(new Finished(slot, p, x.exitValue())));
            }
            while (free.size() < parallel) {
                free.add(collect(finished.take(), failed));
            }
        } catch (InterruptedException e) {
            stopAll();
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        List<Experiment.Point> inOrder = new ArrayList<>(which);
        inOrder.retainAll(failed);
        return inOrder;
    }

    private int collect(Finished f, List<Experiment.Point> failed) {
        synchronized (running) {
            running.remove(f.slot());
        }
        if (f.exitCode() == 0 && experiment.status(f.point()) == Experiment.Status.EVALUATED) {
            say("  evaluated: %s", f.point().dir().resolve(Experiment.EVALUATION));
        } else {
            failed.add(f.point());
            Path why = experiment.failureFile(f.point());
            String line = "exit status " + f.exitCode();
            try {
                if (Files.exists(why)) {
                    line = Files.readAllLines(why).stream().findFirst().orElse(line);
                }
            } catch (IOException e) {
                line += " (" + why + " unreadable: " + e.getMessage() + ")";
            }
            say("  FAILED %s: %s (log %s)", f.point().id(), line, experiment.directory().resolve(LOGS)
                    .resolve(f.point().dir().getFileName() + ".log"));
        }
        return f.slot();
    }

    private Process start(Experiment.Point p, int slot, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "sweep",
                experiment.directory().toAbsolutePath().normalize().toString(), "--point-index",
                Integer.toString(experiment.points().indexOf(p))));
        command.addAll(more);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        StringBuilder opts = new StringBuilder(env.getOrDefault("EXCON_JAVA_OPTS", ""));
        for (String key : new String[] {"excon.verify", "excon.cache"}) { // this process's settings go along
            String v = System.getProperty(key);
            if (v != null && !v.isBlank() && v.chars().noneMatch(Character::isWhitespace)) {
                opts.append(" -D").append(key).append('=').append(v);
            }
        }
        if (gpus > 0) {
            env.put("CUDA_VISIBLE_DEVICES", Integer.toString(slot % gpus));
        } else {
            opts.append(" -D").append(dev.excon.ExconRuntime.NUM_THREADS).append('=').append(threads());
            env.put("OMP_NUM_THREADS", Integer.toString(threads()));
        }
        env.put("EXCON_JAVA_OPTS", opts.toString().strip());
        return pb.start();
    }

    /** CPU threads per process: the cores shared out. */
    private int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
    }

    /** Asks every running process to stop (SIGTERM: it stops at a step boundary) and waits for it. */
    private void stopAll() {
        List<Process> live;
        synchronized (running) {
            live = new ArrayList<>(running.values());
        }
        live.forEach(Process::destroy);
        for (Process proc : live) {
            boolean interrupted = false;
            while (true) {
                try {
                    proc.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void say(String format, Object... args) {
        synchronized (err) {
            err.printf(format + "%n", args);
            err.flush();
        }
    }
}
