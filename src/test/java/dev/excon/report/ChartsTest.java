package dev.excon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.eval.embedding.TsneParameters;
import dev.excon.eval.embedding.TsneResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    static final String CAPTION = "excon 0.1.0 @abc123, PyTorch 2.7.1 on cpu(), cifar100/test (0123456789ab), seed 42";

    static double[] edges(int bins) {
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = (double) i / bins;
        }
        return e;
    }

    /** An over-confident model: accuracy below confidence in the upper bins; one empty bin. */
    static ReliabilityDiagram.Panel panel(String name, double shift) {
        int b = 10;
        double[] conf = new double[b];
        double[] acc = new double[b];
        int[] counts = new int[b];
        for (int i = 0; i < b; i++) {
            conf[i] = (i + 0.5) / b;
            acc[i] = Math.max(0, Math.min(1, conf[i] - shift * i / b));
            counts[i] = i == 0 ? 0 : 10 * (i + 1);
        }
        return ReliabilityDiagram.Panel.of(name, edges(b), conf, acc, counts);
    }

    static Map<String, double[]> grid(double base) {
        Map<String, double[]> m = new LinkedHashMap<>();
        String[] names = {"gaussian_noise", "shot_noise", "contrast", "<b>jpeg</b>"};
        for (int k = 0; k < names.length; k++) {
            double[] v = new double[5];
            for (int s = 0; s < 5; s++) {
                v[s] = base - 0.08 * s - 0.03 * k;
            }
            m.put(names[k], v);
        }
        return m;
    }

    @Test
    void reliabilityDiagramsShowTheEceInTheTitleAndRenderSideBySide() {
        ReliabilityDiagram.Panel supcon = panel("SupCon", 0.2);
        // hand-computed ECE: bins 1..9 with counts 10(i+1) and gap 0.2 i / 10
        double n = 0;
        double e = 0;
        for (int i = 1; i < 10; i++) {
            n += 10 * (i + 1);
            e += 10 * (i + 1) * 0.02 * i;
        }
        assertEquals(e / n, supcon.ece(), 1e-12);
        ReliabilityDiagram.Panel excon = new ReliabilityDiagram.Panel("ExCon", edges(10), new double[10],
                new double[10], new int[10], 0.0312);
        ReliabilityDiagram d = ReliabilityDiagram.of(CAPTION, supcon, excon);
        assertTrue(d.title().contains("ExCon (ECE 3.12%)"), d.title());
        assertTrue(d.title().contains("SupCon (ECE " + ReliabilityDiagram.percent(supcon.ece()) + ")"), d.title());
        assertEquals("SupCon: ECE " + ReliabilityDiagram.percent(supcon.ece()), d.charts().get(0).getTitle());
        assertEquals("ExCon: ECE 3.12%", d.charts().get(1).getTitle());
        BufferedImage img = d.toImage();
        assertEquals(880, img.getWidth());
        assertTrue(img.getHeight() > 440 && img.getHeight() < 500, "height " + img.getHeight());
        assertTrue(Pictures.colours(img) > 20, "colours " + Pictures.colours(img));
        assertTrue(Pictures.count(img, ReliabilityDiagram.ACCURACY.getRGB()) > 1000, "no accuracy bars drawn");
        assertThrows(IllegalArgumentException.class, () -> ReliabilityDiagram.Panel.of("bad", edges(3),
                new double[2], new double[3], new int[3]));
    }

    @Test
    void robustnessCurvesHeatmapSummaryAndScatterRender() {
        Map<String, double[]> runs = new LinkedHashMap<>();
        runs.put("SupCon", new double[] {0.7, 0.5, 0.3, 0.1});
        runs.put("ExCon", new double[] {0.72, 0.56, 0.38, 0.2});
        RobustnessCurves curves = RobustnessCurves.of("FGSM", new double[] {0, 1, 2, 4}, runs, CAPTION);
        assertEquals(List.of("SupCon", "ExCon"), curves.runNames());
        BufferedImage c = curves.toImage();
        assertEquals(560, c.getWidth());
        assertTrue(Pictures.colours(c) > 20 && Pictures.inked(c) > 0.02);

        SeverityGrid supcon = SeverityGrid.of("accuracy", grid(0.7), 0.75);
        SeverityGrid excon = SeverityGrid.of("accuracy", grid(0.72), 0.76);
        BufferedImage h = CorruptionHeatmap.of(excon, "ExCon", CAPTION).toImage();
        assertEquals(560, h.getWidth());
        assertTrue(Pictures.colours(h) > 20, "heatmap colours " + Pictures.colours(h));

        Map<String, SeverityGrid> both = new LinkedHashMap<>();
        both.put("SupCon", supcon);
        both.put("ExCon", excon);
        SeveritySummary summary = SeveritySummary.of(both, CAPTION);
        assertTrue(summary.title().contains("4 corruptions"));
        BufferedImage s = summary.toImage();
        assertTrue(Pictures.colours(s) > 20);
        assertEquals(2.5, SeveritySummary.quantile(new double[] {1, 2, 3, 4}, 0.5), 1e-12); // numpy's linear rule
        assertEquals(1.75, SeveritySummary.quantile(new double[] {1, 2, 3, 4}, 0.25), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> SeveritySummary.of(Map.of("a", supcon, "b", SeverityGrid.of("ECE", grid(0.1))), ""));

        SplittableRandom r = new SplittableRandom(1);
        int n = 90;
        double[] x = new double[n];
        double[] y = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            x[i] = 10 * labels[i] + r.nextGaussian();
            y[i] = 5 * (labels[i] % 2) + r.nextGaussian();
        }
        TsneResult t = new TsneResult(x, y, labels, List.of("apple", "bee", "cat"), TsneParameters.defaults(), 0.5);
        TsneScatter scatter = TsneScatter.of(t, "ExCon features", CAPTION);
        assertTrue(scatter.caption().contains("perplexity 30"), scatter.caption());
        BufferedImage sc = scatter.toImage();
        assertEquals(640, sc.getWidth());
        assertTrue(Pictures.colours(sc) > 20);
    }

    @Test
    void figuresInlineTheirPngInHtml() throws Exception {
        RobustnessCurves curves = RobustnessCurves.builder().title("PGD <10 steps>").caption(CAPTION)
                .addRun("a", new double[] {0, 1}, new double[] {0.9, 0.4}).size(300, 200).build();
        String html = curves.toHtml();
        String prefix = "<img src=\"data:image/png;base64,";
        int at = html.indexOf(prefix);
        assertTrue(at >= 0, html.substring(0, Math.min(200, html.length())));
        String b64 = html.substring(at + prefix.length(), html.indexOf('"', at + prefix.length()));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
        assertEquals(300, decoded.getWidth());
        assertTrue(html.contains("PGD &lt;10 steps&gt;"));
        assertFalse(html.contains("<10 steps>"));
        assertTrue(html.contains(Html.escape(CAPTION)));
    }

    @Test
    void pngAndSvgAreWrittenForSingleCharts(@TempDir Path dir) throws Exception {
        RobustnessCurves curves = RobustnessCurves.of("FGSM", new double[] {0, 1}, Map.of("a", new double[] {1, 0}),
                CAPTION);
        Path png = dir.resolve("sub/curves.png");
        curves.savePng(png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(curves.toImage().getWidth(), back.getWidth());
        // The build ships XChart's optional SVG encoder (VectorGraphics2D), so single charts save as SVG.
        assertTrue(ChartFigure.vectorGraphicsAvailable() && curves.supportsSvg());
        Path svg = dir.resolve("c.svg");
        curves.saveSvg(svg);
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains("<path"), text.substring(0, Math.min(200, text.length())));
        ReliabilityDiagram two = ReliabilityDiagram.of(CAPTION, panel("a", 0.1), panel("b", 0.2));
        assertFalse(two.supportsSvg());
        assertThrows(UnsupportedOperationException.class, () -> two.saveSvg(dir.resolve("r.svg")));
    }
}
