package dev.excon.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved {@link ProtocolResult} with free-form notes (which checkpoint, which protocol settings), as JSON: what
 * {@code excon evaluate} writes to {@code runs/NAME/evaluation.json} and {@code excon report} reads back. Every number,
 * NaN and infinities included, reads back to the same value, and every nested result keeps its provenance.
 *
 * <pre>{@code
 * new EvaluationFile(result, Map.of("checkpoint", "best.ckpt")).write(Path.of("runs/quick/evaluation.json"));
 * ProtocolResult again = EvaluationFile.read(Path.of("runs/quick/evaluation.json")).result();
 * }</pre>
 *
 * <p>The document is {@code {"format": "excon-evaluation", "version": 2, "notes": {...}, "result": {...}}}; the result
 * object has one field per record component, recursively (see the result records for their meaning). Version 1 files
 * (written before the calibration bin conventions) still read: each calibration result then gets {@code binEdges}
 * {@link BinEdges#RIGHT_CLOSED} and {@code sampleThreshold} 1 (the only ones that code had), and its {@code
 * averageCalibrationError} is recomputed from its stored bins, exactly as a fresh computation would give it.
 *
 * @param result the evaluation
 * @param notes short facts about how it was made, in order (copied)
 */
public record EvaluationFile(ProtocolResult result, Map<String, String> notes) {

    /** The value of the document's {@code format} field. */
    public static final String FORMAT = "excon-evaluation";

    /** The layout version this code writes; it reads this one and version 1. */
    public static final int VERSION = 2;

    /** The oldest layout version this code reads (calibration results without their bin convention). */
    public static final int OLDEST_VERSION = 1;

    // Map<String, String>, as the reader needs it: the notes component's declared type.
    private static final java.lang.reflect.Type NOTES_TYPE = EvaluationFile.class.getRecordComponents()[1]
            .getGenericType();

    private static final List<String> FIELDS = List.of("format", "version", "notes", "result");

    private static final ObjectMapper JSON = EvaluationJson.mapper(EvaluationJson.Upgrade.NONE);

    private static final ObjectMapper JSON_VERSION_1 = EvaluationJson.mapper(EvaluationFile::fromVersion1);

    /** Copies the notes, keeping their order. */
    public EvaluationFile {
        if (result == null) {
            throw new IllegalArgumentException("result is null");
        }
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes == null ? Map.of() : notes));
    }

    /** The document as indented JSON text. */
    public String toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("version", VERSION);
        doc.put("notes", notes);
        doc.put("result", result);
        try {
            // As UTF-8 bytes: only that generator writes a lone surrogate as an escape and a pair as one character.
            byte[] utf8 = JSON.writer(new EvaluationLayout()).writeValueAsBytes(doc);
            return new String(utf8, StandardCharsets.UTF_8) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the evaluation as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a document written by {@link #toJson()}.
     *
     * @throws FormatException if it is not JSON, not an evaluation, of another version, or a value is missing or of
     *     the wrong kind; the message says where
     */
    public static EvaluationFile fromJson(String json) {
        JsonNode tree;
        try (JsonParser p = JSON.createParser(json)) {
            tree = JSON.readTree(p);
            if (tree == null) {
                throw new FormatException("not valid JSON: the document is empty");
            }
            try {
                if (p.nextToken() != null) {
                    throw new FormatException("not valid JSON: " + EvaluationJsonErrors.at(p.currentTokenLocation())
                            + ": unexpected " + EvaluationJsonErrors.quote(p.getText())
                            + " after the end of the document");
                }
            } catch (StreamReadException e) {
                throw new FormatException("not valid JSON: " + EvaluationJsonErrors.at(e.getLocation())
                        + ": unexpected text after the end of the document");
            }
        } catch (StreamReadException e) {
            throw new FormatException("not valid JSON: " + EvaluationJsonErrors.syntax(e, json));
        } catch (IOException e) { // a String has no I/O; Jackson declares it all the same
            throw new UncheckedIOException(e);
        }
        if (!(tree instanceof ObjectNode doc)) {
            throw new FormatException("not an evaluation: the document is not a JSON object");
        }
        JsonNode format = doc.get("format");
        if (format == null || !FORMAT.equals(format.textValue())) {
            throw new FormatException("not an evaluation: \"format\" is " + (format == null ? "missing"
                    : format.toString()) + ", expected \"" + FORMAT + "\"");
        }
        JsonNode version = doc.get("version");
        int v = version != null && version.isIntegralNumber() && version.canConvertToInt() ? version.intValue() : -1;
        if (v < OLDEST_VERSION || v > VERSION) {
            throw new FormatException("evaluation format version " + (version == null ? "missing" : version)
                    + "; this version of ExCon reads versions " + OLDEST_VERSION + " to " + VERSION
                    + " (a newer ExCon wrote it?)");
        }
        for (Iterator<String> names = doc.fieldNames(); names.hasNext(); ) {
            String k = names.next();
            if (!FIELDS.contains(k)) {
                throw new FormatException("$ has an unknown field " + EvaluationJsonErrors.quote(k) + "; expected "
                        + FIELDS);
            }
        }
        JsonNode result = doc.get("result");
        if (result == null || result.isNull()) {
            throw new FormatException("$ has no \"result\"");
        }
        ObjectMapper mapper = v == 1 ? JSON_VERSION_1 : JSON;
        JsonNode notes = doc.get("notes");
        Map<String, String> n = notes == null || notes.isNull() ? Map.of()
                : bind(mapper, notes, NOTES_TYPE, "$.notes");
        return new EvaluationFile(bind(mapper, result, ProtocolResult.class, "$.result"), n);
    }

    /** {@code node}, the part of the document at {@code path}, as a {@code type}. */
    private static <T> T bind(ObjectMapper mapper, JsonNode node, java.lang.reflect.Type type, String path) {
        try {
            return mapper.readerFor(mapper.constructType(type)).readValue(node);
        } catch (JsonMappingException e) {
            throw new FormatException(EvaluationJsonErrors.binding(e, path, node, type));
        } catch (IOException e) {
            throw new FormatException(path + ": " + e.getMessage());
        }
    }

    /**
     * What version 1 lacked: the calibration bin convention (there was only (a, b] with threshold 1) and the average
     * calibration error, which those bins give exactly.
     */
    @SuppressWarnings("unchecked")
    private static void fromVersion1(Class<?> type, Map<String, Object> read, List<String> missing) {
        if (type != CalibrationResult.class) {
            return;
        }
        if (missing.contains("binEdges")) {
            read.put("binEdges", BinEdges.RIGHT_CLOSED);
        }
        if (missing.contains("sampleThreshold")) {
            read.put("sampleThreshold", Calibration.DEFAULT_SAMPLE_THRESHOLD);
        }
        if (missing.contains("averageCalibrationError")) {
            Object bins = read.get("bins");
            Object threshold = read.get("sampleThreshold");
            read.put("averageCalibrationError", bins instanceof List<?> l && !l.contains(null)
                    && threshold instanceof Integer t
                    ? Calibration.averageCalibrationError((List<ReliabilityBin>) l, t) : Double.NaN);
        }
    }

    /**
     * Writes the document to {@code file} atomically: a temporary file in the same directory, flushed to disk and
     * renamed over the old one, so a reader never sees half a file. Creates the directory if needed.
     */
    public void write(Path file) {
        dev.excon.AtomicFiles.writeString(file, toJson());
    }

    /**
     * Reads {@code file}.
     *
     * @throws FormatException if it is not a readable evaluation (the message names the file and the place)
     * @throws UncheckedIOException if it cannot be read at all
     */
    public static EvaluationFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        if (bytes.length == 0) {
            throw new FormatException(file + " is empty");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file + " is not UTF-8 text (a binary or damaged file)");
        }
        try {
            return fromJson(text);
        } catch (FormatException e) {
            throw new FormatException(file + ": " + e.getMessage());
        }
    }

    /** A file or text that is not a readable evaluation; the message says which and where. */
    public static final class FormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message what is wrong and where */
        public FormatException(String message) {
            super(message);
        }
    }
}
