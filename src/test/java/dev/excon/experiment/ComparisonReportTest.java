package dev.excon.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.report.ResultTable;
import dev.excon.report.SeedScatter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonReportTest {

    @Test
    void theTableHasARowPerMeasureAndColumnsPerMethodAndPair() {
        Comparison c = ComparisonTest.threeMethods();
        ResultTable t = ComparisonReport.table(c, "sweep abc123");
        assertEquals(8, t.table().rowCount());
        assertEquals(1 + 3 * 2 + 3 * 3, t.table().columnCount());
        assertEquals("top-1", t.cell(0, 0));
        // SUPCON top-1: 0.70, 0.72, 0.69, 0.71, 0.73: mean 0.71, sd 0.0158114, t(0.975, 4) = 2.776445,
        // half-width 2.776445 * 0.0158114 / sqrt(5) = 0.019632
        assertEquals("0.7100 ± 0.0196", t.cell(0, 1));
        assertEquals("5", t.cell(0, 2));
        assertEquals("SUPCON − EXCON [95% CI]", t.table().column(7).name());
        assertTrue(t.cell(0, 7).startsWith("-0.0208 ["), t.cell(0, 7));
    }

    @Test
    void theClaimsTableHasFourRowsAndTheRule() {
        Comparison c = ComparisonTest.threeMethods();
        ResultTable t = ComparisonReport.claimsTable(c.claims("SUPCON", "EXCON"), "SUPCON", "EXCON", "sweep");
        assertEquals(4, t.table().rowCount());
        assertEquals("EXCON better", t.cell(0, 3));
        assertEquals("EXCON worse", t.cell(1, 3));
        assertEquals("no evidence either way at this budget", t.cell(2, 3));
        assertTrue(t.caption().contains(Comparison.RULE), t.caption());
    }

    @Test
    void thePerSeedChartDrawsEveryMethodInEveryPanel() {
        SeedScatter s = ComparisonReport.perSeed(ComparisonTest.threeMethods(), List.of("top-1", "average drop"),
                "sweep");
        assertEquals(List.of("top-1", "average drop"), List.copyOf(s.panels().keySet()));
        assertEquals(3, s.panels().get("top-1").size());
        assertEquals(5, s.panels().get("top-1").get(0).values().length);
        BufferedImage img = s.toImage();
        assertTrue(img.getWidth() >= 2 * 420 && img.getHeight() >= 360);
    }

    @Test
    void thePageHoldsTheReadingTablesAndAnInlineChart(@TempDir Path dir) throws Exception {
        var page = ComparisonReport.page("SUPCON vs EXCON <5 seeds>", ComparisonTest.threeMethods(), "SUPCON",
                "EXCON", "sweep abc123");
        String html = page.toHtml();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>SUPCON vs EXCON &lt;5 seeds&gt;</title>"));
        assertTrue(html.contains("Runs: SUPCON 5 seeds, EXCON 5 seeds, SIMCLR 5 seeds."), "the reading");
        assertTrue(html.contains("classification (top-1): EXCON better"), "the reading names each verdict");
        assertTrue(html.contains("<caption>Claims: EXCON against SUPCON, paired by seed</caption>"));
        assertTrue(html.contains("<caption>Mean over seeds ± 95% t interval, and paired differences</caption>"));
        assertTrue(html.contains("<img src=\"data:image/png;base64,"), "the per-seed chart inline");
        assertFalse(html.contains("src=\"http") || html.contains("<script"), "self-contained");
        Path file = dir.resolve("comparison.html");
        page.save(file);
        assertEquals(html, Files.readString(file));
    }
}
