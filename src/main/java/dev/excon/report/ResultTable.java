package dev.excon.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw {@link Table} with a caption, rendered as an HTML table: every string escaped, numbers with a fixed
 * number of decimals and right-aligned, missing values blank, and long tables cut after {@link #maxRows()} rows with
 * a line saying how many were left out.
 */
public final class ResultTable implements ReportItem {

    /** Rows shown by default. */
    public static final int DEFAULT_MAX_ROWS = 50;
    /** Decimals shown by default. */
    public static final int DEFAULT_DECIMALS = 4;

    private final Table table;
    private final String caption;
    private final int maxRows;
    private final int decimals;

    private ResultTable(Table table, String caption, int maxRows, int decimals) {
        this.table = table;
        this.caption = caption == null ? "" : caption;
        this.maxRows = maxRows;
        this.decimals = decimals;
    }

    /** A table with {@link #DEFAULT_MAX_ROWS} rows shown and {@link #DEFAULT_DECIMALS} decimals. */
    public static ResultTable of(Table table, String caption) {
        return new ResultTable(table, caption, DEFAULT_MAX_ROWS, DEFAULT_DECIMALS);
    }

    /** A copy showing at most {@code rows} rows in HTML (at least 1). */
    public ResultTable withMaxRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("maxRows=" + rows + " must be >= 1");
        }
        return new ResultTable(table, caption, rows, decimals);
    }

    /** A copy showing numbers with {@code d} decimals (0-10). */
    public ResultTable withDecimals(int d) {
        if (d < 0 || d > 10) {
            throw new IllegalArgumentException("decimals=" + d + " must be in 0-10");
        }
        return new ResultTable(table, caption, maxRows, d);
    }

    /** The Tablesaw table (the object itself: copy it before changing it). */
    public Table table() {
        return table;
    }

    /** The table's name, shown as its title. */
    public String title() {
        return table.name() == null ? "" : table.name();
    }

    /** The provenance line. */
    public String caption() {
        return caption;
    }

    /** Rows shown in HTML. */
    public int maxRows() {
        return maxRows;
    }

    /** The cell text as shown: numbers with the set decimals, missing values empty. */
    public String cell(int row, int column) {
        Column<?> c = table.column(column);
        if (c.isMissing(row)) {
            return "";
        }
        if (c instanceof NumericColumn<?> num) {
            double v = num.getDouble(row);
            if (Double.isNaN(v)) {
                return "";
            }
            boolean integral = c instanceof IntColumn || c instanceof LongColumn || c instanceof ShortColumn;
            return integral ? Long.toString((long) v) : String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        return c.getString(row);
    }

    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder("<figure class=\"excon-table\"><table>");
        if (!title().isEmpty()) {
            b.append("<caption>").append(Html.escape(title())).append("</caption>");
        }
        b.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            b.append("<th>").append(Html.escape(c.name())).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        int rows = table.rowCount();
        int shown = Math.min(rows, maxRows);
        for (int r = 0; r < shown; r++) {
            b.append("<tr>");
            for (int k = 0; k < table.columnCount(); k++) {
                boolean num = table.column(k) instanceof NumericColumn<?>;
                b.append(num ? "<td class=\"num\">" : "<td>").append(Html.escape(cell(r, k))).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        if (shown < rows) {
            b.append("<p class=\"excon-truncated\">").append(truncationMessage()).append("</p>");
        }
        if (!caption.isEmpty()) {
            b.append("<figcaption class=\"excon-provenance\">").append(Html.escape(caption)).append("</figcaption>");
        }
        return b.append("</figure>").toString();
    }

    /** "Showing 50 of 1000 rows (950 more not shown)", or "" when every row is shown. */
    public String truncationMessage() {
        int rows = table.rowCount();
        if (rows <= maxRows) {
            return "";
        }
        return "Showing " + maxRows + " of " + rows + " rows (" + (rows - maxRows) + " more not shown)";
    }

    /** Writes the whole table (every row) as CSV, creating parent directories. */
    public void saveCsv(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            table.write().csv(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return table.printAll() + (caption.isEmpty() ? "" : "\n" + caption);
    }
}
