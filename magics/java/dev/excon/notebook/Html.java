package dev.excon.notebook;

/** HTML helpers for renderers: everything that comes from data goes through {@link #escape}. */
public final class Html {

    private Html() {}

    /** Escapes {@code & < > " '} so any string is shown as text, never interpreted (a {@code <script>} stays text). */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
