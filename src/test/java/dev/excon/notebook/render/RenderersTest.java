package dev.excon.notebook.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.QuickChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The renderers as registered with a JJava {@link Renderer}, the way a kernel (this one or JJava's) uses them. */
class RenderersTest {

    private static Renderer renderer() {
        Renderer r = new Renderer();
        org.dflib.jjava.jupyter.kernel.display.common.Image.registerAll(r); // what BaseKernel registers
        org.dflib.jjava.jupyter.kernel.display.common.Text.registerAll(r);
        Renderers.register(r);
        return r;
    }

    private static String html(DisplayData d) {
        return (String) d.getData(MIMEType.TEXT_HTML);
    }

    private static BufferedImage png(DisplayData d) throws IOException {
        String b64 = (String) d.getData(MIMEType.IMAGE_PNG);
        assertNotNull(b64, "no image/png");
        assertFalse(b64.contains("\n"), "base64 in one line");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
    }

    @Test
    void everyStringOfATableIsEscaped() {
        Table t = Table.create("<i>name</i>", StringColumn.create("<th>", "<script>alert('x')</script>", "a & b"),
                DoubleColumn.create("score", 0.5, 1.25));
        DisplayData d = renderer().render(t);
        String h = html(d);
        assertTrue(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), h);
        assertTrue(h.contains("a &amp; b"), h);
        assertTrue(h.contains("&lt;i&gt;name&lt;/i&gt;"), h);
        assertTrue(h.contains("&lt;th&gt;"), h);
        assertFalse(h.contains("<script"), h);
        assertTrue(h.contains("text-align:right\">1.25"), "numbers right-aligned: " + h);
        assertTrue(h.contains("2 rows \u00d7 2 columns"), h);
        assertTrue(((String) d.getData(MIMEType.TEXT_PLAIN)).contains("<script>alert('x')</script>"));
    }

    @Test
    void longTablesAreCutWithTheRowCount() {
        Table t = Table.create("big", IntColumn.create("i", IntStream.range(0, 10_000).toArray()));
        DisplayData d = renderer().render(t);
        String h = html(d);
        assertEquals(TableHtml.HEAD + TableHtml.TAIL + 1 + 1, h.split("<tr>").length - 1, "head + tail + ellipsis + header");
        assertTrue(h.contains("10,000 rows"), h);
        assertTrue(h.contains(">9999<"), "the last row is shown");
        assertFalse(h.contains(">5000<"), "the middle is not");
        String text = (String) d.getData(MIMEType.TEXT_PLAIN);
        assertTrue(text.contains("10,000 rows"), text);
        assertTrue(text.lines().count() < 40, text);
    }

    @Test
    void chartsAndImagesArePng() throws IOException {
        XYChart chart = QuickChart.getChart("loss", "x", "y", "s", new double[] {1, 2}, new double[] {2, 1});
        DisplayData c = renderer().render(chart);
        assertEquals(chart.getWidth(), png(c).getWidth());
        assertTrue(((String) c.getData(MIMEType.TEXT_PLAIN)).startsWith("XYChart 'loss'"));

        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(1, 2, 0, 200);
        DisplayData i = renderer().render(img);
        BufferedImage back = png(i);
        assertEquals(200, back.getRaster().getSample(1, 2, 0));
        assertEquals("BufferedImage 5x3, 1 channel", i.getData(MIMEType.TEXT_PLAIN));
    }

    /** Stand-in for a future dev.excon.report object: no interface, only the methods. */
    public static final class FakeReport {
        public String toHtml() {
            return "<h3>robustness</h3>";
        }

        public BufferedImage toImage() {
            return new BufferedImage(7, 4, BufferedImage.TYPE_INT_RGB);
        }
    }

    static final class HiddenReport {
        public String toHtml() {
            return "<p>package-private class, public method</p>";
        }
    }

    @Test
    void reportContractByReflection() throws IOException {
        DisplayData figure = renderer().render(new FakeReport());
        assertEquals(7, png(figure).getWidth());
        assertNull(figure.getData(MIMEType.TEXT_HTML), "a figure's picture is encoded once, as image/png");
        assertEquals("<p>package-private class, public method</p>", html(renderer().render(new HiddenReport())));
        DisplayData plain = renderer().render(new Object() {
            public int toHtml() {
                return 3; // not a String: not the contract
            }
        });
        assertNull(plain.getData(MIMEType.TEXT_HTML));
    }

    static final class Page {
        public String toHtml() {
            return "<!DOCTYPE html>\n<html><head><style>body{max-width:10px}</style></head><body>\"hi\" &</body></html>";
        }
    }

    @Test
    void aWholePageStaysInItsOwnFrame() {
        String h = html(renderer().render(new Page()));
        assertTrue(h.startsWith("<iframe class=\"excon-page\" sandbox=\"\""), h);
        assertTrue(h.contains("srcdoc=\"&lt;!DOCTYPE html&gt;"), h);
        assertTrue(h.contains("&quot;hi&quot; &amp;"), h);
        assertFalse(h.contains("<style>"), "the page's style sheet is not loose in the notebook: " + h);
    }

    @Test
    void theLibrarysReportObjectsRender() throws IOException {
        Table t = Table.create("acc", StringColumn.create("run", "SupCon", "<b>ExCon</b>"),
                DoubleColumn.create("top1", 0.70, 0.73));
        String table = html(renderer().render(dev.excon.report.ResultTable.of(t, "seed 1")));
        assertTrue(table.contains("<table") && table.contains("&lt;b&gt;ExCon&lt;/b&gt;"), table);
        dev.excon.report.RobustnessCurves curves = dev.excon.report.RobustnessCurves.of("FGSM",
                new double[] {0, 1, 2}, java.util.Map.of("SupCon", new double[] {0.7, 0.5, 0.3}), "seed 1");
        assertTrue(png(renderer().render(curves)).getWidth() > 100);
        String page = html(renderer().render(dev.excon.report.Report.create("Comparison").add(
                dev.excon.report.ResultTable.of(t, "seed 1"))));
        assertTrue(page.startsWith("<iframe"), page.substring(0, 60));
    }

    @Test
    void jshellWrapperNamesAreRemovedFromPlainText() {
        assertEquals("Point@1b2c and Point$Inner", ObjectRenderer.plainText(new Object() {
            @Override
            public String toString() {
                return "REPL.$JShell$17$Point@1b2c and REPL.$JShell$17$Point$Inner";
            }
        }));
        assertEquals("[1, 2]", html2text(renderer().render(java.util.List.of(1, 2))));
    }

    private static String html2text(DisplayData d) {
        return (String) d.getData(MIMEType.TEXT_PLAIN);
    }
}
