package dev.excon.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The system's own {@code gzip}, {@code md5sum} and {@code sha256sum}, so that tests take their expected outcome from
 * a tool that shares no code with the reader under test. Each returns empty when the tool is not installed.
 */
public final class SystemTools {

    private SystemTools() {}

    /** Exit status and combined output of a finished command. */
    public record Run(int exitCode, String output) {}

    /** Runs {@code command} to completion; empty when its program is not on the PATH. */
    public static Optional<Run> run(List<String> command, Path dir) throws IOException, InterruptedException {
        if (!onPath(command.get(0))) {
            return Optional.empty();
        }
        Path out = Files.createTempFile("excon-tool-", ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir == null ? null : dir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            int code = p.waitFor();
            return Optional.of(new Run(code, Files.readString(out, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** {@code gzip -t FILE}: 0 when gzip finds the file intact, 1 on an error, 2 on a warning (trailing garbage). */
    public static Optional<Run> gzipTest(Path file) throws IOException, InterruptedException {
        return run(List.of("gzip", "-t", file.toString()), null);
    }

    /** The hex digest {@code md5sum} or {@code sha256sum} prints for {@code file}. */
    public static Optional<String> digest(String tool, Path file) throws IOException, InterruptedException {
        Optional<Run> r = run(List.of(tool, "--", file.toString()), null);
        if (r.isEmpty() || r.get().exitCode() != 0) {
            return Optional.empty();
        }
        return Optional.of(r.get().output().strip().split("\\s+")[0]);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
