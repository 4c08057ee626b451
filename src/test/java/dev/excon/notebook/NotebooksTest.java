package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every notebook in {@code notebooks/} runs headless through {@code bin/run-notebook} with its smoke setting, as CI
 * and {@code make reports} run them: the run must succeed (nbconvert stops at the first error), and the HTML report must
 * be self-contained (no external scripts) and carry its tables and images. The reproduction notebooks run on small
 * generated data sets in the official CIFAR-100 binary and Tiny ImageNet layouts.
 */
@Tag("kernel")
class NotebooksTest {

    /** The smoke setting of each notebook, and the fewest inline images its report must have. */
    record Smoke(String notebook, int minImages, List<String> params) {}

    static List<Smoke> smokes(Path cifar, Path tiny, Path runs) {
        List<String> repro = List.of("epochs=1", "backbone=small", "batchSize=32", "trainLimit=400",
                "testLimit=200", "evalImages=100", "pgdImages=50", "corruptionImages=40", "tsne=false",
                "runs=" + runs);
        List<String> cifarParams = new ArrayList<>(repro);
        cifarParams.add("data=" + cifar);
        List<String> tinyParams = new ArrayList<>(repro);
        tinyParams.add("data=" + tiny);
        tinyParams.add("preset=reference-tiny-imagenet"); // the reference's exact setting; 10 runs the corrected one
        return List.of(
                new Smoke("01-quickstart", 9, List.of("trainImages=600", "testImages=200", "epochs=2", "expEpochs=1")),
                new Smoke("02-explainers", 3, List.of("trainImages=600", "epochs=1", "evalImages=100", "igSteps=8",
                        "smoothSamples=4", "shown=3", "cnnEpochs=1")),
                new Smoke("03-robustness-and-calibration", 8, List.of("trainImages=600", "epochs=1",
                        "testImages=200", "corruptionImages=40", "epsilons=2,8")),
                new Smoke("04-seeds-and-significance", 1, List.of("seeds=1,2", "trainImages=300", "testImages=100",
                        "epochs=2", "evalImages=60", "runs=" + runs)),
                new Smoke("10-cifar100-reproduction", 5, cifarParams),
                new Smoke("11-tiny-imagenet-reproduction", 5, tinyParams));
    }

    @Test
    void everyNotebookRunsHeadlessWithItsSmokeSettingIntoASelfContainedReport() throws IOException {
        KernelFixture.assumeJupyter();
        Path work = Files.createTempDirectory("excon-notebooks-");
        Path data = work.resolve("data");
        dev.excon.data.OfficialLayouts.writeCifar100(data.resolve("cifar-100-binary"));
        dev.excon.data.OfficialLayouts.writeTinyImageNet(data.resolve("tiny-imagenet-200"));
        List<Smoke> smokes = smokes(data, data, work.resolve("runs"));
        List<String> notebooks;
        try (Stream<Path> s = Files.list(Path.of("notebooks"))) {
            notebooks = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb"))
                    .map(n -> n.substring(0, n.length() - ".ipynb".length())).sorted().toList();
        }
        assertEquals(smokes.stream().map(Smoke::notebook).sorted().toList(), notebooks,
                "every notebook has a smoke setting here (and every smoke setting a notebook)");
        Path reports = work.resolve("reports");
        for (Smoke smoke : smokes) {
            List<String> cmd = new ArrayList<>(List.of("bash", Path.of("bin/run-notebook").toAbsolutePath().toString(),
                    Path.of("notebooks", smoke.notebook() + ".ipynb").toAbsolutePath().toString(), "--out",
                    reports.toString(), "--timeout", "600"));
            cmd.addAll(smoke.params());
            KernelFixture.Result r = KernelFixture.run(work, 900, cmd.toArray(new String[0]));
            assertEquals(0, r.exitCode(), smoke.notebook() + " failed:\n" + r.output());
            Path html = reports.resolve(smoke.notebook() + ".html");
            assertTrue(r.output().contains("report: " + html), "prints the report's path:\n" + r.output());
            String page = Files.readString(html, StandardCharsets.UTF_8);
            int images = count(page, "<img src=\"data:image/png;base64,");
            assertTrue(images >= smoke.minImages(), smoke.notebook() + ": " + images + " inline images, expected at "
                    + "least " + smoke.minImages());
            assertTrue(page.contains("<table"), smoke.notebook() + ": a table");
            assertFalse(Pattern.compile("<script[^>]*\\bsrc=").matcher(page).find(),
                    smoke.notebook() + ": no external script (the report opens offline)");
            assertFalse(page.contains("data-mime-type=\"application/vnd.jupyter.stderr\""),
                    smoke.notebook() + ": no stderr output");
            assertFalse(page.contains("SLF4J"), smoke.notebook() + ": no logging noise");
            assertTrue(page.contains("command line"), smoke.notebook() + ": the parameters table shows the overrides");
            if (smoke.params().contains("preset=reference-tiny-imagenet")) {
                // The reference's setting: no validation split, so the history says what "best" was chosen on.
                assertTrue(page.contains("best by test acc") && page.contains("the protocol evaluates last.ckpt"),
                        smoke.notebook() + ": best chosen on test, the last model evaluated");
            } else if (smoke.notebook().startsWith("10-")) {
                assertTrue(page.contains("best by val acc") && page.contains("the protocol evaluates best.ckpt"),
                        smoke.notebook() + ": best chosen on validation, that checkpoint evaluated");
            }
        }
    }

    @Test
    void aTypoInAParameterStopsTheRunAndNamesTheKnownOnes() throws IOException {
        KernelFixture.assumeJupyter();
        Path work = Files.createTempDirectory("excon-notebooks-typo-");
        KernelFixture.Result r = KernelFixture.run(work, 300, "bash",
                Path.of("bin/run-notebook").toAbsolutePath().toString(),
                Path.of("notebooks/01-quickstart.ipynb").toAbsolutePath().toString(), "--out",
                work.resolve("reports").toString(), "epoch=1");
        assertTrue(r.exitCode() != 0, "a misspelt parameter must not silently run the defaults:\n" + r.output());
        assertFalse(r.output().contains("Traceback (most recent call last)"), "no Python traceback:\n" + r.output());
        List<String> lines = r.output().lines().filter(l -> l.contains("unknown parameter [epoch]")).toList();
        assertEquals(1, lines.size(), "the error once:\n" + r.output());
        assertTrue(Pattern.compile("^run-notebook: 01-quickstart\\.ipynb, cell \\d+ of \\d+: "
                + "dev\\.excon\\.notebook\\.ParameterException: unknown parameter \\[epoch\\] on the command line; "
                + "this notebook's parameters are \\[.*\\bepochs\\b.*\\]$").matcher(lines.get(0)).matches(),
                "one line: the cell, the bad name and the notebook's parameters:\n" + r.output());
        assertFalse(r.output().lines().anyMatch(l -> l.trim().startsWith("at ")), "no stack trace:\n" + r.output());
        assertFalse(Files.exists(work.resolve("reports/01-quickstart.html")), "no report from a failed run");
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
