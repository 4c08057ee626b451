package dev.excon.notebook.render;

import dev.excon.report.Html;
import java.util.Locale;
import tech.tablesaw.columns.Column;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.table.Relation;

/**
 * A Tablesaw table (or view) as an HTML table: every name and cell escaped, numbers right-aligned, long tables cut to
 * their first and last rows with the row count said underneath. Loaded only when Tablesaw is on the class path.
 */
final class TableHtml {

    /** Tables up to this many rows are shown whole. */
    static final int MAX_ROWS = 60;
    /** A longer table shows this many first rows ... */
    static final int HEAD = 50;
    /** ... and this many last rows. */
    static final int TAIL = 5;
    /** Plain-text form: rows shown. */
    static final int TEXT_ROWS = 20;

    private TableHtml() {}

    static String html(Object table) {
        Relation t = (Relation) table;
        int rows = t.rowCount();
        int cols = t.columnCount();
        boolean cut = rows > MAX_ROWS;
        StringBuilder h = new StringBuilder(256 + Math.min(rows, MAX_ROWS) * cols * 24);
        h.append("<div class=\"excon-table\"><table>");
        if (t.name() != null && !t.name().isBlank()) {
            h.append("<caption style=\"text-align:left\"><b>").append(Html.escape(t.name())).append("</b></caption>");
        }
        h.append("<thead><tr>");
        for (Column<?> c : t.columns()) {
            h.append("<th").append(align(c)).append('>').append(Html.escape(c.name())).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        int head = cut ? HEAD : rows;
        for (int r = 0; r < head; r++) {
            row(h, t, r);
        }
        if (cut) {
            h.append("<tr><td colspan=\"").append(cols).append("\" style=\"text-align:center\">&hellip; ")
                    .append(String.format(Locale.ROOT, "%,d", rows - HEAD - TAIL)).append(" rows &hellip;</td></tr>");
            for (int r = rows - TAIL; r < rows; r++) {
                row(h, t, r);
            }
        }
        h.append("</tbody></table>");
        h.append("<p><small>").append(String.format(Locale.ROOT, "%,d rows \u00d7 %,d columns", rows, cols));
        if (cut) {
            h.append(String.format(Locale.ROOT, " (first %d and last %d shown)", HEAD, TAIL));
        }
        h.append("</small></p></div>");
        return h.toString();
    }

    static String text(Object table) {
        Relation t = (Relation) table;
        String body = t.print(TEXT_ROWS);
        return t.rowCount() > TEXT_ROWS
                ? body + String.format(Locale.ROOT, "%n%,d rows \u00d7 %,d columns", t.rowCount(), t.columnCount())
                : body;
    }

    private static void row(StringBuilder h, Relation t, int r) {
        h.append("<tr>");
        for (int c = 0; c < t.columnCount(); c++) {
            Column<?> col = t.column(c);
            h.append("<td").append(align(col)).append('>').append(Html.escape(col.getString(r))).append("</td>");
        }
        h.append("</tr>");
    }

    private static String align(Column<?> c) {
        return c instanceof NumericColumn<?> ? " style=\"text-align:right\"" : " style=\"text-align:left\"";
    }
}
