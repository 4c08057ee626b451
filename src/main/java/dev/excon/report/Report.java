package dev.excon.report;

import dev.excon.Provenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report: titled sections of text, tables and figures stacked into one self-contained HTML page (inline style, no
 * scripts, no external stylesheet, font or image: it opens offline and can be mailed as one file).
 *
 * <pre>{@code
 * Report.create("ExCon vs SupCon on CIFAR-100").provenance(provenance)
 *         .section("Calibration").text("Reliability on the test set.").add(reliabilityDiagram)
 *         .section("Robustness").add(curves).add(table)
 *         .save(Path.of("runs/report.html"));
 * }</pre>
 */
public final class Report implements ReportItem {

    private static final String STYLE = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:2em auto;"
            + "max-width:1100px;color:#222;line-height:1.45}h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.8em;"
            + "border-bottom:1px solid #ddd}figure{margin:1em 0}figcaption{font-size:.85em;color:#555}"
            + ".excon-provenance{color:#666}table{border-collapse:collapse;font-size:.9em}caption{text-align:left;"
            + "font-weight:bold;padding:.3em 0}th,td{border:1px solid #ccc;padding:.25em .6em}th{background:#f3f3f3}"
            + "td.num{text-align:right;font-variant-numeric:tabular-nums}.excon-truncated{font-size:.85em;"
            + "color:#a33}";

    private final String title;
    private final List<String> blocks = new ArrayList<>();
    private Provenance provenance;

    private Report(String title) {
        this.title = title;
    }

    /** An empty report with a title. */
    public static Report create(String title) {
        return new Report(title == null ? "" : title);
    }

    /** Adds the provenance as a line under the title and as a table at the end. */
    public Report provenance(Provenance p) {
        this.provenance = p;
        return this;
    }

    /** Starts a section with a heading. */
    public Report section(String heading) {
        blocks.add("<h2>" + Html.escape(heading) + "</h2>");
        return this;
    }

    /** A paragraph of plain text (escaped; blank lines start new paragraphs). */
    public Report text(String text) {
        for (String para : text.split("\\n\\s*\\n")) {
            blocks.add("<p>" + Html.escape(para.trim()).replace("\n", "<br>") + "</p>");
        }
        return this;
    }

    /** A table, figure or anything else that renders itself (rendered now, so later changes do not show). */
    public Report add(ReportItem item) {
        blocks.add(item.toHtml());
        return this;
    }

    /** The whole page. */
    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(title)).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        if (provenance != null) {
            b.append("<p class=\"excon-provenance\">").append(Html.escape(provenance.caption())).append("</p>\n");
        }
        for (String block : blocks) {
            b.append(block).append('\n');
        }
        if (provenance != null) {
            b.append("<h2>Provenance</h2><table><tbody>");
            for (Map.Entry<String, String> e : provenance.asMap().entrySet()) {
                b.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>")
                        .append(Html.escape(e.getValue())).append("</td></tr>");
            }
            b.append("<tr><th>config</th><td><pre>").append(Html.escape(provenance.config()))
                    .append("</pre></td></tr></tbody></table>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    /**
     * Writes {@link #toHtml()} as UTF-8, creating parent directories. The page goes to a temporary sibling file that
     * is then renamed over {@code file}, so a failed or interrupted save leaves the previous page, never half a page.
     */
    public void save(Path file) {
        dev.excon.AtomicFiles.writeString(file, toHtml());
    }

    /** The number of blocks (headings, paragraphs, items). */
    public int size() {
        return blocks.size();
    }

    @Override
    public String toString() {
        return "Report[" + title + ", " + blocks.size() + " blocks]";
    }
}
