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
import java.util.concurrent.CompletableFuture;
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
    /** Completed by the server's "is running at" line: it has bound its port. */
    private final CompletableFuture<String> listening = new CompletableFuture<>();
    /** Completed when the server's output ends (it exited): everything it said is in the log by then. */
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
    private final List<ProcessHandle> seen = new ArrayList<>();
    private Stopped stopped;

    private NotebookServer(Process process, int port, String token, Path log) {
        this.process = process;
        this.port = port;
        this.token = token;
        this.log = log;
        Thread copier = new Thread(this::copyOutput, "notebook-server-log");
        copier.setDaemon(true);
        copier.start();
    }

    /** Copies the server's output into its log and completes {@link #listening} when it says it listens. */
    private void copyOutput() {
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                java.io.Writer w = Files.newBufferedWriter(log)) {
            String line;
            while ((line = r.readLine()) != null) {
                w.write(line);
                w.write('\n');
                w.flush();
                if (line.contains(" is running at:")) {
                    listening.complete(line);
                }
            }
        } catch (IOException e) {
            // the server is gone; its exit tells the rest
        } finally {
            outputEnded.complete(null);
        }
    }

    /**
     * Starts a server on {@code root} and waits until it says it is listening and its API answers.
     *
     * <p>The port is found free by binding and closing it, so another process (say a second checkout's suite) can take
     * it before the server binds it. That one case, told apart by the server's own message, gets a new port; any
     * other failure is thrown.
     */
    static NotebookServer start(Path root, Path work) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            NotebookServer server = launch(root, work, work.resolve("notebook-server-" + attempt + ".log"));
            try {
                server.awaitReady();
                return server;
            } catch (PortTaken e) {
                server.close();
                if (attempt == 5) {
                    throw new IllegalStateException("5 free ports were taken before the server could bind them:\n"
                            + server.log(), e);
                }
            } catch (RuntimeException | InterruptedException e) {
                server.close();
                throw e;
            }
        }
    }

    private static NotebookServer launch(Path root, Path work, Path log) throws IOException {
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
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(KernelFixture.environment());
        env.put("JUPYTER_CONFIG_DIR", config.toString());
        env.put("JUPYTER_TOKEN", token); // not on the command line, where every user could read it
        env.remove("JUPYTER_TOKEN_FILE");
        return new NotebookServer(pb.start(), port, token, log);
    }

    /** The server's port was taken by someone else between our check and its bind. */
    private static final class PortTaken extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Waits for the server's "is running at" line (or its exit), then checks that the API answers with the token. The
     * two minutes are only there so a hung server cannot hang the build.
     */
    private void awaitReady() throws InterruptedException, PortTaken {
        CompletableFuture<Object> outcome = CompletableFuture.anyOf(listening, outputEnded);
        try {
            outcome.get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the notebook server said nothing about listening in 2 minutes:\n"
                    + log());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (!listening.isDone()) {
            String log = log();
            if (log.contains("port " + port + " is not available")) {
                throw new PortTaken();
            }
            throw new IllegalStateException("the notebook server stopped before it listened (exit status "
                    + process.waitFor() + "):\n" + log);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest status = HttpRequest.newBuilder(URI.create(url() + "/api/status"))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(60)).build();
        try {
            int code = http.send(status, HttpResponse.BodyHandlers.ofString()).statusCode();
            if (code != 200) {
                throw new IllegalStateException("the notebook server answered /api/status with HTTP " + code + ":\n"
                        + log());
            }
        } catch (IOException e) {
            throw new IllegalStateException("the notebook server said it listens on " + url() + " but does not "
                    + "answer there (" + e + "):\n" + log(), e);
        }
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
            // About a second here; the bounds only keep a hung server from hanging the build.
            clean = process.waitFor(2, TimeUnit.MINUTES);
            if (!clean) {
                killed.add(process.pid());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : seen) {
                if (!h.onExit().completeOnTimeout(h, 1, TimeUnit.MINUTES).thenApply(ProcessHandle::isAlive).join()) {
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
