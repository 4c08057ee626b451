package dev.excon.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Kernel latency as a user meets it: the installed kernelspec ({@code excon}, with its class-data-sharing archive),
 * started by jupyter_client. Start-up is measured from launching the process to the reply of its first cell ({@code
 * 1 + 1}); a warm round trip from sending a trivial cell to its reply.
 */
final class KernelBench {

    private KernelBench() {}

    /** {@code [start median s, warm median s, warm p90 s]}, or null when Jupyter or the kernelspec is missing. */
    static double[] measure(String kernel, int starts, int trips) {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            return null;
        }
        try {
            Path script = Files.createTempFile("kernel_bench", ".py");
            try (InputStream s = KernelBench.class.getResourceAsStream("kernel_bench.py")) {
                Files.copy(s, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Process p = new ProcessBuilder(python.toString(), script.toString(), kernel, Integer.toString(starts),
                    Integer.toString(trips)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
                System.out.println("kernel benchmark failed (is the kernelspec '" + kernel + "' installed? make setup)");
                return null;
            }
            String last = out.substring(out.lastIndexOf('\n') + 1);
            JsonObject r = JsonParser.parseString(last).getAsJsonObject();
            return new double[] {r.get("start_median").getAsDouble(), r.get("warm_median").getAsDouble(),
                    r.get("warm_p90").getAsDouble()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
