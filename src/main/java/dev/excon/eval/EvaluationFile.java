package dev.excon.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
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
        StringBuilder b = new StringBuilder();
        RecordJson.write(b, doc, 0);
        return b.append('\n').toString();
    }

    /**
     * Reads a document written by {@link #toJson()}.
     *
     * @throws FormatException if it is not JSON, not an evaluation, of another version, or a value is missing or of
     *     the wrong kind; the message says where
     */
    @SuppressWarnings("unchecked")
    public static EvaluationFile fromJson(String json) {
        Object tree;
        try {
            tree = RecordJson.parse(json);
        } catch (RecordJson.JsonException e) {
            throw new FormatException("not valid JSON: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> doc)) {
            throw new FormatException("not an evaluation: the document is not a JSON object");
        }
        if (!FORMAT.equals(doc.get("format"))) {
            throw new FormatException("not an evaluation: \"format\" is " + (doc.containsKey("format")
                    ? "\"" + doc.get("format") + "\"" : "missing") + ", expected \"" + FORMAT + "\"");
        }
        Object version = doc.get("version");
        int v = -1;
        for (int known = OLDEST_VERSION; known <= VERSION; known++) {
            if (version instanceof RecordJson.Num n && n.text().equals(Integer.toString(known))) {
                v = known;
            }
        }
        if (v < 0) {
            throw new FormatException("evaluation format version " + (version instanceof RecordJson.Num n2
                    ? n2.text() : String.valueOf(version)) + "; this version of ExCon reads versions "
                    + OLDEST_VERSION + " to " + VERSION + " (a newer ExCon wrote it?)");
        }
        for (Object k : doc.keySet()) {
            if (!List.of("format", "version", "notes", "result").contains(k)) {
                throw new FormatException("$ has an unknown field \"" + k + "\"");
            }
        }
        if (!doc.containsKey("result") || doc.get("result") == null) {
            throw new FormatException("$ has no \"result\"");
        }
        try {
            Map<String, String> notes = doc.get("notes") == null ? Map.of()
                    : (Map<String, String>) RecordJson.convert(doc.get("notes"), NOTES_TYPE, "$.notes");
            ProtocolResult r = (ProtocolResult) RecordJson.convert(doc.get("result"), ProtocolResult.class,
                    "$.result", v == 1 ? EvaluationFile::fromVersion1 : RecordJson.Upgrade.NONE);
            return new EvaluationFile(r, notes);
        } catch (RecordJson.JsonException e) {
            throw new FormatException(e.getMessage());
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
