package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of the notebook layer: {@code jupyter nbconvert --to html --execute} of a notebook that uses
 * every magic and renderer gives an HTML file with the table, the chart and the images inline, the live progress in
 * its final state, and no error (nbconvert stops with an error if any cell fails).
 */
@Tag("kernel")
class NotebookExportTest {

    @Test
    void everyMagicAndRendererExportsToHtml() throws IOException {
        KernelFixture.assumeJupyter();
        Path dir = Files.createTempDirectory("excon-nbconvert-");
        Path classes = dir.resolve("classes");
        Path jar = dir.resolve("jars/greeting.jar");
        compile(classes, "demo/Greeter.java",
                "package demo; public class Greeter { public String greet() { return \"hello from a class dir\"; } }");
        compile(dir.resolve("jarclasses"), "demo2/Shout.java",
                "package demo2; public class Shout { public static String of(String s) { return s.toUpperCase(); } }");
        jar(dir.resolve("jarclasses"), "demo2/Shout.class", jar);

        List<String> cells = List.of(
                "%excon env",
                "%excon seed 42\n%excon device cpu\nNotebook.seed() + \" on \" + device()",
                "%classpath " + classes + "\n%jars " + jar.getParent() + "\nnew demo.Greeter().greet() + \" / \""
                        + " + demo2.Shout.of(\"jar\")",
                "%maven org.opentest4j:opentest4j:1.3.0\nnew org.opentest4j.AssertionFailedError(\"from maven\")"
                        + ".getMessage()",
                """
                var table = tech.tablesaw.api.Table.create("results",
                    tech.tablesaw.api.StringColumn.create("method", "SupCon", "ExCon", "<script>alert('x')</script>"),
                    tech.tablesaw.api.DoubleColumn.create("accuracy", 0.71, 0.74, 0.0));
                table""",
                """
                var chart = org.knowm.xchart.QuickChart.getChart("loss", "epoch", "loss", "ExCon",
                    new double[] {1, 2, 3, 4}, new double[] {4.1, 3.2, 2.9, 2.7});
                chart""",
                """
                var img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8);
                img""",
                """
                dev.excon.report.ResultTable.of(table, "provenance: seed " + seed())""",
                """
                dev.excon.report.RobustnessCurves.of("FGSM", new double[] {0, 1, 2, 4},
                    Map.of("SupCon", new double[] {0.70, 0.55, 0.40, 0.20}, "ExCon", new double[] {0.72, 0.60, 0.47, 0.30}),
                    "seed " + seed())""",
                """
                var status = display("step 1 of 2");
                status.update("step 2 of 2: finished");""",
                """
                var rnd = new java.util.SplittableRandom(Notebook.seed());
                byte[] px = new byte[160 * 28 * 28];
                rnd.nextBytes(px);
                int[] labels = java.util.stream.IntStream.range(0, 160).map(i -> i % 4).toArray();
                var images = new ArrayImageDataset("noise", px, labels, 1, 28, 28, List.of("a", "b", "c", "d"));
                var cfg = TrainConfig.preset("quick").toBuilder().epochs(1).batchSize(32).trainLimit(0).testLimit(0)
                    .seed(Notebook.seed()).build();
                var data = TrainingData.of(new TrainTest(images, images), ChannelStats.FASHION_MNIST, cfg);
                var trainer = ExconTrainer.create(cfg, data, null, device());
                trainer.addListener(progress()).fit().best().epoch()""",
                """
                var calibration = Calibration.standard().evaluate(trainer.network(), images, 64);
                var diagram = ReliabilityDiagram.of("seed " + seed(), ProtocolReport.panel("quick run", calibration));
                diagram""",
                """
                SaliencyGrid grid;
                try (var m = NDManager.newBaseManager(device())) {
                    float[] f = new float[6 * 28 * 28];
                    for (int i = 0; i < f.length; i++) f[i] = (px[i] & 0xff) / 255f;
                    var x = m.create(f, new Shape(6, 1, 28, 28));
                    var maps = Explainers.gradCam().explainPredicted(trainer.network(), x);
                    grid = SaliencyGrid.builder(x).title("Grad-CAM of the quick run").addImageColumn("image")
                        .addMapColumn("Grad-CAM", maps, maps.gt(0.5f)).build();
                }
                grid""",
                """
                trainer.close();
                Report.create("tour report").provenance(trainer.provenance()).section("calibration").add(diagram)
                    .section("saliency").add(grid)""");
        Path nb = dir.resolve("tour.ipynb");
        Files.writeString(nb, KernelFixture.notebook(cells), StandardCharsets.UTF_8);

        KernelFixture.Result r = KernelFixture.run(dir, 300, KernelFixture.JUPYTER.toString(), "nbconvert",
                "--to", "html", "--execute", "--ExecutePreprocessor.timeout=240",
                "--ExecutePreprocessor.kernel_name=" + KernelFixture.KERNEL, "--output", "tour.html", nb.toString());
        assertEquals(0, r.exitCode(), "nbconvert failed (a cell raised an error?):\n" + r.output());
        String html = Files.readString(dir.resolve("tour.html"), StandardCharsets.UTF_8);

        assertTrue(html.contains("class=\"excon-env\""), "%excon env table");
        assertTrue(html.contains("Fashion-MNIST"), "%excon env lists the data sets");
        assertTrue(html.contains("42 on cpu()"), "seed and device");
        assertTrue(html.contains("hello from a class dir / JAR"), "%classpath and %jars");
        assertTrue(html.contains("from maven"), "%maven");
        assertTrue(html.contains("class=\"excon-table\""), "the Tablesaw table");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "the <script> cell is escaped");
        assertFalse(html.contains("<script>alert("), "no live <script> from data");
        assertTrue(count(html, "<img src=\"data:image/png;base64,") >= 5,
                "the chart, the image, the robustness figure, the reliability diagram and the saliency grid are inline"
                        + " PNGs");
        assertTrue(html.contains("<iframe") && html.contains("tour report"), "a whole report page, sandboxed");
        assertTrue(html.contains("<figure class=\"excon-table\">") && html.contains("provenance: seed 42"),
                "a dev.excon.report table through its toHtml()");
        assertTrue(html.contains("<pre>step 2 of 2: finished</pre>") && !html.contains("<pre>step 1 of 2"),
                "an updated display keeps its final state only");
        assertTrue(html.contains("excon-progress") && html.contains("done in"),
                "the live progress in its final state");
        assertFalse(html.contains("SLF4J"), "no logging noise");
        assertFalse(html.contains("data-mime-type=\"application/vnd.jupyter.stderr\""), "no error or stderr output");
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void compile(Path out, String file, String source) throws IOException {
        Path src = out.resolveSibling(out.getFileName() + "-src").resolve(file);
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", out.toString(), src.toString()));
    }

    private static void jar(Path classes, String entry, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f)) {
            j.putNextEntry(new JarEntry(entry));
            j.write(Files.readAllBytes(classes.resolve(entry)));
            j.closeEntry();
        }
    }
}
