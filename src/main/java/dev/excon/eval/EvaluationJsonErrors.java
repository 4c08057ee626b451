package dev.excon.eval;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Messages for evaluation.json that cannot be read, in the words of the file rather than of Jackson: the JSON path
 * ({@code $.result.fgsm.calibration[1].ece}), the value found there and what belongs there ("a number (or
 * \"NaN\", ...)"). Jackson reports the path as references and the Java type it wanted; the value and the expected
 * JSON are looked up here, in the document tree and the record types.
 */
final class EvaluationJsonErrors {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EvaluationJsonErrors() {}

    /**
     * The message for a value under {@code root} (at {@code rootPath}, of Java type {@code rootType}) that could not be
     * bound.
     */
    static String binding(JsonMappingException e, String rootPath, JsonNode root, Type rootType) {
        List<JsonMappingException.Reference> refs = e.getPath();
        if (e instanceof UnrecognizedPropertyException u && !refs.isEmpty()) {
            return unknown(path(rootPath, refs.subList(0, refs.size() - 1)), u.getReferringClass(),
                    u.getPropertyName());
        }
        JsonNode node = root;
        Type type = rootType;
        for (JsonMappingException.Reference r : refs) {
            node = node == null ? null : r.getIndex() >= 0 ? node.get(r.getIndex()) : node.get(r.getFieldName());
            type = type == null ? null : inside(type, r);
        }
        // Jackson checks for unknown fields only after building a record; a misspelt field is reported as such,
        // not as the one missing.
        if (type instanceof Class<?> c && c.isRecord() && node != null && node.isObject()) {
            List<String> known = Arrays.stream(c.getRecordComponents()).map(RecordComponent::getName).toList();
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    return unknown(path(rootPath, refs), c, name);
                }
            }
        }
        if (e instanceof EvaluationJson.Refusal) {
            return path(rootPath, refs) + " " + e.getOriginalMessage();
        }
        if (type == null || node == null) { // not a value of the wrong kind: Jackson's words
            return path(rootPath, refs) + ": " + e.getOriginalMessage();
        }
        return path(rootPath, refs) + (node.isNull() ? " is null" : " = " + show(node)) + "; expected "
                + expected(type);
    }

    /**
     * The message for {@code text} that is not JSON: the line and column, the path nearest the error, what is wrong.
     */
    static String syntax(JsonProcessingException e, String text) {
        JsonLocation l = e.getLocation();
        // Jackson reports an end inside a string as JsonEOFException, but after a ',' as a plain parse error.
        boolean atEnd = e instanceof JsonEOFException || l != null && l.getCharOffset() >= 0
                && text.substring((int) Math.min(l.getCharOffset(), text.length())).isBlank();
        String what = atEnd ? "the document ends early (truncated?)" : e.getOriginalMessage();
        String near = e.getProcessor() instanceof JsonParser p ? " (near " + path(p.getParsingContext()) + ")" : "";
        return at(e.getLocation()) + near + ": " + what;
    }

    private static String unknown(String path, Class<?> type, String name) {
        List<String> known = type != null && type.isRecord() ? Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName).toList() : List.of();
        return path + " (" + (type == null ? "?" : type.getSimpleName()) + ") has an unknown field " + quote(name)
                + "; expected " + known;
    }

    /** {@code line 3, column 14}, or {@code ?} when Jackson does not know. */
    static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "?" : "line " + location.getLineNr() + ", column "
                + location.getColumnNr();
    }

    /** {@code s} as a JSON string, cut after 40 characters. */
    static String quote(String s) {
        return TextNode.valueOf(s.length() > 40 ? s.substring(0, 40) + "..." : s).toString();
    }

    private static String path(String rootPath, List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder(rootPath);
        for (JsonMappingException.Reference r : refs) {
            if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            } else if (r.getFrom() instanceof Map) {
                b.append('[').append(quote(r.getFieldName())).append(']'); // a map key, not a record component
            } else {
                b.append('.').append(r.getFieldName());
            }
        }
        return b.toString();
    }

    private static String path(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "$";
        }
        String parent = path(context.getParent());
        if (context.inArray()) {
            return parent + "[" + Math.max(0, context.getCurrentIndex()) + "]";
        }
        String name = context.getCurrentName();
        if (name == null) {
            return parent;
        }
        return parent + (NAME.matcher(name).matches() ? "." + name : "[" + quote(name) + "]");
    }

    /** The declared type one step down from {@code type}: a record component, an item, a map value. */
    private static Type inside(Type type, JsonMappingException.Reference r) {
        if (type instanceof Class<?> c) {
            if (c.isArray() && r.getIndex() >= 0) {
                return c.getComponentType();
            }
            if (c.isRecord() && r.getFieldName() != null) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    if (rc.getName().equals(r.getFieldName())) {
                        return rc.getGenericType();
                    }
                }
            }
            return null;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            if (List.class.isAssignableFrom(raw) && r.getIndex() >= 0) {
                return p.getActualTypeArguments()[0];
            }
            if (Map.class.isAssignableFrom(raw) && r.getFieldName() != null) {
                return p.getActualTypeArguments()[1];
            }
        }
        return null;
    }

    private static String expected(Type type) {
        Class<?> c = type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw ? raw
                : type instanceof Class<?> k ? k : Object.class;
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "a number (or \"NaN\", \"Infinity\", \"-Infinity\")";
        }
        if (c == int.class || c == Integer.class) {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (c == long.class || c == Long.class) {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (c == Instant.class) {
            return "a time such as \"2025-01-31T12:00:00Z\"";
        }
        if (c.isEnum()) {
            return "one of " + Arrays.toString(c.getEnumConstants());
        }
        if (c.isArray() || List.class.isAssignableFrom(c)) {
            return "an array";
        }
        if (c.isRecord()) {
            return "an object (" + c.getSimpleName() + ")";
        }
        return Map.class.isAssignableFrom(c) ? "an object" : c.getSimpleName();
    }

    private static String show(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        return node.toString();
    }
}
