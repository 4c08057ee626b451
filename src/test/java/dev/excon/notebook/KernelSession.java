package dev.excon.notebook;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real kernel driven through jupyter_client: {@code kernel_driver.py} runs in Debian's Python, starts the kernel from
 * the test kernelspec, and answers one JSON command per line. What comes back is what a front end would see.
 */
public final class KernelSession implements AutoCloseable {

    private final Process driver;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path kernelLog;
    private final double startSeconds;

    public KernelSession() {
        KernelFixture.assumeJupyter();
        try {
            Path dir = Files.createTempDirectory("excon-driver-");
            Path script = dir.resolve("kernel_driver.py");
            try (InputStream s = KernelSession.class.getResourceAsStream("kernel_driver.py")) {
                Files.copy(s, script);
            }
            kernelLog = dir.resolve("kernel.log");
            ProcessBuilder pb = new ProcessBuilder(KernelFixture.PYTHON.toString(), script.toString(),
                    KernelFixture.KERNEL).directory(dir.toFile());
            pb.environment().clear();
            pb.environment().putAll(KernelFixture.environment());
            pb.environment().put("KERNEL_LOG", kernelLog.toString());
            pb.redirectError(dir.resolve("driver.log").toFile());
            driver = pb.start();
            in = new OutputStreamWriter(driver.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(driver.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // driver gone
                }
            }, "kernel-driver-reader");
            reader.setDaemon(true);
            reader.start();
            JsonObject ready = next(120);
            startSeconds = ready.get("seconds").getAsDouble();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the driver (the kernel's parent, as far as the kernel knows) without a shutdown. */
    public void killDriver() {
        driver.destroyForcibly();
        try {
            driver.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Seconds from launching the kernel to its first kernel_info reply. */
    public double startSeconds() {
        return startSeconds;
    }

    /** The kernel process's own stdout and stderr so far. */
    public String kernelLog() {
        try {
            return Files.exists(kernelLog) ? Files.readString(kernelLog) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a cell and waits until the kernel is idle again. */
    public Execution execute(String code) {
        return execute(code, null);
    }

    /** Runs a cell with extra driver options (interrupt_on, stdin, timeout). */
    public Execution execute(String code, JsonObject options) {
        JsonObject cmd = options == null ? new JsonObject() : options.deepCopy();
        cmd.addProperty("op", "execute");
        cmd.addProperty("code", code);
        int timeout = cmd.has("timeout") ? cmd.get("timeout").getAsInt() : 60;
        return new Execution(call(cmd, timeout + 30));
    }

    /** Sends a command; returns the driver's answer. */
    public JsonObject call(JsonObject cmd, int timeoutSeconds) {
        try {
            in.write(cmd.toString());
            in.write('\n');
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the kernel driver is gone: " + driverLog(), e);
        }
        JsonObject answer = next(timeoutSeconds);
        if (answer.has("driver_error")) {
            throw new AssertionError("driver: " + answer.get("driver_error").getAsString() + "\nkernel log:\n"
                    + kernelLog());
        }
        return answer;
    }

    /** A command with string fields, e.g. {@code call("op", "complete", "code", "%ex")}. */
    public JsonObject call(String... keyValues) {
        JsonObject cmd = new JsonObject();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            cmd.addProperty(keyValues[i], keyValues[i + 1]);
        }
        return call(cmd, 60);
    }

    private JsonObject next(int timeoutSeconds) {
        try {
            String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no answer from the kernel driver within " + timeoutSeconds + " s\n"
                        + driverLog() + "\nkernel log:\n" + kernelLog());
            }
            return JsonParser.parseString(line).getAsJsonObject();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String driverLog() {
        try {
            Path log = kernelLog.resolveSibling("driver.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            JsonObject cmd = new JsonObject();
            cmd.addProperty("op", "shutdown");
            in.write(cmd + "\n");
            in.flush();
            lines.poll(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // closing anyway
        }
        try {
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.descendants().forEach(ProcessHandle::destroyForcibly);
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one cell produced. */
    public static final class Execution {
        private final JsonObject json;

        Execution(JsonObject json) {
            this.json = json;
        }

        public String status() {
            return json.get("status").getAsString();
        }

        public double seconds() {
            return json.get("seconds").getAsDouble();
        }

        public List<JsonObject> outputs() {
            List<JsonObject> out = new ArrayList<>();
            for (JsonElement e : json.getAsJsonArray("outputs")) {
                out.add(e.getAsJsonObject());
            }
            return out;
        }

        public List<JsonObject> outputs(String type) {
            return outputs().stream().filter(o -> o.get("type").getAsString().equals(type)).toList();
        }

        /** All stdout text. */
        public String stdout() {
            return stream("stdout");
        }

        public String stderr() {
            return stream("stderr");
        }

        private String stream(String name) {
            StringBuilder s = new StringBuilder();
            for (JsonObject o : outputs("stream")) {
                if (o.get("name").getAsString().equals(name)) {
                    s.append(o.get("text").getAsString());
                }
            }
            return s.toString();
        }

        /** The execute_result's data for a MIME type, or null. */
        public String result(String mime) {
            for (JsonObject o : outputs("execute_result")) {
                JsonObject data = o.getAsJsonObject("data");
                if (data.has(mime)) {
                    return data.get(mime).getAsString();
                }
            }
            return null;
        }

        /** The first error output, or null. */
        public JsonObject error() {
            List<JsonObject> e = outputs("error");
            return e.isEmpty() ? null : e.get(0);
        }

        /** The error's traceback lines joined, ANSI colours removed. */
        public String errorText() {
            JsonObject e = error();
            if (e == null) {
                return "";
            }
            StringBuilder s = new StringBuilder();
            JsonArray tb = e.getAsJsonArray("traceback");
            for (JsonElement l : tb) {
                s.append(l.getAsString().replaceAll("\u001b\\[[0-9;]*m", "")).append('\n');
            }
            return s.toString();
        }

        @Override
        public String toString() {
            return json.toString();
        }
    }
}
