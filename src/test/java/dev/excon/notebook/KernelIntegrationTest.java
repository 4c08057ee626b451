package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.excon.notebook.KernelSession.Execution;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real kernel, driven as a front end drives it (jupyter_client): what a user sees for tables, charts, images,
 * magics, errors, interrupts, completion and history. One kernel for the class; the restart test comes last.
 */
@Tag("kernel")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelIntegrationTest {

    private static KernelSession kernel;

    @BeforeAll
    static void start() {
        kernel = new KernelSession();
    }

    @AfterAll
    static void stop() {
        if (kernel != null) {
            kernel.close();
        }
    }

    private static Execution ok(String code) {
        Execution e = kernel.execute(code);
        assertEquals("ok", e.status(), () -> "cell failed: " + code + "\n" + e.errorText() + e);
        return e;
    }

    private static BufferedImage png(String base64) throws IOException {
        assertNotNull(base64, "no image/png");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        assertNotNull(img, "image/png does not decode");
        return img;
    }

    @Test
    @Order(1)
    void expressionsKeepTheirValueAndStreamsArrive() {
        assertEquals("2", ok("1 + 1").result("text/plain"));
        Execution e = ok("System.out.println(\"to stdout\");\nSystem.err.println(\"to stderr\");\nint kept = 41;");
        assertEquals("to stdout\n", e.stdout());
        assertEquals("to stderr\n", e.stderr());
        assertNull(e.result("text/plain"), "a declaration shows nothing");
        assertEquals("42", ok("kept + 1").result("text/plain"));
        assertEquals("null", ok("String none = null;\nnone").result("text/plain"));
    }

    @Test
    @Order(2)
    void tableArrivesAsEscapedHtmlAndText() {
        Execution e = ok("""
                var t = tech.tablesaw.api.Table.create("scores <b>",
                    tech.tablesaw.api.StringColumn.create("name", "<script>alert(1)</script>", "plain"),
                    tech.tablesaw.api.DoubleColumn.create("acc", 0.5, 0.75));
                t""");
        String html = e.result("text/html");
        assertNotNull(html, e.toString());
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("scores &lt;b&gt;"), html);
        assertTrue(html.contains("<table"), html);
        assertTrue(e.result("text/plain").contains("<script>alert(1)</script>"), "plain text is not HTML");

        Execution big = ok("var big = tech.tablesaw.api.Table.create(\"big\", tech.tablesaw.api.IntColumn.create(\"i\","
                + " java.util.stream.IntStream.range(0, 1000).toArray()));\nbig");
        String bigHtml = big.result("text/html");
        assertTrue(bigHtml.contains("1,000 rows"), bigHtml.substring(bigHtml.length() - 300));
        assertTrue(bigHtml.split("<tr>").length < 70, "1,000 rows are cut to about 55");
    }

    @Test
    @Order(3)
    void chartArrivesAsPng() throws IOException {
        Execution e = ok("org.knowm.xchart.QuickChart.getChart(\"loss\", \"step\", \"loss\", \"train\","
                + " new double[] {1, 2, 3}, new double[] {3, 2, 1.5})");
        BufferedImage img = png(e.result("image/png"));
        assertEquals(600, img.getWidth());
        assertTrue(e.result("text/plain").contains("XYChart"), e.result("text/plain"));
    }

    @Test
    @Order(4)
    void imageArrivesAsPng() throws IOException {
        Execution e = ok("""
                var img = new java.awt.image.BufferedImage(28, 20, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(3, 4, 0, 255);
                img""");
        BufferedImage back = png(e.result("image/png"));
        assertEquals(28, back.getWidth());
        assertEquals(20, back.getHeight());
        assertEquals(255, back.getRaster().getSample(3, 4, 0));
    }

    @Test
    @Order(5)
    void reportObjectsRenderThroughToHtmlAndToImage() throws IOException {
        Execution html = ok("""
                class Summary {
                    public String toHtml() { return "<p class='report'>best epoch 3</p>"; }
                    public String toString() { return "Summary"; }
                }
                new Summary()""");
        assertEquals("<p class='report'>best epoch 3</p>", html.result("text/html"));
        assertEquals("Summary", html.result("text/plain"));
        Execution image = ok("""
                class Heatmap {
                    public java.awt.image.BufferedImage toImage() {
                        return new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
                    }
                }
                new Heatmap()""");
        assertEquals(8, png(image.result("image/png")).getWidth());
        assertTrue(image.result("text/plain").startsWith("Heatmap@"), "no JShell wrapper name: "
                + image.result("text/plain"));
    }

    @Test
    @Order(6)
    void displayUpdatesInPlaceAndItsHandleShowsNothing() {
        Execution e = ok("var d = display(\"first\");\nd.update(\"second\");\nd");
        List<JsonObject> shown = e.outputs("display_data");
        List<JsonObject> updated = e.outputs("update_display_data");
        assertEquals(1, shown.size(), e.toString());
        assertEquals(1, updated.size(), e.toString());
        assertEquals(shown.get(0).get("display_id").getAsString(), updated.get(0).get("display_id").getAsString());
        assertEquals("second", updated.get(0).getAsJsonObject("data").get("text/plain").getAsString());
        assertTrue(e.outputs("execute_result").isEmpty(), "the display handle is not a result: " + e);
    }

    @Test
    @Order(7)
    void exconMagics() {
        Execution env = ok("%excon env");
        JsonObject data = env.outputs("display_data").get(0).getAsJsonObject("data");
        String html = data.get("text/html").getAsString();
        for (String row : List.of("engine", "PyTorch", "device", "GPUs", "threads", "memory", "Fashion-MNIST",
                "CIFAR-10", "Tiny ImageNet")) {
            assertTrue(html.contains(row), row + " missing from %excon env: " + html);
        }
        assertTrue(ok("%excon seed 7").stdout().contains("seed 7"));
        assertEquals("7", ok("Notebook.seed()").result("text/plain"));
        String gpu = ok("%excon device gpu").stdout();
        assertTrue(gpu.contains("no GPU") || gpu.contains("gpu(0)"), gpu);
        assertTrue(ok("%excon device cpu").stdout().contains("cpu()"));
        assertEquals("cpu()", ok("device()").result("text/plain"));
        for (String bare : List.of("%excon", "%maven", "%classpath", "%jars")) {
            Execution e = ok(bare);
            assertTrue(e.stdout().contains("usage:"), bare + " prints its usage: " + e);
        }
        Execution unknown = kernel.execute("%exconn env");
        assertEquals("error", unknown.status());
        assertTrue(unknown.errorText().contains("unknown magic %exconn"), unknown.errorText());
        assertTrue(unknown.errorText().split("\n").length <= 3, "no stack trace for a typo: " + unknown.errorText());
    }

    /** A magic that cannot do what its line says fails its cell, so a headless run stops there. */
    @Test
    @Order(7)
    void aFailedMagicFailsItsCellWithItsMessageAndNoStackTrace() {
        record Case(String line, String name, String says) {}
        String seed = ok("Notebook.seed()").result("text/plain");
        for (Case c : List.of(
                new Case("%excon seed abc", "UsageError", "'abc' is not an integer seed"),
                new Case("%excon device foo", "UsageError", "'foo' is not a device"),
                new Case("%excon bogus", "UsageError", "no sub-command 'bogus'"),
                new Case("%maven foo", "UsageError", "'foo' is not a Maven coordinate"),
                new Case("%maven not:a:coord", "MagicError", "cannot resolve not:a:coord"),
                new Case("%classpath /nonexistent", "UsageError", "not found: /nonexistent"),
                new Case("%jars /nonexistent/*.jar", "UsageError", "not found: /nonexistent/*.jar"))) {
            Execution e = kernel.execute("int before = 1;\n" + c.line() + "\nSystem.out.println(\"after the magic\");");
            assertEquals("error", e.status(), c.line() + " must fail its cell: " + e);
            assertEquals(c.name(), e.error().get("ename").getAsString(), c.line());
            assertTrue(e.error().get("evalue").getAsString().contains(c.says()), c.line() + ": " + e.errorText());
            String text = e.errorText();
            assertTrue(text.startsWith(c.name() + ": ") && text.contains(c.says()), text);
            assertTrue(text.contains("in " + c.line().split(" ")[0] + " at cell line 2"), text);
            assertFalse(text.lines().anyMatch(l -> l.trim().startsWith("at ")), "no Java stack trace: " + text);
            assertFalse(e.stdout().contains("after the magic"), "the rest of the cell does not run: " + e);
        }
        assertEquals(seed, ok("Notebook.seed()").result("text/plain"), "the failed %excon seed changed nothing");
    }

    @Test
    @Order(8)
    void mavenAndClasspathMagicsAddJars() {
        Execution before = kernel.execute("org.opentest4j.AssertionFailedError.class");
        assertEquals("error", before.status(), "opentest4j is not on the kernel's class path yet");
        Execution maven = ok("%maven org.opentest4j:opentest4j:1.3.0");
        assertTrue(maven.stdout().contains("added 1 jar (1 from the local repository, 0 downloaded): "
                + "org.opentest4j:opentest4j:1.3.0"), maven.stdout());
        Execution again = ok("%maven org.opentest4j:opentest4j:1.2.0");
        assertTrue(again.stdout().startsWith("org.opentest4j:opentest4j is already on the kernel's class path (version "
                + "1.3.0"), "what an earlier %maven added counts too: " + again.stdout());
        Execution kept = ok("%maven com.google.code.gson:gson:2.10.1");
        assertTrue(kept.stdout().startsWith("com.google.code.gson:gson is already on the kernel's class path (version "),
                "the kernel's own jar, told by groupId:artifactId: " + kept.stdout());
        assertEquals("x", ok("new org.opentest4j.AssertionFailedError(\"x\").getMessage()").result("text/plain"));
    }

    @Test
    @Order(9)
    void exceptionShowsClassMessageAndLineAndKernelLives() {
        Execution e = kernel.execute("int a = 1;\nint b = 0;\nint c = a / b;");
        assertEquals("error", e.status());
        assertEquals("java.lang.ArithmeticException", e.error().get("ename").getAsString());
        String text = e.errorText();
        assertTrue(text.contains("java.lang.ArithmeticException: / by zero"), text);
        assertTrue(text.contains("at cell line 3"), text);
        assertFalse(text.contains("jdk.jshell") || text.contains("REPL.") || text.contains("dev.excon.notebook.kernel"),
                text);
        assertEquals("2", ok("a + 1").result("text/plain"), "variables of the failed cell survive");

        Execution compile = kernel.execute("int fine = 1;\nString s = fine;");
        assertEquals("CompileError", compile.error().get("ename").getAsString());
        assertTrue(compile.errorText().contains("cell line 2: String s = fine;"), compile.errorText());
        assertTrue(compile.errorText().contains("incompatible types"), compile.errorText());

        Execution nested = kernel.execute("""
                void boom(String why) {
                    throw new IllegalStateException(why, new RuntimeException("root cause"));
                }
                boom("outer")""");
        String nt = nested.errorText();
        assertTrue(nt.contains("java.lang.IllegalStateException: outer"), nt);
        assertTrue(nt.contains("at cell line 2 (in boom)"), nt);
        assertTrue(nt.contains("at cell line 4"), nt);
        assertTrue(nt.contains("Caused by: java.lang.RuntimeException: root cause"), nt);
    }

    /** Options that interrupt the cell when its first output arrives: it runs then, whatever the machine's load. */
    private static JsonObject interruptOnOutput() {
        JsonObject opts = new JsonObject();
        opts.addProperty("interrupt_on", "stream");
        opts.addProperty("timeout", 120);
        return opts;
    }

    @Test
    @Order(10)
    void busyLoopIsStoppedAndTheKernelStaysAlive() {
        // One snippet: an interrupt between two snippets of a cell stops the next one before it starts instead.
        Execution e = kernel.execute("long spins = 0;\nwhile (true) {\n    if (spins++ == 0) {\n"
                + "        System.out.println(\"spinning\");\n        System.out.flush();\n    }\n}",
                interruptOnOutput());
        assertEquals("error", e.status());
        assertTrue(e.errorText().contains("Interrupted"), e.errorText());
        assertTrue(e.errorText().contains("stopped by force"), e.errorText());
        assertEquals("true", ok("spins > 0").result("text/plain"));

        Execution sleep = kernel.execute("{\n    System.out.println(\"sleeping\");\n    System.out.flush();\n"
                + "    Thread.sleep(600_000);\n}", interruptOnOutput());
        // InterruptedException: the interrupt woke the sleep; a forced stop would show as stopped by force.
        assertEquals("java.lang.InterruptedException", sleep.error().get("ename").getAsString(), sleep.errorText());
        assertEquals("3", ok("1 + 2").result("text/plain"));
    }

    @Test
    @Order(11)
    void stdinReachesTheCell() {
        JsonObject opts = new JsonObject();
        com.google.gson.JsonArray answers = new com.google.gson.JsonArray();
        answers.add("forty-two");
        opts.add("stdin", answers);
        Execution e = kernel.execute("new java.util.Scanner(System.in).nextLine().toUpperCase()", opts);
        assertEquals("FORTY-TWO", e.result("text/plain"), e.toString());
    }

    @Test
    @Order(12)
    void completionInspectionCompleteness() {
        assertEquals(List.of("%excon"), matches(kernel.call("op", "complete", "code", "%exc")));
        assertEquals(List.of("device"), matches(kernel.call("op", "complete", "code", "%excon dev")));
        assertTrue(matches(kernel.call("op", "complete", "code", "int n = 3;\n\"abc\".len")).contains("length()"));
        assertTrue(matches(kernel.call("op", "complete", "code", "Datasets.fash")).contains("fashionMnist("),
                "start-up imports reach completion");
        JsonObject inspect = kernel.call("op", "inspect", "code", "Math.max");
        assertTrue(inspect.get("found").getAsBoolean(), inspect.toString());
        assertTrue(inspect.getAsJsonObject("data").get("text/plain").getAsString().contains("max(int a, int b)"));
        assertEquals("incomplete", kernel.call("op", "is_complete", "code", "int x =").get("status").getAsString());
        assertEquals("invalid", kernel.call("op", "is_complete", "code", "int y = 3 }").get("status").getAsString());
        assertEquals("complete", kernel.call("op", "is_complete", "code", "%excon env\n1 + 1").get("status")
                .getAsString());
        assertEquals("    ", kernel.call("op", "is_complete", "code", "for (int i = 0; i < 3; i++) {").get("indent")
                .getAsString());
    }

    private static List<String> matches(JsonObject reply) {
        List<String> out = new ArrayList<>();
        for (JsonElement m : reply.getAsJsonArray("matches")) {
            out.add(m.getAsString());
        }
        return out;
    }

    @Test
    @Order(13)
    void historyAndKernelInfo() {
        ok("int historyMarker = 5;");
        JsonObject h = kernel.call("op", "history", "hist_access_type", "tail", "n", "3");
        assertEquals("ok", h.get("status").getAsString());
        String last = h.getAsJsonArray("history").get(h.getAsJsonArray("history").size() - 1).getAsJsonArray().get(2)
                .getAsString();
        assertEquals("int historyMarker = 5;", last);
        JsonObject info = kernel.call("op", "kernel_info");
        assertEquals("ok", info.get("status").getAsString());
        assertEquals("java", info.getAsJsonObject("language_info").get("name").getAsString());
    }

    @Test
    @Order(14)
    void trainingIsStoppedAtAStepBoundaryByAnInterrupt() {
        ok("""
                var rnd = new java.util.SplittableRandom(1);
                byte[] px = new byte[512 * 28 * 28];
                rnd.nextBytes(px);
                int[] labels = java.util.stream.IntStream.range(0, 512).map(i -> i % 4).toArray();
                var images = new ArrayImageDataset("noise", px, labels, 1, 28, 28, List.of("a", "b", "c", "d"));
                var cfg = TrainConfig.preset("quick").toBuilder().epochs(50).batchSize(32).trainLimit(0).testLimit(0)
                    .build();
                var data = TrainingData.of(new TrainTest(images, images), ChannelStats.FASHION_MNIST, cfg);
                var trainer = ExconTrainer.create(cfg, data, null).addListener(progress());""");
        JsonObject opts = new JsonObject();
        opts.addProperty("interrupt_on", "update_display_data");
        opts.addProperty("timeout", 120);
        Execution e = kernel.execute("trainer.fit()", opts);
        assertEquals("error", e.status(), e.toString());
        assertEquals("dev.excon.train.TrainingStoppedException", e.error().get("ename").getAsString(), e.errorText());
        assertFalse(e.outputs("display_data").isEmpty(), "the live progress display appeared");
        String progress = e.outputs("display_data").get(0).getAsJsonObject("data").get("text/html").getAsString();
        assertTrue(progress.contains("excon-progress"), progress);
        assertTrue(ok("trainer.history().size()").result("text/plain").matches("\\d+"));
        assertEquals("false", ok("ExconRuntime.recordsGradients()").result("text/plain"),
                "cells run with gradient recording off");
    }

    @Test
    @Order(15)
    void kernelLogHasNoSlf4jNoise() {
        String log = kernel.kernelLog();
        assertFalse(log.contains("SLF4J"), log);
    }

    @Test
    @Order(16)
    void messageWithWrongSignatureIsRejectedAndNotRun() {
        JsonObject cmd = new JsonObject();
        cmd.addProperty("op", "bad_signature");
        cmd.addProperty("code", "System.setProperty(\"excon.pwned\", \"yes\")");
        JsonObject answer = kernel.call(cmd, 90);
        assertEquals(0, answer.getAsJsonArray("answered").size(), answer.toString());
        assertEquals("null", ok("System.getProperty(\"excon.pwned\")").result("text/plain"),
                "the forged cell did not run and the kernel still answers");
        assertTrue(kernel.kernelLog().contains("rejected a message"), kernel.kernelLog());
    }

    @Test
    @Order(17)
    void restartGivesAFreshSession() {
        ok("int beforeRestart = 1;");
        kernel.call("op", "restart"); // the driver waits for the new kernel to be ready
        assertEquals("4", ok("2 + 2").result("text/plain"));
        assertEquals("error", kernel.execute("beforeRestart").status(), "variables are gone after a restart");
    }
}
