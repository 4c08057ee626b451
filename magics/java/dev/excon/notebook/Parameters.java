package dev.excon.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A notebook's parameters: each has a default written in the notebook's parameters cell, and the command line may
 * override it ({@code bin/run-notebook NOTEBOOK epochs=1 device=cpu}, which passes {@code EXCON_PARAMS}). A GPU
 * notebook thus also runs on a laptop with a smoke setting, without editing it.
 *
 * <p>{@code EXCON_PARAMS} holds {@code name=value} pairs separated by newlines or semicolons. An override that no
 * parameter asks for is reported by {@link #table()}: a typo must not silently run the paper-scale default.
 */
public final class Parameters {

    /** The environment variable holding the overrides. */
    public static final String ENV = "EXCON_PARAMS";

    private static final Map<String, String[]> USED = new LinkedHashMap<>(); // name -> {value, source}
    private static Map<String, String> overrides;

    private Parameters() {}

    /** The overrides from {@value #ENV}, parsed once per kernel. */
    static synchronized Map<String, String> overrides() {
        if (overrides == null) {
            overrides = parse(System.getenv(ENV));
        }
        return overrides;
    }

    /** For tests: parse this text instead of the environment (null goes back to the environment). */
    static synchronized void setOverrides(String text) {
        overrides = text == null ? null : parse(text);
        USED.clear();
    }

    /** Parses {@code name=value} pairs; a pair without {@code =} or with an empty name is an error. */
    static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return m;
        }
        for (String part : text.split("[;\\n]")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(ENV + ": '" + p + "' is not name=value (e.g. epochs=1)");
            }
            m.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
        }
        return m;
    }

    static synchronized String string(String name, String defaultValue) {
        String v = overrides().get(name);
        USED.put(name, new String[] {v != null ? v : String.valueOf(defaultValue), v != null ? "command line"
                : "default"});
        return v != null ? v : defaultValue;
    }

    static int integer(String name, int defaultValue) {
        return parsed(name, defaultValue, Integer::parseInt, "an integer");
    }

    static long longValue(String name, long defaultValue) {
        return parsed(name, defaultValue, Long::parseLong, "an integer");
    }

    static double real(String name, double defaultValue) {
        return parsed(name, defaultValue, Double::parseDouble, "a number");
    }

    private static <T> T parsed(String name, T defaultValue, java.util.function.Function<String, T> parse,
            String kind) {
        String v = string(name, String.valueOf(defaultValue));
        try {
            return parse.apply(v.strip());
        } catch (NumberFormatException e) {
            throw new ParameterException("parameter " + name + "=" + v + " is not " + kind + " (e.g. " + name
                    + "=" + defaultValue + ")");
        }
    }

    static boolean bool(String name, boolean defaultValue) {
        String v = string(name, String.valueOf(defaultValue)).strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ParameterException("parameter " + name + "=" + v + " is not true or false (e.g. " + name
                    + "=" + defaultValue + ")");
        };
    }

    /**
     * The parameters asked for so far with their values and where each came from.
     *
     * @throws ParameterException if the command line set a parameter this notebook does not have
     */
    public static synchronized Table table() {
        List<String> unknown = new ArrayList<>();
        for (String name : overrides().keySet()) {
            if (!USED.containsKey(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ParameterException("unknown parameter" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " on the command line; this notebook's parameters are " + USED.keySet());
        }
        StringColumn name = StringColumn.create("parameter");
        StringColumn value = StringColumn.create("value");
        StringColumn source = StringColumn.create("from");
        for (Map.Entry<String, String[]> e : USED.entrySet()) {
            name.append(e.getKey());
            value.append(e.getValue()[0]);
            source.append(e.getValue()[1]);
        }
        return Table.create("parameters", name, value, source);
    }
}
