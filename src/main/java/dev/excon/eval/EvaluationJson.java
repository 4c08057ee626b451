package dev.excon.eval;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.ValueInstantiators;
import com.fasterxml.jackson.databind.deser.impl.PropertyValueBuffer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson set up for evaluation.json and the result records: a record is an object of its components by name (and
 * nothing else: {@code ReliabilityBin.isEmpty()} is no field), an {@link Instant} its ISO-8601 text, a double is
 * written with {@link Double#toString} and NaN and the infinities as the strings {@code "NaN"}, {@code "Infinity"}
 * and {@code "-Infinity"}. Reading is strict: a duplicate, unknown or missing field, a string or a fraction where a
 * whole number stands, a number where a string stands, are all refused ({@link EvaluationJsonErrors} names the place).
 */
final class EvaluationJson {

    private EvaluationJson() {}

    /**
     * Supplies record components that an older layout of a document did not have: given the record type, the
     * components read (by name) and the names of those missing, it adds values for the ones it knows to {@code read};
     * a component still missing afterwards is refused as usual.
     */
    @FunctionalInterface
    interface Upgrade {
        /** Supplies nothing: the current layout, where every component must be present. */
        Upgrade NONE = (type, read, missing) -> { };

        void fill(Class<?> type, Map<String, Object> read, List<String> missing);
    }

    /**
     * A value refused by this code rather than by Jackson; the message is what follows the JSON path, e.g.
     * {@code (ProtocolResult) has no field "seconds"}. Jackson adds the path as the error passes up.
     */
    static final class Refusal extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        Refusal(JsonParser p, String afterPath) {
            super(p, afterPath);
        }
    }

    /**
     * A mapper for the current layout ({@link Upgrade#NONE}) or for an older one whose missing fields {@code upgrade}
     * supplies.
     */
    static ObjectMapper mapper(Upgrade upgrade) {
        JsonFactory json = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // as written before Jackson: lower-case hex in escapes, a surrogate pair as its UTF-8 bytes (only a
                // lone surrogate, which has no UTF-8 form, escaped)
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build();
        SimpleModule module = new SimpleModule("excon-evaluation") {
            private static final long serialVersionUID = 1L;

            @Override
            public void setupModule(SetupContext context) {
                super.setupModule(context);
                context.addValueInstantiators(new StrictRecords(upgrade));
            }
        };
        module.addSerializer(Instant.class, new InstantText());
        module.addDeserializer(Instant.class, new InstantFromText());
        module.addDeserializer(double.class, new StrictDouble(true));
        module.addDeserializer(Double.class, new StrictDouble(false));
        module.addDeserializer(double[].class, new StrictDoubles());
        return JsonMapper.builder(json)
                // Only record components are fields (read from the record's fields, in their order), no
                // getter-like methods such as ReliabilityBin.isEmpty().
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .visibility(PropertyAccessor.GETTER, Visibility.NONE)
                .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // A number or true/false is not a string, "" is no object, array or enum constant.
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer,
                        CoercionAction.Fail).setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setAcceptBlankAsEmpty(false))
                .addModule(module)
                .build();
    }

    /**
     * Builds records through their canonical constructor as Jackson does, but refuses a missing component by name
     * (Jackson's own check names neither the record nor the field in a form we can report), lets an {@link Upgrade}
     * supply components of an older layout first, and reports a record's own refusal of its values as such.
     */
    private static final class StrictRecords extends ValueInstantiators.Base {
        private final Upgrade upgrade;

        StrictRecords(Upgrade upgrade) {
            this.upgrade = upgrade;
        }

        @Override
        public ValueInstantiator findValueInstantiator(DeserializationConfig config, BeanDescription bean,
                ValueInstantiator defaultInstantiator) {
            return bean.getBeanClass().isRecord() ? new StrictRecord(defaultInstantiator, upgrade)
                    : defaultInstantiator;
        }
    }

    private static final class StrictRecord extends ValueInstantiator.Delegating {
        private static final long serialVersionUID = 1L;
        private final transient Upgrade upgrade;

        StrictRecord(ValueInstantiator delegate, Upgrade upgrade) {
            super(delegate);
            this.upgrade = upgrade;
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, SettableBeanProperty[] props,
                PropertyValueBuffer buffer) throws IOException {
            Class<?> type = getValueClass();
            Map<String, Object> read = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (SettableBeanProperty p : props) {
                if (buffer.hasParameter(p)) {
                    read.put(p.getName(), buffer.getParameter(p));
                } else {
                    missing.add(p.getName());
                }
            }
            if (!missing.isEmpty()) {
                upgrade.fill(type, read, List.copyOf(missing));
            }
            Object[] args = new Object[props.length];
            for (int i = 0; i < props.length; i++) {
                String name = props[i].getName();
                if (!read.containsKey(name)) {
                    throw new Refusal(ctxt.getParser(), "(" + type.getSimpleName() + ") has no field \"" + name
                            + "\"");
                }
                args[i] = unmodifiable(read.get(name));
            }
            try {
                return delegate().createFromObjectWith(ctxt, args);
            } catch (ValueInstantiationException e) { // the record's own checks refused the values
                Throwable cause = e.getCause();
                while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                throw new Refusal(ctxt.getParser(), "(" + type.getSimpleName() + ") is inconsistent: "
                        + (cause == null ? e.getOriginalMessage() : cause.getMessage()));
            }
        }
    }

    /** Lists and maps as read are Jackson's mutable ones; a result read back is as unmodifiable as one computed. */
    private static Object unmodifiable(Object value) {
        if (value instanceof List<?> l) {
            return Collections.unmodifiableList(l);
        }
        if (value instanceof Map<?, ?> m) {
            return Collections.unmodifiableMap(m);
        }
        return value;
    }

    /** An instant as its ISO-8601 text ({@link Instant#toString()}); without the java.time module, one type only. */
    private static final class InstantText extends StdScalarSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantText() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeString(value.toString());
        }
    }

    /** Reads only {@link Instant#parse} text: no epoch numbers, which the java.time module would also accept. */
    private static final class InstantFromText extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantFromText() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new Refusal(p, "= " + EvaluationJsonErrors.quote(text)
                        + " is not a time such as \"2025-01-31T12:00:00Z\"");
            }
        }
    }

    /**
     * A number, or exactly one of the strings the writer uses for NaN and the infinities. Jackson's own double reader
     * also takes "INF", "+INF" and "+Infinity", which no evaluation file contains.
     */
    private static final class StrictDouble extends StdScalarDeserializer<Double> {
        private static final long serialVersionUID = 1L;
        private final boolean primitive;

        StrictDouble(boolean primitive) {
            super(primitive ? Double.TYPE : Double.class);
            this.primitive = primitive;
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return read(p, ctxt);
        }

        static double read(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_NUMBER_INT) || p.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
                return p.getDoubleValue();
            }
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                switch (p.getText()) {
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
            return (Double) ctxt.handleUnexpectedToken(Double.TYPE, p);
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            if (primitive) {
                return (Double) ctxt.reportInputMismatch(this, "null for a double");
            }
            return null;
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null; // a missing component is StrictRecord's to report
        }
    }

    /** {@code double[]} with {@link StrictDouble}'s rules for each item (Jackson's array reader has its own). */
    private static final class StrictDoubles extends StdScalarDeserializer<double[]> {
        private static final long serialVersionUID = 1L;

        StrictDoubles() {
            super(double[].class);
        }

        @Override
        public double[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartArrayToken()) {
                return (double[]) ctxt.handleUnexpectedToken(double[].class, p);
            }
            double[] out = new double[8];
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, 2 * n);
                }
                try {
                    if (p.hasToken(JsonToken.VALUE_NULL)) {
                        ctxt.reportInputMismatch(Double.TYPE, "null for a double");
                    }
                    out[n] = StrictDouble.read(p, ctxt);
                } catch (JsonMappingException e) {
                    throw JsonMappingException.wrapWithPath(e, out, n);
                }
                n++;
            }
            return Arrays.copyOf(out, n);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Array;
        }
    }
}
