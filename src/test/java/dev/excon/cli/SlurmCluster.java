package dev.excon.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A private one-node Slurm cluster on localhost for tests: its own munge key and munged socket, a generated
 * slurm.conf with free ports and every file under one directory, slurmctld and slurmd as child processes. Clients
 * reach it through {@link #environment()} ({@code SLURM_CONF}). {@link #close()} cancels what is left and stops the
 * daemons. Needs root (the daemons run as root) and Debian's slurm-wlm and munge.
 */
final class SlurmCluster implements AutoCloseable {

    private final Path dir;
    private final Path conf;
    private final Map<String, String> env;
    private final List<Process> daemons = new ArrayList<>();

    private SlurmCluster(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
        this.env = new HashMap<>(System.getenv());
        env.put("SLURM_CONF", conf.toString());
    }

    /**
     * Skips when this is not root and EXCON_REQUIRE_SLURM is unset; otherwise a cluster that cannot start fails the
     * test with the daemons' logs.
     */
    static void assumeRunnable() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean required = "1".equals(System.getenv("EXCON_REQUIRE_SLURM"));
        Assumptions.assumeTrue(root || required, "the test Slurm cluster's daemons run as root; not root here and "
                + "EXCON_REQUIRE_SLURM is unset (make test sets it)");
    }

    /** Starts the cluster in {@code dir} and waits until it has run a first job. */
    static SlurmCluster start(Path dir) throws IOException, InterruptedException {
        assumeRunnable();
        for (String tool : List.of("/usr/sbin/munged", "/usr/sbin/mungekey", "/usr/sbin/slurmctld",
                "/usr/sbin/slurmd", "/usr/bin/sbatch")) {
            if (!Files.isExecutable(Path.of(tool))) {
                fail(tool + " is missing: install slurm-wlm and munge (environment/apt-packages.txt; make setup)");
            }
        }
        SlurmCluster c = new SlurmCluster(dir);
        try {
            c.boot();
        } catch (IOException | RuntimeException | AssertionError x) {
            String logs = c.logs();
            c.close();
            throw new AssertionError("the test Slurm cluster did not start: " + x.getMessage() + "\n" + logs, x);
        }
        return c;
    }

    private void boot() throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // munged's socket reachable
        Path key = dir.resolve("munge.key");
        Path socket = dir.resolve("munge.sock");
        check(run(60, "/usr/sbin/mungekey", "--create", "--keyfile=" + key), "mungekey");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        Process munged = daemon("munged", "/usr/sbin/munged", "--foreground", "--force", "--socket=" + socket,
                "--key-file=" + key, "--pid-file=" + dir.resolve("munged.pid"),
                "--seed-file=" + dir.resolve("munged.seed"));
        // In the foreground munged logs to its console, not to a --log-file.
        awaitText(dir.resolve("munged.console"), "Created socket", 60, munged::isAlive);

        // The node line as slurmd sees this machine (CPUs, topology, RealMemory), renamed to localhost.
        Result hw = run(60, "/usr/sbin/slurmd", "-C");
        check(hw, "slurmd -C");
        String node = hw.out.lines().filter(l -> l.startsWith("NodeName=")).findFirst()
                .orElseThrow(() -> new IllegalStateException("slurmd -C printed no NodeName line: " + hw.out))
                .replaceFirst("NodeName=\\S+", "NodeName=localhost NodeAddr=127.0.0.1");
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("spool"));
        Files.writeString(conf, String.join("\n",
                "ClusterName=excontest",
                "SlurmctldHost=localhost(127.0.0.1)",
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "AuthType=auth/munge",
                // cred_expire also holds a requeued job back (cred_expire + 1 s); the default 120 s slows the test.
                "AuthInfo=socket=" + socket + ",cred_expire=10",
                "CredType=cred/munge",
                "SlurmUser=root",
                "SlurmdUser=root",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                "JobRequeue=1",
                "ReturnToService=2",
                "MpiDefault=none",
                "SwitchType=switch/none",
                "SchedulerType=sched/backfill",
                "JobCompType=jobcomp/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "KillWait=5",
                node + " State=UNKNOWN",
                "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP", ""));
        Process ctld = daemon("slurmctld", "/usr/sbin/slurmctld", "-D", "-f", conf.toString());
        awaitText(dir.resolve("slurmctld.log"), "Running as primary controller", 120, ctld::isAlive);
        daemon("slurmd", "/usr/sbin/slurmd", "-D", "-N", "localhost", "-f", conf.toString());
        // Ready when a job has run: sbatch --wait returns once it has.
        check(run(300, "sbatch", "--wait", "--wrap=true", "--output=/dev/null", "--mem=10M"), "the first job");
    }

    /** The environment for Slurm clients and excon: this process's plus SLURM_CONF. */
    Map<String, String> environment() {
        return Map.copyOf(env);
    }

    /** A command's outcome. */
    record Result(int code, String out, String err) {
        String all() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs a command with the cluster's environment (plus {@code extra}), for at most {@code seconds}. */
    Result run(long seconds, Map<String, String> extra, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Path err = Files.createTempFile(dir, "cmd", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().putAll(extra);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Result(124, Files.readString(out), Files.readString(err) + "\n(killed after " + seconds + " s: "
                    + String.join(" ", command) + ")");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    Result run(long seconds, String... command) throws IOException, InterruptedException {
        return run(seconds, Map.of(), command);
    }

    private static void check(Result r, String what) {
        if (r.code != 0) {
            throw new IllegalStateException(what + " failed: " + r.all());
        }
    }

    private Process daemon(String name, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".console").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        daemons.add(p);
        return p;
    }

    /**
     * Waits until {@code file} contains {@code text}: woken by the file system's change events; the bounded wait
     * between them only re-checks {@code alive} (a dead writer never writes it).
     */
    static void awaitText(Path file, String text, long seconds, BooleanSupplier alive)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (WatchService w = FileSystems.getDefault().newWatchService()) {
            file.getParent().register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text)) {
                    return;
                }
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("waiting for '" + text + "' in " + file + ": its writer ended");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no '" + text + "' in " + file + " after " + seconds + " s");
                }
                var key = w.poll(Math.min(left, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Every log and console file of the daemons, for a failure message. */
    String logs() {
        StringBuilder s = new StringBuilder();
        for (String f : List.of("munged.log", "munged.console", "slurmctld.log", "slurmctld.console", "slurmd.log",
                "slurmd.console")) {
            Path p = dir.resolve(f);
            try {
                if (Files.exists(p)) {
                    s.append("--- ").append(p).append('\n').append(Files.readString(p, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException x) {
                s.append("--- ").append(p).append(" unreadable: ").append(x.getMessage()).append('\n');
            }
        }
        return s.toString();
    }

    /** Cancels the cluster's jobs, waits until they are gone, stops slurmd, slurmctld and munged. */
    @Override
    public void close() {
        try {
            if (daemons.size() == 3 && daemons.stream().allMatch(Process::isAlive)) {
                run(60, "scancel", "--user=" + System.getProperty("user.name"));
                // Runs only on an empty node: returns once the cancelled tasks (their JVMs) are gone.
                run(120, "sbatch", "--wait", "--exclusive", "--wrap=true", "--output=/dev/null", "--mem=10M");
            }
        } catch (IOException | InterruptedException x) {
            // stopping the daemons below matters more
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException x) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
