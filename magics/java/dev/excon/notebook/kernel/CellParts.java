package dev.excon.notebook.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell cut into what runs in order: Java code, line magics ({@code %name args} on a line of their own) and a cell
 * magic ({@code %%name args} on the first line, the rest of the cell its body).
 *
 * <p>A line starting with {@code %} is only a magic when the Java code before it is complete: {@code a\n%b} inside an
 * unfinished expression stays Java (the remainder operator).
 */
final class CellParts {

    /** What a part is. */
    enum Kind { CODE, LINE_MAGIC, CELL_MAGIC }

    /**
     * One part.
     *
     * @param kind code or magic
     * @param text the code, or a cell magic's body
     * @param firstLine 0-based line of the cell where the part starts
     * @param name the magic's name (null for code)
     * @param args the magic's arguments, quotes removed
     */
    record Part(Kind kind, String text, int firstLine, String name, List<String> args) {}

    static final Pattern LINE_MAGIC = Pattern.compile("^[ \\t]*%(?!%)([A-Za-z_][\\w.-]*)(.*)$");
    static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z_][\\w.-]*)([^\\n]*)(?:\\n(.*))?$",
            Pattern.DOTALL);

    private CellParts() {}

    /**
     * Cuts a cell.
     *
     * @param unfinished tells whether Java code is unfinished (then a following {@code %} line belongs to it)
     */
    static List<Part> split(String cell, Predicate<String> unfinished) {
        List<Part> parts = new ArrayList<>();
        Matcher cm = CELL_MAGIC.matcher(cell);
        if (cm.matches()) {
            int line = lineOf(cell, cm.start(1));
            parts.add(new Part(Kind.CELL_MAGIC, cm.group(3) == null ? "" : cm.group(3), line, cm.group(1),
                    arguments(cm.group(2))));
            return parts;
        }
        String[] lines = cell.split("\n", -1);
        int codeStart = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = LINE_MAGIC.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            String code = String.join("\n", java.util.Arrays.asList(lines).subList(codeStart, i));
            if (code.isBlank() || !unfinished.test(code)) {
                if (!code.isBlank()) {
                    parts.add(new Part(Kind.CODE, code, codeStart, null, List.of()));
                }
                parts.add(new Part(Kind.LINE_MAGIC, lines[i], i, m.group(1), arguments(m.group(2))));
                codeStart = i + 1;
            }
        }
        String code = String.join("\n", java.util.Arrays.asList(lines).subList(codeStart, lines.length));
        if (!code.isBlank()) {
            parts.add(new Part(Kind.CODE, code, codeStart, null, List.of()));
        }
        return parts;
    }

    /** The cell with every magic line replaced by spaces (offsets unchanged), for the Java analyser. */
    static String maskMagics(String cell) {
        Matcher cm = CELL_MAGIC.matcher(cell);
        if (cm.matches()) {
            return " ".repeat(cell.length());
        }
        String[] lines = cell.split("\n", -1);
        StringBuilder out = new StringBuilder(cell.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append(LINE_MAGIC.matcher(lines[i]).matches() ? " ".repeat(lines[i].length()) : lines[i]);
        }
        return out.toString();
    }

    /** Splits magic arguments at white space; double quotes group, a backslash escapes the next character. */
    static List<String> arguments(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    private static int lineOf(String s, int offset) {
        int n = 0;
        for (int i = 0; i < offset; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
