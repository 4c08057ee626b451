package dev.excon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.train.DataFingerprint;
import dev.excon.train.RunDirectory;
import dev.excon.eval.EvaluationFile;
import dev.excon.eval.ProtocolResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code excon evaluate} and {@code excon report} end to end: a tiny run trained through the command line on
 * generated Fashion-MNIST-shaped files, evaluated, reported alone and side by side; then every refusal with its exit
 * code and fix.
 */
class EvaluateReportCliTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static Path dataRoot;
    static Path run;

    /** Exit code, stdout and stderr of one command. */
    record Result(int code, String out, String err) {
        String all() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    static Result cli(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].toString();
        }
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = ExconCli.run(a);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void trainATinyRun() throws IOException {
        // The generated files stand in for Fashion-MNIST under its own name, so they cannot match its published
        // checksums: the documented opt-out, for this class only.
        System.setProperty(dev.excon.data.verify.DataVerifier.ENABLED_PROPERTY, "off");
        dataRoot = shared.resolve("data");
        writeFashionLike(dataRoot.resolve("fashion-mnist"), 1);
        run = shared.resolve("runs").resolve("tiny");
        Result r = cli("train", "--preset", "quick", "--set", "trainLimit=300", "--set", "testLimit=100", "--set",
                "epochs=1", "--set", "expEpochs=1", "--device", "cpu", "--data", dataRoot, "--out", run);
        assertEquals(0, r.code(), r.all());
        assertTrue(Files.isRegularFile(run.resolve("best.ckpt")) && Files.isRegularFile(run.resolve("last.ckpt"))
                && Files.isRegularFile(run.resolve(DataFingerprint.FILE)), r.all());
    }

    @AfterAll
    static void verificationBackOn() {
        System.clearProperty(dev.excon.data.verify.DataVerifier.ENABLED_PROPERTY);
    }

    /**
     * Ten classes of 28x28 images, 30 training and 10 test images each, in the four IDX files Fashion-MNIST ships:
     * each class a bright band at its own height over seeded noise.
     */
    static void writeFashionLike(Path dir, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        for (String part : new String[] {"train", "t10k"}) {
            int n = part.equals("train") ? 300 : 100;
            ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(0x00000803).putInt(n).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x00000801).putInt(n);
            for (int i = 0; i < n; i++) {
                int c = i % 10;
                labels.put((byte) c);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        boolean band = y >= 2 + 2 * c && y < 5 + 2 * c;
                        images.put((byte) (band ? 160 + r.nextInt(90) : r.nextInt(70)));
                    }
                }
            }
            Files.createDirectories(dir);
            Files.write(dir.resolve(part + "-images-idx3-ubyte"), images.array());
            Files.write(dir.resolve(part + "-labels-idx1-ubyte"), labels.array());
        }
    }

    /** A copy of the trained run's files, without any evaluation, under another name. */
    static Path copyRun(Path parent, String name) throws IOException {
        Path copy = parent.resolve(name);
        Files.createDirectories(copy);
        for (String f : new String[] {"config.properties", "history.csv", "last.ckpt", "best.ckpt",
            DataFingerprint.FILE}) {
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    // ------------------------------------------------------------------ the whole path

    @Test
    void evaluatesThenReportsAloneAndSideBySide() throws IOException {
        String before = System.getProperty("excon.data");
        Result r = cli("evaluate", run, "--data", dataRoot, "--device", "cpu", "--test-limit", "40", "--epsilons",
                "8", "--corruption-limit", "10", "--tsne-per-class", "4", "--deletion-steps", "4", "--batch-size",
                "40", "--pgd-limit", "20");
        assertEquals(0, r.code(), r.all());
        assertEquals(before, System.getProperty("excon.data"), "--data does not outlive the command");
        Path json = run.resolve("evaluation.json");
        Path html = run.resolve("report.html");
        assertEquals(List.of(json.toString(), html.toString()), r.out().lines().toList(), r.all());
        assertTrue(r.err().contains("tiny: evaluating " + run.resolve("best.ckpt") + " (epoch 1 of 1")
                && r.err().contains("accuracy and calibration on 40 test images")
                && r.err().contains("PGD over [8.0] /255") && r.err().contains("evaluated in")
                && r.err().contains("top-1"), r.all());
        try (Stream<Path> files = Files.list(run)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file is left");
        }

        String text = Files.readString(json, StandardCharsets.UTF_8);
        EvaluationFile saved = EvaluationFile.read(json);
        assertEquals(text, saved.toJson(), "the saved file reads back to the same text");
        ProtocolResult res = saved.result();
        assertEquals("tiny", res.run());
        assertEquals(40, res.accuracy().count(), "--test-limit 40 of the run's 100 test images");
        assertNotNull(res.pgd());
        assertEquals(20, res.pgd().clean().count(), "--pgd-limit 20: PGD on a class-balanced subset");
        assertEquals(40, res.fgsm().clean().count(), "FGSM on every evaluated image");
        assertEquals(11, res.corruptionEce().size());
        assertEquals(40, res.tsne().size(), "10 classes x 4");
        assertTrue(saved.notes().get("checkpoint").startsWith("best.ckpt, epoch 1 of 1"), saved.notes().toString());
        assertTrue(saved.notes().get("command").startsWith("excon evaluate "), saved.notes().toString());
        // The rebuilt training split is the one the run recorded when it was trained.
        Properties recorded = new Properties();
        recorded.load(new StringReader(Files.readString(run.resolve(DataFingerprint.FILE))));
        assertEquals(recorded.getProperty("train"), res.provenance().datasetFingerprint());
        assertEquals(res.provenance(), res.fgsm().provenance(), "nested results keep the provenance");
        String first = Files.readString(html, StandardCharsets.UTF_8);
        assertReportPage(first, "Evaluation of tiny", true);
        assertTrue(first.contains("Embeddings: tiny") && first.contains("Calibration under corruptions"), first);

        // report: the same page from the saved file alone.
        Files.delete(html);
        r = cli("report", run);
        assertEquals(0, r.code(), r.all());
        assertEquals(html.toString(), r.out().strip());
        assertReportPage(Files.readString(html, StandardCharsets.UTF_8), "Evaluation of tiny", true);

        // Two runs with different names, side by side; the default title names both.
        Path other = tmp.resolve("other");
        new EvaluationFile(res.withRun("other"), saved.notes()).write(other.resolve("evaluation.json"));
        Path page = tmp.resolve("out").resolve("compare.html");
        r = cli("report", run, other, "--out", page);
        assertEquals(0, r.code(), r.all());
        String compare = Files.readString(page, StandardCharsets.UTF_8);
        assertReportPage(compare, "tiny vs other", true);
        assertTrue(compare.contains(">other<"), "both runs in the summary");

        // Two runs both called "tiny" are told apart by their paths; an evaluation file can be given directly.
        Path twin = tmp.resolve("b").resolve("tiny");
        Files.createDirectories(twin);
        Files.copy(json, twin.resolve("copy.json"));
        // Several runs go to reports/compare.html by default (checked unless one is there already: never
        // overwrite a page of the working tree).
        Path expected = Path.of("reports", "compare.html");
        boolean useDefault = !Files.exists(expected);
        Path twinsPage = useDefault ? expected : tmp.resolve("twins.html");
        r = useDefault ? cli("report", run, twin.resolve("copy.json"), "--title", "Twins & <co>")
                : cli("report", run, twin.resolve("copy.json"), "--title", "Twins & <co>", "--out", twinsPage);
        try {
            assertEquals(0, r.code(), r.all());
            assertEquals(twinsPage.toString(), r.out().strip());
            String twins = Files.readString(twinsPage, StandardCharsets.UTF_8);
            assertReportPage(twins, "Twins &amp; &lt;co&gt;", true);
            assertTrue(twins.contains("tiny (" + run + ")") && twins.contains("tiny (" + twin.resolve("copy.json")
                    + ")"), "names made distinct");
        } finally {
            if (useDefault) {
                Files.deleteIfExists(expected);
                try (Stream<Path> left = Files.list(expected.getParent())) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(expected.getParent());
                    }
                }
            }
        }
        // A single JSON file given directly gets its page next to it.
        r = cli("report", twin.resolve("copy.json"));
        assertEquals(0, r.code(), r.all());
        assertTrue(Files.isRegularFile(twin.resolve("copy.html")), r.all());
    }

    private static void assertReportPage(String html, String title, boolean pgd) {
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<title>" + title + "</title>"),
                html.substring(0, Math.min(400, html.length())));
        assertTrue(html.contains("<table") && html.contains("Evaluation summary"), "summary table");
        assertTrue(html.contains("top-1") && html.contains("ECE"), "headline columns");
        assertTrue(html.contains("<img") && html.contains("data:image/png;base64,"), "inline images");
        assertTrue(html.contains("Robustness to FGSM"), "FGSM curves");
        assertEquals(pgd, html.contains("Robustness to PGD"), "PGD curves");
        assertTrue(html.contains("Provenance"), "provenance table");
        assertFalse(html.contains("<script"), "self-contained");
    }

    @Test
    void fallsBackToLastCheckpointAndSkipsWhatItIsTold() throws IOException {
        Path copy = copyRun(tmp, "last-only");
        Files.delete(copy.resolve("best.ckpt"));
        Result r;
        // While a trainer holds the run, evaluate leaves its files alone and takes what is there.
        try (RunDirectory held = RunDirectory.open(copy)) {
            r = cli("evaluate", copy, "--data", dataRoot, "--device", "cpu", "--test-limit", "50", "--no-pgd",
                    "--no-corruptions", "--no-tsne", "--epsilons", "4,8", "--deletion-steps", "2", "--name",
                    "only last");
        }
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("note: " + copy.toAbsolutePath() + " is being trained right now"), r.all());
        assertTrue(r.err().contains("note: " + copy + " has no best.ckpt; evaluating last.ckpt instead"), r.all());
        assertFalse(Files.exists(copy.resolve("best.ckpt")), "nothing repaired under a trainer's lock");
        EvaluationFile saved = EvaluationFile.read(copy.resolve("evaluation.json"));
        assertTrue(saved.notes().get("checkpoint").startsWith("last.ckpt"), saved.notes().toString());
        ProtocolResult res = saved.result();
        assertEquals("only last", res.run());
        assertEquals(50, res.accuracy().count());
        assertNull(res.pgd());
        assertNull(res.tsne());
        assertTrue(res.corruptionEce().isEmpty() && res.corruptionSuite().equals("none"));
        assertEquals(2, res.fgsm().epsilons().length);
        String html = Files.readString(copy.resolve("report.html"), StandardCharsets.UTF_8);
        assertReportPage(html, "Evaluation of only last", false);
        assertFalse(html.contains("Embeddings") || html.contains("corruptions"), "skipped parts are not shown");

        // With no trainer on it, evaluate first repairs what an interrupted run left, and says so.
        Files.delete(copy.resolve("evaluation.json"));
        r = cli("evaluate", copy, "--data", dataRoot, "--device", "cpu", "--test-limit", "50", "--no-pgd",
                "--no-corruptions", "--no-tsne", "--epsilons", "8", "--deletion-steps", "2");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("note: repaired " + copy.toAbsolutePath() + ": best.ckpt was missing, but the "
                + "best epoch is 1: linked to last.ckpt"), r.all());
        assertTrue(EvaluationFile.read(copy.resolve("evaluation.json")).notes().get("checkpoint")
                .startsWith("best.ckpt"), "the repaired best.ckpt is evaluated");
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void badArgumentsPrintUsageAndTheFix() throws IOException {
        Path missing = tmp.resolve("runs").resolve("nope");
        Result r = cli("evaluate", missing);
        assertUsage(r, "evaluate", "run directory " + missing + " does not exist", "excon train --out " + missing);

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertUsage(cli("evaluate", file), "evaluate", file + " is a file, not a run directory");

        Path untrained = tmp.resolve("untrained");
        Files.createDirectories(untrained);
        Files.copy(run.resolve("config.properties"), untrained.resolve("config.properties"));
        assertUsage(cli("evaluate", untrained), "evaluate", untrained + " holds no checkpoint",
                "train it first: excon train", "--out " + untrained);

        assertUsage(cli("evaluate"), "evaluate", "Missing required parameter: 'RUN'");
        assertUsage(cli("evaluate", run, "--fast"), "evaluate", "Unknown option: '--fast'");
        assertUsage(cli("evaluate", run, "--checkpoint", "middle"), "evaluate", "--checkpoint middle: choose best "
                + "or last");
        assertUsage(cli("evaluate", run, "--epsilons", "0"), "evaluate", "epsilon 0.0/255 must be positive");
        assertUsage(cli("evaluate", run, "--explainer", "lime"), "evaluate", "unknown explainer 'lime'");
        assertUsage(cli("evaluate", run, "--test-limit", "many"), "evaluate", "--test-limit", "many");
        assertUsage(cli("evaluate", run, "--cifar100c", tmp.resolve("no-c")), "evaluate", "no such directory");

        assertUsage(cli("report"), "report", "Missing required parameter: 'RUN'");
        assertUsage(cli("report", missing), "report", "run directory " + missing + " does not exist");
        Path fresh = copyRun(tmp, "fresh");
        assertUsage(cli("report", fresh), "report", fresh + " has not been evaluated (no evaluation.json): run excon "
                + "evaluate " + fresh + " first");
        assertUsage(cli("report", untrained), "report", "run excon evaluate " + untrained + " first",
                "it holds no checkpoint either");
        assertUsage(cli("report", run, run, "--out", tmp.resolve("x.html")), "report", "given twice");
        assertUsage(cli("report", run, "--out", tmp), "report", "--out " + tmp + " is a directory: give the HTML "
                + "file to write, e.g. --out " + tmp.resolve("report.html"));
        assertUsage(cli("report", run, "--colour"), "report", "Unknown option: '--colour'");

        Result none = cli();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("choose a command: train, evaluate, report, sweep or data"), none.all());
        Result help = cli("report", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("reports/compare.html") && help.out().contains("--title"), help.all());
        help = cli("evaluate", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("evaluation.json") && help.out().contains("--no-pgd"), help.all());
    }

    private static void assertUsage(Result r, String command, String... parts) {
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("Usage: excon " + command), r.all());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "'" + p + "' missing:\n" + r.all());
        }
    }

    @Test
    void failuresSayWhatIsWrongAndWriteNothing() throws IOException {
        // A damaged evaluation.json: the file, the place and the fix.
        Path damaged = copyRun(tmp, "damaged");
        Files.writeString(damaged.resolve("evaluation.json"), "{\"format\": \"excon-evaluation\", \"version\": 1, "
                + "\"result\": {\"run\": 3");
        Result r = cli("report", damaged);
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("error: " + damaged.resolve("evaluation.json") + ": not valid JSON: line 1")
                && r.err().contains("Rewrite it with: excon evaluate " + damaged), r.all());
        assertFalse(Files.exists(damaged.resolve("report.html")));
        Files.writeString(damaged.resolve("evaluation.json"), "{\"format\": \"excon-evaluation\", \"version\": 1, "
                + "\"result\": {\"run\": 3}}");
        r = cli("report", damaged);
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("$.result.run = 3; expected a string"), r.all());

        // config.properties edited after training.
        Path edited = copyRun(tmp, "edited");
        String config = Files.readString(edited.resolve("config.properties"));
        Files.writeString(edited.resolve("config.properties"), config.replace("epochs=1", "epochs=9"));
        r = cli("evaluate", edited, "--data", dataRoot, "--device", "cpu");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("config.properties does not match the configuration")
                && r.err().contains("restore the file"), r.all());

        // Other data than the run was trained on.
        Assumptions.assumeTrue(System.getenv("EXCON_FASHION_MNIST") == null, "EXCON_FASHION_MNIST overrides --data");
        Path otherData = tmp.resolve("other-data");
        writeFashionLike(otherData.resolve("fashion-mnist"), 2);
        Path wrongData = copyRun(tmp, "wrong-data");
        r = cli("evaluate", wrongData, "--data", otherData, "--device", "cpu");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("images differ from those " + wrongData + " was trained on")
                && r.err().contains("excon: --data DIR"), r.all());

        // A t-SNE too small for its perplexity is refused before the long passes; nothing is saved.
        Path small = copyRun(tmp, "small");
        r = cli("evaluate", small, "--data", dataRoot, "--device", "cpu", "--tsne-per-class", "2");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("error: the t-SNE would embed 20 points"), r.all());
        assertFalse(r.err().contains("FGSM over"), "failed before the passes:\n" + r.all());

        // Every checkpoint damaged: nothing to repair from, and nothing is touched.
        Path cut = copyRun(tmp, "cut");
        byte[] ckpt = Files.readAllBytes(cut.resolve("best.ckpt"));
        for (String name : new String[] {"best.ckpt", "last.ckpt"}) {
            Files.write(cut.resolve(name), java.util.Arrays.copyOf(ckpt, ckpt.length - 100));
        }
        r = cli("evaluate", cut, "--data", dataRoot, "--device", "cpu");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("error: " + cut.toAbsolutePath() + " holds a run but no intact checkpoint")
                && r.err().contains(cut.toAbsolutePath().resolve("best.ckpt") + " is damaged or cut short")
                && r.err().contains("Nothing was changed"), r.all());
        assertEquals(ckpt.length - 100, Files.size(cut.resolve("best.ckpt")), "left as it was");

        for (Path p : new Path[] {edited, wrongData, small, cut}) {
            assertFalse(Files.exists(p.resolve("evaluation.json")) || Files.exists(p.resolve("report.html")),
                    "nothing written in " + p);
        }
    }
}
