package dev.excon.notebook.kernel;

/** The indent a front end should put on the next line of incomplete code (for is_complete replies). */
final class Indent {

    private static final String STEP = "    ";

    private Indent() {}

    /** The last line's indent, one step deeper when that line opens more brackets than it closes. */
    static String after(String code) {
        String trimmed = code.endsWith("\n") ? code.substring(0, code.length() - 1) : code;
        String last = trimmed.substring(trimmed.lastIndexOf('\n') + 1);
        int i = 0;
        while (i < last.length() && (last.charAt(i) == ' ' || last.charAt(i) == '\t')) {
            i++;
        }
        String indent = last.substring(0, i);
        int open = 0;
        for (char c : last.toCharArray()) {
            if (c == '{' || c == '(' || c == '[') {
                open++;
            } else if ((c == '}' || c == ')' || c == ']') && open > 0) {
                open--;
            }
        }
        return open > 0 ? indent + STEP : indent;
    }
}
