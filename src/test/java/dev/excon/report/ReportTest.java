package dev.excon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.Provenance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void aReportIsOneSelfContainedPage(@TempDir Path dir) throws Exception {
        Provenance p = new Provenance("method=EXCON\nseed=42", 42, "cifar100/test", "0123456789abcdef", "0.1.0",
                "PyTorch 2.7.1", "0.36.0", "cpu()", "abc123", Instant.parse("2025-01-01T00:00:00Z"));
        ResultTable t = ResultTables.metrics("results").addRun("<script>x</script>", Map.of("accuracy", 0.7))
                .caption(p.caption()).build();
        RobustnessCurves c = RobustnessCurves.of("FGSM", new double[] {0, 1}, Map.of("ExCon", new double[] {1, 0}),
                p.caption());
        Report r = Report.create("ExCon & SupCon").provenance(p).section("Tables <1>")
                .text("First paragraph.\n\nSecond <b>one</b>.").add(t).section("Charts").add(c);
        String html = r.toHtml();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>ExCon &amp; SupCon</title>"));
        assertTrue(html.contains("<h2>Tables &lt;1&gt;</h2>"));
        assertTrue(html.contains("<p>Second &lt;b&gt;one&lt;/b&gt;.</p>"));
        assertTrue(html.contains("<img src=\"data:image/png;base64,"));
        assertFalse(html.contains("<script"), "no script element, escaped cell text only");
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("<link"),
                "nothing external");
        assertTrue(html.contains(Html.escape(p.caption())));
        assertTrue(html.contains("<th>dataset sha256</th><td>0123456789abcdef</td>"));
        Path file = dir.resolve("out/report.html");
        r.save(file);
        assertEquals(html, Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(6, r.size());
    }
}
