package dev.excon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's images/s from the JSON line {@code shared/peer-bench/run.sh} prints (its last line), by {@code
 * supcon_64}, {@code exconb_128}, {@code gradcam_eval_64} and so on.
 */
final class ReferenceFigures {

    private ReferenceFigures() {}

    /** The figures in {@code file}, empty for an empty name. */
    static Map<String, Double> read(String file) {
        Map<String, Double> out = new HashMap<>();
        if (file.isBlank()) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(file)).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("bench.reference=" + file + " is empty: pass the file that "
                        + "shared/peer-bench/run.sh wrote");
            }
            JsonNode results = new ObjectMapper().readTree(lines.get(lines.size() - 1)).path("results");
            results.fields().forEachRemaining(batch -> {
                put(out, "supcon_" + batch.getKey(), batch.getValue().path("supcon"));
                put(out, "exconb_" + batch.getKey(), batch.getValue().path("excon"));
                put(out, "gradcam_eval_" + batch.getKey(), batch.getValue().path("gradcam_eval_mode"));
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("bench.reference=" + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void put(Map<String, Double> out, String key, JsonNode r) {
        if (r.has("images_per_s")) {
            out.put(key, r.get("images_per_s").asDouble());
        }
    }
}
