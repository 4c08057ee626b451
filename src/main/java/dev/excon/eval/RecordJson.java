package dev.excon.eval;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the result records: a record is an object of its components by name, arrays and lists are arrays, maps
 * with string keys are objects (order kept), an {@link Instant} is its ISO-8601 text. A double is written with
 * {@link Double#toString}, which reads back to the same bits; JSON has no NaN or infinities, so those are the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}. Reading is strict and type-directed: every component
 * must be present (unless an {@link Upgrade} of an older layout supplies it), nothing else may be, and each error names
 * the place ({@code $.fgsm.epsilons[2]}).
 */
final class RecordJson {

    private static final int MAX_DEPTH = 100;

    private RecordJson() {}

    /** A JSON document that cannot be read, or a value of the wrong shape; the message says where. */
    static final class JsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    /** A number exactly as written, converted only once its target type is known. */
    record Num(String text) {}

    /**
     * Supplies record components that an older layout of a document did not have: given the record type, the
     * components read (by name, converted) and the names of those missing, it adds values for the ones it knows to
     * {@code read}; a component still missing afterwards is refused as usual.
     */
    @FunctionalInterface
    interface Upgrade {
        /** Supplies nothing: the current layout, where every component must be present. */
        Upgrade NONE = (type, read, missing) -> { };

        void fill(Class<?> type, Map<String, Object> read, List<String> missing);
    }

    // ------------------------------------------------------------------ writing

    /** Appends {@code value} as indented JSON. */
    static void write(StringBuilder out, Object value, int indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Double d) {
            number(out, d);
        } else if (value instanceof Float f) {
            if (Float.isFinite(f)) {
                out.append(Float.toString(f));
            } else {
                string(out, Float.toString(f));
            }
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Instant t) {
            string(out, t.toString());
        } else if (value instanceof Enum<?> e) {
            string(out, e.name());
        } else if (value instanceof Record r) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                fields.put(c.getName(), component(r, c));
            }
            object(out, fields, indent);
        } else if (value instanceof Map<?, ?> m) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new IllegalArgumentException("map key " + e.getKey() + " is not a string");
                }
                fields.put(k, e.getValue());
            }
            object(out, fields, indent);
        } else if (value instanceof List<?> l) {
            array(out, l, indent);
        } else if (value.getClass().isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                l.add(Array.get(value, i));
            }
            array(out, l, indent);
        } else {
            // A new kind of field must get a deliberate encoding, not a silent toString().
            throw new IllegalArgumentException("no JSON encoding for " + value.getClass().getName());
        }
    }

    private static Object component(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + c.getName(), e);
        }
    }

    private static void number(StringBuilder out, double d) {
        if (Double.isFinite(d)) {
            out.append(Double.toString(d));
        } else {
            string(out, Double.toString(d)); // NaN, Infinity, -Infinity
        }
    }

    private static void object(StringBuilder out, Map<String, Object> fields, int indent) {
        if (fields.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        String pad = "  ".repeat(indent + 1);
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            out.append(first ? "\n" : ",\n").append(pad);
            first = false;
            string(out, e.getKey());
            out.append(": ");
            write(out, e.getValue(), indent + 1);
        }
        out.append('\n').append("  ".repeat(indent)).append('}');
    }

    private static void array(StringBuilder out, List<?> items, int indent) {
        boolean flat = items.stream().allMatch(v -> v == null || v instanceof Number || v instanceof String
                || v instanceof Boolean);
        if (flat) { // numbers on one line: a confusion row or a curve stays readable
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                write(out, items.get(i), indent);
            }
            out.append(']');
            return;
        }
        out.append('[');
        String pad = "  ".repeat(indent + 1);
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append(pad);
            write(out, items.get(i), indent + 1);
        }
        out.append('\n').append("  ".repeat(indent)).append(']');
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        // a lone surrogate has no UTF-8 form: escaped, it survives the file
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // ------------------------------------------------------------------ parsing

    /**
     * Parses a whole document into maps (insertion order), lists, strings, {@link Num}s, booleans and nulls.
     *
     * @throws JsonException naming the line and column of the first error
     */
    static Object parse(String text) {
        Parser p = new Parser(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describe() + " after the end of the document");
        }
        return v;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested more than " + MAX_DEPTH + " levels deep");
            }
            if (pos >= s.length()) {
                throw error("the document ends early (truncated?)");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("expected a value, found " + describe());
            }
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            space();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                space();
                if (peek() != '"') {
                    throw error("expected a field name in quotes, found " + describe());
                }
                int at = pos;
                String key = string();
                if (m.containsKey(key)) {
                    pos = at;
                    throw error("field \"" + key + "\" appears twice");
                }
                space();
                expect(':');
                space();
                m.put(key, value(depth + 1));
                space();
                char c = peek();
                pos++;
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}' in an object, found " + describe());
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> l = new ArrayList<>();
            pos++;
            space();
            if (peek() == ']') {
                pos++;
                return l;
            }
            while (true) {
                space();
                l.add(value(depth + 1));
                space();
                char c = peek();
                pos++;
                if (c == ']') {
                    return l;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']' in an array, found " + describe());
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= s.length()) {
                    throw error("a string is not closed (truncated?)");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("a control character (code " + (int) c + ") inside a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("a string is not closed (truncated?)");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("a \\u escape is cut short");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape \\u" + s.substring(pos, pos + 4));
                        }
                        pos += 4;
                    }
                    default -> {
                        pos -= 2;
                        throw error("unknown escape \\" + e + " in a string");
                    }
                }
            }
        }

        private Num number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                throw error("a malformed number");
            }
            if (peek() == '.') {
                pos++;
                if (!digits()) {
                    throw error("a malformed number: no digits after '.'");
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    throw error("a malformed number: no digits in the exponent");
                }
            }
            return new Num(s.substring(start, pos));
        }

        private boolean digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("expected a value, found " + describe());
            }
            pos += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "', found " + describe());
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        void space() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r'
                    || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        String describe() {
            if (pos >= s.length()) {
                return "the end of the document (truncated?)";
            }
            int end = Math.min(s.length(), pos + 12);
            return "'" + s.substring(pos, end).replace("\n", "\\n") + (end < s.length() ? "...'" : "'");
        }

        JsonException error(String what) {
            int line = 1;
            int col = 1;
            for (int i = 0; i < Math.min(pos, s.length()); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new JsonException("line " + line + ", column " + col + ": " + what);
        }
    }

    // ------------------------------------------------------------------ parsed tree to typed values

    /**
     * Converts a parsed node to {@code type}: records through their canonical constructor (so their own checks
     * run), lists and maps unmodifiable.
     *
     * @param path where the node is, for messages ({@code $.accuracy.top1})
     * @throws JsonException naming the path and what was expected
     */
    static Object convert(Object node, Type type, String path) {
        return convert(node, type, path, Upgrade.NONE);
    }

    /** {@link #convert(Object, Type, String)}, with {@code upgrade} supplying components an older layout lacks. */
    static Object convert(Object node, Type type, String path, Upgrade upgrade) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            if (node == null) {
                return null;
            }
            if (List.class.isAssignableFrom(raw)) {
                List<?> items = as(node, List.class, path, "an array");
                List<Object> out = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    out.add(convert(items.get(i), p.getActualTypeArguments()[0], path + "[" + i + "]", upgrade));
                }
                return Collections.unmodifiableList(out);
            }
            if (Map.class.isAssignableFrom(raw) && p.getActualTypeArguments()[0] == String.class) {
                Map<?, ?> fields = as(node, Map.class, path, "an object");
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : fields.entrySet()) {
                    String k = (String) e.getKey();
                    out.put(k, convert(e.getValue(), p.getActualTypeArguments()[1], path + "[" + quote(k) + "]",
                            upgrade));
                }
                return Collections.unmodifiableMap(out);
            }
        }
        if (!(type instanceof Class<?> c)) {
            throw new IllegalArgumentException("no JSON decoding for " + type);
        }
        if (node == null) {
            if (c.isPrimitive()) {
                throw new JsonException(path + " is null; expected " + expected(c));
            }
            return null;
        }
        if (c == double.class || c == Double.class) {
            return toDouble(node, path);
        }
        if (c == float.class || c == Float.class) {
            // parsed as a float directly: rounding through a double could land on a neighbouring float
            return node instanceof Num n ? Float.parseFloat(n.text()) : (float) toDouble(node, path);
        }
        if (c == int.class || c == Integer.class) {
            return (int) toLong(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (c == long.class || c == Long.class) {
            return toLong(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (c == boolean.class || c == Boolean.class) {
            return as(node, Boolean.class, path, "true or false");
        }
        if (c == String.class) {
            return as(node, String.class, path, "a string");
        }
        if (c == Instant.class) {
            String t = as(node, String.class, path, "a time such as \"2025-01-31T12:00:00Z\"");
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new JsonException(path + " = \"" + t + "\" is not a time such as \"2025-01-31T12:00:00Z\"");
            }
        }
        if (c.isEnum()) {
            String name = as(node, String.class, path, "one of " + java.util.Arrays.toString(c.getEnumConstants()));
            for (Object constant : c.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return constant;
                }
            }
            throw new JsonException(path + " = \"" + name + "\"; expected one of "
                    + java.util.Arrays.toString(c.getEnumConstants()));
        }
        if (c.isArray()) {
            List<?> items = as(node, List.class, path, "an array");
            Object out = Array.newInstance(c.getComponentType(), items.size());
            for (int i = 0; i < items.size(); i++) {
                Array.set(out, i, convert(items.get(i), c.getComponentType(), path + "[" + i + "]", upgrade));
            }
            return out;
        }
        if (c.isRecord()) {
            return record(node, c, path, upgrade);
        }
        throw new IllegalArgumentException("no JSON decoding for " + c.getName());
    }

    private static Object record(Object node, Class<?> c, String path, Upgrade upgrade) {
        Map<?, ?> fields = as(node, Map.class, path, "an object (" + c.getSimpleName() + ")");
        RecordComponent[] components = c.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Map<String, Object> read = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            names.add(rc.getName());
            types[i] = rc.getType();
            if (fields.containsKey(rc.getName())) {
                read.put(rc.getName(), convert(fields.get(rc.getName()), rc.getGenericType(),
                        path + "." + rc.getName(), upgrade));
            } else {
                missing.add(rc.getName());
            }
        }
        for (Object k : fields.keySet()) {
            if (!names.contains(k)) {
                throw new JsonException(path + " (" + c.getSimpleName() + ") has an unknown field \"" + k
                        + "\"; expected " + names);
            }
        }
        if (!missing.isEmpty()) {
            upgrade.fill(c, read, List.copyOf(missing));
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            if (!read.containsKey(names.get(i))) {
                throw new JsonException(path + " (" + c.getSimpleName() + ") has no field \"" + names.get(i) + "\"");
            }
            args[i] = read.get(names.get(i));
        }
        try {
            Constructor<?> ctor = c.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) { // the record's own checks refused the values
            throw new JsonException(path + " (" + c.getSimpleName() + ") is inconsistent: "
                    + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + c.getName(), e);
        }
    }

    private static double toDouble(Object node, String path) {
        if (node instanceof Num n) {
            return Double.parseDouble(n.text());
        }
        if (node instanceof String s) {
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new JsonException(path + " = " + show(node) + "; expected a number (or \"NaN\", \"Infinity\", "
                + "\"-Infinity\")");
    }

    private static long toLong(Object node, String path, long min, long max) {
        if (node instanceof Num n) {
            try {
                long v = Long.parseLong(n.text());
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new JsonException(path + " = " + show(node) + "; expected a whole number from " + min + " to " + max);
    }

    private static <T> T as(Object node, Class<T> type, String path, String expected) {
        if (!type.isInstance(node)) {
            throw new JsonException(path + " = " + show(node) + "; expected " + expected);
        }
        return type.cast(node);
    }

    private static String expected(Class<?> c) {
        return c == boolean.class ? "true or false" : "a number";
    }

    private static String show(Object node) {
        if (node == null) {
            return "null";
        }
        if (node instanceof Num n) {
            return n.text();
        }
        if (node instanceof String s) {
            return quote(s.length() > 40 ? s.substring(0, 40) + "..." : s);
        }
        if (node instanceof Map) {
            return "an object";
        }
        if (node instanceof List) {
            return "an array";
        }
        return node.toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder();
        string(b, s);
        return b.toString();
    }
}
