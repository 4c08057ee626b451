package dev.excon.notebook;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real kernel for tests: installed once per test JVM, by the project's own {@code environment/install-kernel.sh},
 * into a temporary {@code JUPYTER_DATA_DIR}, so the user's kernelspecs are left alone. It runs from {@code
 * target/classes} and the test class path's runtime jars, i.e. from the code just compiled.
 *
 * <p>The user's kernelspecs are not even visible: jupyter_core also searches the Python user base ({@code
 * ~/.local/share/jupyter}) whatever {@code JUPYTER_DATA_DIR} says, so a missing test kernel would silently run the
 * user's {@code excon} (another checkout's code); {@code PYTHONNOUSERSITE=1} takes that directory off the path.
 * Configuration comes from an empty directory of its own, not {@code ~/.jupyter}.
 */
public final class KernelFixture {

    /** Debian's interpreter, the one that has jupyter_client (another python3 may come first on PATH). */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    public static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    public static final String KERNEL = "excon";

    private static Path dataDir;

    private KernelFixture() {}

    /** Skips the calling test when Debian's Jupyter packages are missing (make test installs them). */
    public static void assumeJupyter() {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON) && Files.isExecutable(JUPYTER),
                "Jupyter is not installed (/usr/bin/jupyter, /usr/bin/python3): make setup installs it");
    }

    /** The environment for anything that starts the kernel: the temporary kernelspec, offline everything. */
    public static synchronized Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JUPYTER_DATA_DIR", install().toString());
        env.put("JUPYTER_RUNTIME_DIR", install().resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", install().resolve("config").toString());
        env.put("JUPYTER_PLATFORM_DIRS", "1");
        env.put("PYTHONNOUSERSITE", "1");
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        env.put("EXCON_MAVEN_OFFLINE", "true");
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        env.remove("JUPYTER_PATH");
        return env;
    }

    /** Installs the kernelspec once; returns the data directory holding {@code kernels/excon}. */
    public static synchronized Path install() {
        if (dataDir != null) {
            return dataDir;
        }
        assumeJupyter();
        try {
            Path dir = Files.createTempDirectory("excon-jupyter-");
            // Gone with the JVM, not left in /tmp by every run.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "excon-jupyter-cleanup"));
            Files.createDirectories(dir.resolve("config"));
            ProcessBuilder pb = new ProcessBuilder("bash", "environment/install-kernel.sh");
            pb.environment().put("JUPYTER_DATA_DIR", dir.toString());
            pb.environment().put("PYTHONNOUSERSITE", "1");
            pb.environment().put("EXCON_KERNEL_CLASSPATH", kernelClasspath());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("install-kernel.sh failed:\n" + out);
            }
            if (!Files.isRegularFile(dir.resolve("kernels/" + KERNEL + "/kernel.json"))) {
                throw new IllegalStateException("install-kernel.sh wrote no kernel.json under " + dir + ":\n" + out);
            }
            dataDir = dir;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit
        }
    }

    /** target/classes plus the runtime jars of the test class path (no test classes, no JUnit). */
    static String kernelClasspath() {
        List<String> out = new ArrayList<>();
        out.add(Path.of("target/classes").toAbsolutePath().toString());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String n = e.replace('\\', '/');
            if (!n.endsWith(".jar") || n.contains("/junit") || n.contains("/opentest4j") || n.contains("/apiguardian")
                    || n.contains("surefire") || n.contains("/org/junit/")) {
                continue;
            }
            out.add(e);
        }
        return String.join(File.pathSeparator, out);
    }

    /** Runs a command with the kernel environment; returns exit code and combined output. */
    public static Result run(Path workDir, long timeoutSeconds, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(environment());
            Path log = Files.createTempFile(workDir, "run-", ".log");
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(-1, Files.readString(log) + "\n(timed out after " + timeoutSeconds + " s)");
            }
            return new Result(p.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A notebook of code cells for the {@code excon} kernel, as nbformat 4.5 JSON. Its {@code language_info} names
     * Java: nbconvert picks the highlighter from there before it runs anything.
     */
    public static String notebook(List<String> codeCells) {
        JsonArray cells = new JsonArray();
        for (String source : codeCells) {
            JsonObject c = new JsonObject();
            c.addProperty("cell_type", "code");
            c.addProperty("id", "cell-" + cells.size());
            c.addProperty("execution_count", (Number) null);
            c.add("metadata", new JsonObject());
            c.add("outputs", new JsonArray());
            c.addProperty("source", source);
            cells.add(c);
        }
        JsonObject spec = new JsonObject();
        spec.addProperty("name", KERNEL);
        spec.addProperty("display_name", "Java (ExCon)");
        spec.addProperty("language", "java");
        JsonObject lang = new JsonObject();
        lang.addProperty("name", "java");
        lang.addProperty("pygments_lexer", "java");
        JsonObject meta = new JsonObject();
        meta.add("kernelspec", spec);
        meta.add("language_info", lang);
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        nb.add("metadata", meta);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(nb);
    }

    /** A finished command. */
    public record Result(int exitCode, String output) {}
}
