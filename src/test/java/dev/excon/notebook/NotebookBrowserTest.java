package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The notebook as a person uses it: the classic Jupyter Notebook server ({@code make notebook}'s) with the real
 * {@code excon} kernel, driven in headless Chromium by {@code src/test/browser/notebook-e2e.mjs} (playwright-core). The
 * script opens the notebook, waits for the kernel to be idle, runs the first cells with Shift+Enter, and reports
 * what the page shows; this test asserts on that report and on a clean shut-down of the server and its kernel.
 * Screenshots go to {@code target/browser/}.
 *
 * <p>Skipped when Chromium, the Notebook server or playwright-core are missing ({@code make setup} installs them);
 * {@code make test} sets {@code EXCON_REQUIRE_BROWSER=1}, which turns that skip into a failure.
 */
@Tag("kernel")
class NotebookBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path PLAYWRIGHT = Path.of("environment/browser/node_modules/playwright-core/package.json");
    static final Path SCRIPT = Path.of("src/test/browser/notebook-e2e.mjs");
    static final Path SCREENSHOTS = Path.of("target/browser");

    @Test
    void aNotebookRunsInTheBrowserAndShowsItsImage() throws Exception {
        assumeBrowser();
        Path work = Files.createTempDirectory("excon-browser-");
        Path notebook = work.resolve("smoke.ipynb");
        Files.writeString(notebook, notebook(List.of(
                markdown("# A picture from Java\nThe next cell draws a gradient."),
                code("""
                        var img = new java.awt.image.BufferedImage(96, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
                        for (int y = 0; y < 64; y++) for (int x = 0; x < 96; x++) img.setRGB(x, y, (x * 2) << 16 | (y * 4) << 8 | 0x60);
                        img"""),
                code("\"seed \" + seed() + \", image \" + img.getWidth() + \"x\" + img.getHeight()"),
                // Past the cells the test runs: were it run, its error would show in the report.
                code("throw new IllegalStateException(\"cell 4 must not run\");"))), StandardCharsets.UTF_8);

        JsonObject r = runInBrowser(notebook, 3, "smoke");

        assertEquals("excon", r.getAsJsonObject("kernel").get("name").getAsString(), "the server's session kernel");
        assertEquals("excon", r.getAsJsonObject("kernel").get("uiName").getAsString(), "the page's kernel");
        assertEquals("Java (ExCon)", r.getAsJsonObject("kernel").get("displayName").getAsString(),
                "the kernel indicator");
        assertEquals("idle", r.getAsJsonObject("kernel").get("state").getAsString(), "the kernel ended idle");
        assertEquals(4, r.get("cellsInNotebook").getAsInt());
        assertEquals(3, r.get("cellsRun").getAsInt());
        assertEquals(0, r.getAsJsonArray("notExecuted").size(), "every code cell of the three got its count");
        assertEquals(0, r.getAsJsonArray("errors").size(), "no error output: " + r.get("errors"));
        assertEquals(0, r.getAsJsonArray("stderr").size(), "no stderr output: " + r.get("stderr"));
        assertEquals(0, r.getAsJsonArray("dialogs").size(), "no dialog: " + r.get("dialogs"));
        assertEquals(0, r.getAsJsonArray("pageErrors").size(), "no uncaught script error in the page: "
                + r.get("pageErrors"));

        JsonArray cells = r.getAsJsonArray("cells");
        assertEquals(3, cells.size(), "the report covers the cells that ran, not the fourth");
        JsonObject md = cells.get(0).getAsJsonObject();
        assertEquals("markdown", md.get("type").getAsString());
        assertTrue(md.get("rendered").getAsBoolean(), "Shift+Enter rendered the markdown cell");
        JsonObject image = cells.get(1).getAsJsonObject();
        assertEquals("In\u00a0[1]:", image.get("prompt").getAsString(), "the image cell ran first");
        JsonArray imgs = image.getAsJsonArray("images");
        assertEquals(1, imgs.size(), "one <img> in the image cell's output area: " + image);
        JsonObject img = imgs.get(0).getAsJsonObject();
        assertEquals("image/png", img.get("mime").getAsString());
        assertTrue(img.get("loaded").getAsBoolean(), "the browser decoded the PNG");
        assertEquals(96, img.get("width").getAsInt());
        assertEquals(64, img.get("height").getAsInt());
        assertEquals(1, r.get("images").getAsInt());
        JsonObject text = cells.get(2).getAsJsonObject();
        assertEquals("In\u00a0[2]:", text.get("prompt").getAsString());
        assertEquals(List.of("output_text"), strings(text.getAsJsonArray("outputs")), "a plain text result");
        assertTrue(r.get("ok").getAsBoolean(), "the script's own summary");
        Path shot = Path.of(r.get("screenshot").getAsString());
        assertTrue(Files.size(shot) > 10_000, "a real screenshot at " + shot);
    }

    @Test
    void theQuickstartOpensAndItsFirstCellsShowTheirTablesAndImages() throws Exception {
        assumeBrowser();
        Path quickstart = Path.of("notebooks/01-quickstart.ipynb");
        JsonObject nb = com.google.gson.JsonParser.parseString(Files.readString(quickstart)).getAsJsonObject();
        JsonArray all = nb.getAsJsonArray("cells");
        int dataCell = -1; // the cell that shows the sample images: the first one calling ImageGallery
        for (int i = 0; i < all.size() && dataCell < 0; i++) {
            if (all.get(i).getAsJsonObject().get("source").toString().contains("ImageGallery")) {
                dataCell = i;
            }
        }
        assertTrue(dataCell > 0, "the quickstart shows sample images with ImageGallery");

        JsonObject r = runInBrowser(quickstart, dataCell + 1, "quickstart", 300);
        assertEquals("excon", r.getAsJsonObject("kernel").get("name").getAsString());
        assertEquals(dataCell + 1, r.get("cellsRun").getAsInt());
        assertEquals(0, r.getAsJsonArray("notExecuted").size(), "every code cell ran: " + r.get("notExecuted"));
        assertEquals(0, r.getAsJsonArray("errors").size(), "no error output: " + r.get("errors"));
        assertEquals(0, r.getAsJsonArray("stderr").size(), "no stderr output: " + r.get("stderr"));
        JsonObject gallery = r.getAsJsonArray("cells").get(dataCell).getAsJsonObject();
        JsonArray imgs = gallery.getAsJsonArray("images");
        assertEquals(1, imgs.size(), "the sample images: " + gallery);
        JsonObject img = imgs.get(0).getAsJsonObject();
        assertEquals("image/png", img.get("mime").getAsString());
        assertTrue(img.get("loaded").getAsBoolean() && img.get("width").getAsInt() > 300,
                "a decoded gallery of ten images: " + img);
        assertTrue(Files.size(SCREENSHOTS.resolve("quickstart.png")) > 10_000, "a screenshot of the quickstart");
    }

    /** {@link #runInBrowser(Path, int, String, int)} with four minutes for the cells. */
    static JsonObject runInBrowser(Path notebook, int cells, String name) throws IOException, InterruptedException {
        return runInBrowser(notebook, cells, name, 240);
    }

    /**
     * Serves a copy of {@code notebook} (so the run never writes into the original), runs its first {@code cells}
     * cells in the browser (the script gives up after {@code timeoutSeconds}), stops the server, and returns the
     * script's report; the screenshot is {@code target/browser/NAME.png}. Asserts that the script finished, that the
     * kernel was running under the server, and that the server and the kernel ended without being killed.
     */
    static JsonObject runInBrowser(Path notebook, int cells, String name, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("excon-browser-run-");
        Path served = Files.createDirectories(work.resolve("notebooks"));
        Files.copy(notebook, served.resolve(notebook.getFileName()));
        Path shot = SCREENSHOTS.resolve(name + ".png").toAbsolutePath();
        Files.deleteIfExists(shot);
        String out;
        String err;
        List<ProcessHandle> kernels;
        NotebookServer.Stopped stopped;
        long t0 = System.nanoTime();
        try (NotebookServer server = NotebookServer.start(served, work)) {
            long started = System.nanoTime();
            List<String> cmd = List.of(node(), SCRIPT.toAbsolutePath().toString(), "--url", server.url(),
                    "--notebook", notebook.getFileName().toString(), "--cells", Integer.toString(cells),
                    "--screenshot", shot.toString(), "--timeout", Integer.toString(timeoutSeconds));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(work.resolve("e2e.out").toFile())
                    .redirectError(work.resolve("e2e.err").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = pb.environment();
            env.remove("LD_PRELOAD"); // the build's tcmalloc is for the JVMs, not for Chromium
            env.put("EXCON_NOTEBOOK_TOKEN", server.token());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds + 60L, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            long ran = System.nanoTime();
            out = Files.readString(work.resolve("e2e.out"));
            err = Files.readString(work.resolve("e2e.err"));
            kernels = server.children();
            List<String> commands = kernels.stream().map(NotebookBrowserTest::commandLine).toList();
            stopped = server.stop();
            System.out.printf("browser test %s: server up in %d ms, browser script %d ms, server and kernel stopped"
                    + " in %d ms%n", name, (started - t0) / 1_000_000, (ran - started) / 1_000_000,
                    stopped.took().toMillis());
            String lastLine = out.isBlank() ? "" : out.strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(lastLine.startsWith("{"), "the script printed no report:\n" + out + "\n" + err + "\n"
                    + server.log());
            JsonObject report = JsonParser.parseString(lastLine).getAsJsonObject();
            assertTrue(report.get("failure").isJsonNull(), "the browser run broke: " + report.get("failure")
                    + "\nscript log:\n" + err + "\nserver log:\n" + server.log());
            assertTrue(commands.stream().anyMatch(c -> c.contains(" dev.excon.notebook.kernel.KernelMain ")),
                    "the excon kernel ran under the notebook server: " + commands);
            assertEquals(List.of(), stopped.killed(), "the server and its kernel stopped on SIGTERM, none killed");
            assertEquals(0, stopped.exitCode(), "the server's exit status");
            assertFalse(kernels.stream().anyMatch(ProcessHandle::isAlive), "no kernel outlives the server");
            return report;
        }
    }

    /** Skips (with the reason) when a piece is missing, unless EXCON_REQUIRE_BROWSER=1 (make test) says it must run. */
    static void assumeBrowser() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add("Chromium (" + CHROMIUM + ", Debian package chromium)");
        }
        if (!Files.isExecutable(NotebookServer.NOTEBOOK) || !Files.isExecutable(KernelFixture.JUPYTER)) {
            missing.add("the Jupyter Notebook server (" + NotebookServer.NOTEBOOK + ", Debian package jupyter-notebook)");
        }
        if (!Files.isRegularFile(PLAYWRIGHT)) {
            missing.add("playwright-core (" + PLAYWRIGHT.getParent() + ")");
        }
        if (nodeOrNull() == null) {
            missing.add("Node.js (node on PATH)");
        }
        String why = "browser test needs " + String.join(", ", missing) + ": make setup installs them";
        if (!missing.isEmpty() && "1".equals(System.getenv("EXCON_REQUIRE_BROWSER"))) {
            throw new AssertionError(why + " (EXCON_REQUIRE_BROWSER=1)");
        }
        Assumptions.assumeTrue(missing.isEmpty(), why);
    }

    /** A process's command line, from /proc (ProcessHandle.Info gives up on the kernel's long class path). */
    private static String commandLine(ProcessHandle h) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
            return "(pid " + h.pid() + " gone)";
        }
    }

    private static String node() {
        String node = nodeOrNull();
        if (node == null) {
            throw new IllegalStateException("node not found");
        }
        return node;
    }

    private static String nodeOrNull() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "node");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/node")) ? "/usr/bin/node" : null;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : a) {
            out.add(e.getAsString());
        }
        return out;
    }

    private static JsonObject markdown(String source) {
        JsonObject c = new JsonObject();
        c.addProperty("cell_type", "markdown");
        c.add("metadata", new JsonObject());
        c.addProperty("source", source);
        return c;
    }

    private static JsonObject code(String source) {
        JsonObject c = new JsonObject();
        c.addProperty("cell_type", "code");
        c.addProperty("execution_count", (Number) null);
        c.add("metadata", new JsonObject());
        c.add("outputs", new JsonArray());
        c.addProperty("source", source);
        return c;
    }

    private static String notebook(List<JsonObject> cells) {
        JsonArray cs = new JsonArray();
        for (JsonObject c : cells) {
            c.addProperty("id", "cell-" + cs.size());
            cs.add(c);
        }
        JsonObject nb = new JsonObject();
        nb.add("cells", cs);
        JsonObject spec = new JsonObject();
        spec.addProperty("name", KernelFixture.KERNEL);
        spec.addProperty("display_name", "Java (ExCon)");
        spec.addProperty("language", "java");
        JsonObject meta = new JsonObject();
        meta.add("kernelspec", spec);
        nb.add("metadata", meta);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(nb);
    }
}
