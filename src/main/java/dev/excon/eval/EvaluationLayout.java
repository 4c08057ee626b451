package dev.excon.eval;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * The indentation of evaluation.json: two spaces a level, {@code "key": value}, and an array of numbers, strings or
 * nulls on one line ({@code [0.9, 0.8]}) so that a confusion row or a curve stays readable, while arrays of objects or
 * arrays get a line per item. Written by hand because Jackson's {@code DefaultPrettyPrinter} puts every array either
 * on one line or one item a line, never by content; this is the layout of the files written before Jackson.
 *
 * <p>Stateful: Jackson makes a fresh copy for each document ({@link #createInstance()}).
 */
final class EvaluationLayout implements PrettyPrinter, Instantiatable<EvaluationLayout> {

    private static final String PAD = "  ";

    /** For each open array, whether it is written on one line. */
    private final Deque<Boolean> flat = new ArrayDeque<>();
    private int depth;

    @Override
    public EvaluationLayout createInstance() {
        return new EvaluationLayout();
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        g.writeRaw('{');
        depth++;
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        newLine(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        newLine(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        depth--;
        if (entries > 0) {
            newLine(g);
        }
        g.writeRaw('}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        // The serializers pass the array or list being written as the current value.
        flat.push(scalarsOnly(g.currentValue()));
        g.writeRaw('[');
        depth++;
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        if (!flat.getFirst()) {
            newLine(g);
        }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        if (flat.getFirst()) {
            g.writeRaw(", ");
        } else {
            g.writeRaw(',');
            newLine(g);
        }
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        depth--;
        if (!flat.pop() && values > 0) {
            newLine(g);
        }
        g.writeRaw(']');
    }

    private void newLine(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
        g.writeRaw(PAD.repeat(depth));
    }

    /** Whether every item is a number, string, boolean or null: a primitive array, or such a list or object array. */
    static boolean scalarsOnly(Object array) {
        if (array == null) {
            throw new IllegalStateException("the array being written is unknown: Jackson did not pass it to the "
                    + "layout, so whether it goes on one line cannot be decided");
        }
        if (array.getClass().isArray() && array.getClass().getComponentType().isPrimitive()) {
            return true;
        }
        Iterable<?> items;
        if (array instanceof Collection<?> c) {
            items = c;
        } else if (array.getClass().isArray()) {
            Object[] boxed = new Object[Array.getLength(array)];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = Array.get(array, i);
            }
            items = java.util.Arrays.asList(boxed);
        } else {
            throw new IllegalStateException("cannot lay out " + array.getClass().getName() + " as a JSON array");
        }
        for (Object v : items) {
            if (!(v == null || v instanceof Number || v instanceof String || v instanceof Boolean)) {
                return false;
            }
        }
        return true;
    }
}
