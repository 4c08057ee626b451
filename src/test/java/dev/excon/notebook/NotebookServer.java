package dev.excon.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's classic Jupyter Notebook server for tests: on a free 127.0.0.1 port, with a random token, serving one
 * directory, with the kernelspec of {@link KernelFixture} (and a private config directory, so the user's Jupyter
 * settings play no part). {@link #close()} stops it with SIGTERM, on which Jupyter shuts its kernels down; whatever
 * is still alive afterwards is killed and reported by {@link #stop()}.
 */
final class NotebookServer implements AutoCloseable {

    static final Path NOTEBOOK = Path.of("/usr/bin/jupyter-notebook");

    private final Process process;
    private final int port;
    private final String token;
    private final Path log;
    private final List<ProcessHandle> seen = new ArrayList<>();
    private Stopped stopped;

    private NotebookServer(Process process, int port, String token, Path log) {
        this.process = process;
        this.port = port;
        this.token = token;
        this.log = log;
    }

    /** Starts a server on {@code root} and waits until its API answers (a minute at most). */
    static NotebookServer start(Path root, Path work) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        List<String> cmd = new ArrayList<>(List.of(KernelFixture.JUPYTER.toString(), "notebook", "--no-browser",
                "--ip=127.0.0.1", "--port=" + port, "--port-retries=0", "--notebook-dir=" + root));
        if (isRoot()) {
            cmd.add("--allow-root");
        }
        Path config = Files.createDirectories(work.resolve("jupyter-config"));
        Path log = work.resolve("notebook-server.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(KernelFixture.environment());
        env.put("JUPYTER_CONFIG_DIR", config.toString());
        env.put("JUPYTER_TOKEN", token); // not on the command line, where every user could read it
        env.remove("JUPYTER_TOKEN_FILE");
        NotebookServer server = new NotebookServer(pb.start(), port, token, log);
        try {
            server.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest status = HttpRequest.newBuilder(URI.create(url() + "/api/status"))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the notebook server exited with " + process.exitValue() + ":\n"
                        + log());
            }
            try {
                if (http.send(status, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the notebook server did not answer within " + timeout + ":\n" + log());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String token() {
        return token;
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    /** The server's processes below it right now (its kernels), remembered so {@link #stop()} can check them. */
    List<ProcessHandle> children() {
        List<ProcessHandle> now = process.descendants().toList();
        for (ProcessHandle h : now) {
            if (seen.stream().noneMatch(s -> s.pid() == h.pid())) {
                seen.add(h);
            }
        }
        return now;
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the server with SIGTERM and waits for it and every process it started; idempotent. Returns what had to be
     * killed: nothing when the shut-down was clean.
     */
    Stopped stop() {
        if (stopped != null) {
            return stopped;
        }
        children();
        long t0 = System.nanoTime();
        List<Long> killed = new ArrayList<>();
        boolean clean;
        try {
            process.destroy(); // SIGTERM: Jupyter stops its loop, then shuts every kernel down
            clean = process.waitFor(30, TimeUnit.SECONDS);
            if (!clean) {
                killed.add(process.pid());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : seen) {
                if (!h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).thenApply(ProcessHandle::isAlive).join()) {
                    continue;
                }
                killed.add(h.pid());
                h.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            killed.add(process.pid());
        }
        stopped = new Stopped(process.isAlive() ? -1 : process.exitValue(), killed,
                Duration.ofNanos(System.nanoTime() - t0), seen.size());
        return stopped;
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** How the server ended: its exit status, the processes that had to be killed, how long it took. */
    record Stopped(int exitCode, List<Long> killed, Duration took, int children) {}
}
