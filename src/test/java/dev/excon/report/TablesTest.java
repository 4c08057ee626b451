package dev.excon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TablesTest {

    @Test
    void historyHasOneRowPerEpochAndStarsTheLastBestEpoch() {
        var epochs = java.util.List.of(
                new dev.excon.train.EpochResult(1, 5.9, 1.3, 0.50, 0.49, Double.NaN, 0, 0.1f, 10.0, true),
                new dev.excon.train.EpochResult(2, 5.8, 1.2, 0.56, 0.55, 0.40, 12, 0.05f, 11.0, true),
                new dev.excon.train.EpochResult(3, 5.7, 1.1, 0.54, 0.57, 0.45, 20, 0.01f, 12.0, false));
        Table t = ResultTables.history("ExCon", epochs, "seed 1").table();
        assertEquals(3, t.rowCount());
        assertEquals("ExCon (3 epochs)", t.name());
        assertEquals(java.util.List.of("", "*", ""), t.stringColumn("best by val acc").asList(),
                "best.ckpt is epoch 2");
        assertTrue(t.doubleColumn("accepted").isMissing(0), "no explanations in epoch 1: missing, not NaN");
        assertEquals(0.45, t.doubleColumn("accepted").get(2), 1e-12);
        assertEquals(20, t.intColumn("background").get(2));
    }

    /** Without a validation split (the reference's setting) the column says the best epoch was chosen on test. */
    @Test
    void historyWithoutValidationLabelsTheBestEpochByTestAccuracy() {
        var epochs = java.util.List.of(
                new dev.excon.train.EpochResult(1, 5.9, 1.3, Double.NaN, 0.49, Double.NaN, 0, 0.1f, 10.0, true),
                new dev.excon.train.EpochResult(2, 5.8, 1.2, Double.NaN, 0.47, 0.40, 12, 0.05f, 11.0, false));
        Table t = ResultTables.history("reference", epochs, "seed 1").table();
        assertEquals(java.util.List.of("*", ""), t.stringColumn("best by test acc").asList());
        assertFalse(t.columnNames().contains("val acc"), "no validation column: " + t.columnNames());
        assertEquals(0.47, t.doubleColumn("test acc").get(1), 1e-12, "the last epoch beside the best");
    }

    @Test
    void htmlEscapesEveryStringInCellsHeadersAndTitle() {
        Map<String, Double> evil = new LinkedHashMap<>();
        evil.put("acc<uracy>", 0.5);
        ResultTable t = ResultTables.metrics("<i>results</i>").addRun("<script>alert('x')</script>", evil)
                .caption("made by \"me\" & co").build();
        String html = t.toHtml();
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), html);
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("<th>acc&lt;uracy&gt;</th>"), html);
        assertTrue(html.contains("<caption>&lt;i&gt;results&lt;/i&gt;</caption>"), html);
        assertTrue(html.contains("made by &quot;me&quot; &amp; co"), html);
    }

    @Test
    void metricsTableHasRunsAsRowsAndBlankMissingValues() {
        Map<String, Number> a = new LinkedHashMap<>();
        a.put("accuracy", 0.71234567);
        a.put("ECE", 0.05);
        Map<String, Number> b = new LinkedHashMap<>();
        b.put("accuracy", 0.73);
        b.put("AOPC", 0.4);
        ResultTable t = ResultTables.metrics("test").addRun("SupCon", a).addRun("ExCon", b).build();
        assertEquals(2, t.table().rowCount());
        assertEquals(java.util.List.of("run", "accuracy", "ECE", "AOPC"), t.table().columnNames());
        assertEquals("0.7123", t.cell(0, 1));
        assertEquals("", t.cell(1, 2));
        assertEquals("0.40", t.withDecimals(2).cell(1, 3));
        assertTrue(t.toHtml().contains("<td class=\"num\">0.7123</td>"));
    }

    @Test
    void longTablesAreCutWithARowCount(@TempDir Path dir) throws Exception {
        int[] ids = new int[120];
        double[] v = new double[120];
        for (int i = 0; i < 120; i++) {
            ids[i] = i;
            v[i] = i / 10.0;
        }
        Table table = Table.create("long", IntColumn.create("id", ids), DoubleColumn.create("v", v),
                StringColumn.create("s", java.util.Collections.nCopies(120, "x")));
        ResultTable t = ResultTable.of(table, "cap");
        String html = t.toHtml();
        assertTrue(html.contains("Showing 50 of 120 rows (70 more not shown)"), html);
        assertEquals(51, html.split("<tr>", -1).length - 1); // the header row and 50 data rows
        assertTrue(html.contains("<td class=\"num\">49</td>"));
        assertFalse(html.contains("<td class=\"num\">50</td>"));
        assertEquals("", ResultTable.of(table, "").withMaxRows(200).truncationMessage());
        Path csv = dir.resolve("t.csv");
        t.saveCsv(csv);
        assertEquals(121, Files.readAllLines(csv).size()); // CSV keeps every row
    }

    @Test
    void corruptionTablesFollowTheSeverityGrid() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("gaussian_noise", new double[] {0.6, 0.5, 0.4, 0.3, 0.2});
        m.put("contrast", new double[] {0.7, 0.6, Double.NaN, 0.4, 0.3});
        SeverityGrid g = SeverityGrid.of("accuracy", m, 0.8);
        ResultTable t = ResultTables.corruptionBySeverity(g, "ExCon", "cap");
        assertEquals(java.util.List.of("corruption", "1", "2", "3", "4", "5", "mean"), t.table().columnNames());
        assertEquals(4, t.table().rowCount()); // two corruptions, mean, clean
        assertEquals("mean", t.cell(2, 0));
        assertEquals("0.6500", t.cell(2, 1)); // mean of severity 1 over corruptions
        assertEquals("0.4000", t.cell(2, 3)); // NaN left out of the mean
        assertEquals("", t.cell(1, 3));
        assertEquals("0.5000", t.cell(1, 6)); // contrast's mean over its 4 known severities
        assertEquals("clean", t.cell(3, 0));
        assertEquals("0.8000", t.cell(3, 1));
        assertEquals("", t.cell(3, 2));
        ResultTable longForm = ResultTables.corruptionLong(Map.of("ExCon", g), "cap");
        assertEquals(11, longForm.table().rowCount());
        assertEquals("clean", longForm.cell(0, 1));
        assertEquals("0", longForm.cell(0, 2));
    }
}
