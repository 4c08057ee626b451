package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.excon.Provenance;
import dev.excon.eval.embedding.TsneParameters;
import dev.excon.eval.embedding.TsneResult;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluation.json: every result reads back exactly; damaged files are refused with the place named. */
class EvaluationFileTest {

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------ round trip

    @Test
    void randomResultsReadBackExactly() {
        SplittableRandom r = new SplittableRandom(20251128);
        int withoutPgd = 0;
        int withoutTsne = 0;
        int withoutCorruptions = 0;
        for (int i = 0; i < 300; i++) {
            ProtocolResult original = randomResult(r);
            withoutPgd += original.pgd() == null ? 1 : 0;
            withoutTsne += original.tsne() == null ? 1 : 0;
            withoutCorruptions += original.corruptionEce().isEmpty() ? 1 : 0;
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("checkpoint", text(r));
            notes.put(text(r) + "x", text(r));
            String json = new EvaluationFile(original, notes).toJson();
            EvaluationFile back = EvaluationFile.fromJson(json);
            assertSame(original, back.result(), "$", "case " + i);
            assertEquals(notes, back.notes(), "case " + i);
            // Writing the copy gives the same text: nothing is normalised away on either side.
            assertEquals(json, back.toJson(), "case " + i);
        }
        assertTrue(withoutPgd > 30 && withoutTsne > 30 && withoutCorruptions > 30,
                "the generator covers null pgd / tsne and empty maps: " + withoutPgd + ", " + withoutTsne + ", "
                        + withoutCorruptions);
    }

    @Test
    void specialDoublesAndStringsSurviveAFile() {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, -Double.MIN_NORMAL, Double.MAX_VALUE, 0.1, 1.0 / 3, 1e-300, 123456789.123456789};
        ProtocolResult base = sample();
        String awkward = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 lone \ud800 pair \ud83d\ude00 "
                + "\u2028 é € </script>";
        ProtocolResult r = new ProtocolResult(awkward, base.accuracy(), base.dropIncrease(),
                base.deletionInsertion(), base.fgsm(), null, base.calibration(), base.temperature(),
                base.calibrationScaled(), awkward, Map.of(), Map.of(), null, null, Double.NaN);
        DropIncreaseResult d = new DropIncreaseResult(specials.length, Double.POSITIVE_INFINITY, Integer.MIN_VALUE,
                awkward, -0.0, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE, specials, specials.clone(),
                new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 0}, null);
        r = new ProtocolResult(r.run(), r.accuracy(), d, r.deletionInsertion(), r.fgsm(), null, r.calibration(),
                r.temperature(), r.calibrationScaled(), r.corruptionSuite(), Map.of("nan", specials), Map.of(),
                null, null, r.seconds());
        Path file = tmp.resolve("evaluation.json");
        new EvaluationFile(r, Map.of()).write(file);
        assertFalse(Files.exists(tmp.resolve("evaluation.json.tmp")), "the temporary file is renamed away");
        ProtocolResult back = EvaluationFile.read(file).result();
        assertSame(r, back, "$", "special values");
        assertEquals(awkward, back.run());
        assertTrue(Double.isNaN(back.seconds()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.dropIncrease().averageDrop()));
        assertNull(back.pgd());
        assertNull(back.tsne());
        assertNull(back.provenance());
        assertTrue(back.corruptionEce().isEmpty());
    }

    @Test
    void theComparisonCanFail() {
        // The exactness check distinguishes 0.0 from -0.0, a changed count and a different map order.
        ProtocolResult a = sample();
        double[] perClass = a.accuracy().perClass().clone();
        perClass[0] = -perClass[0];
        AccuracyResult acc = new AccuracyResult(a.accuracy().count(), a.accuracy().numClasses(), a.accuracy().k(),
                a.accuracy().top1(), a.accuracy().topK(), perClass, a.accuracy().classCounts(),
                a.accuracy().confusion(), a.accuracy().classNames(), a.accuracy().provenance());
        ProtocolResult b = new ProtocolResult(a.run(), acc, a.dropIncrease(), a.deletionInsertion(), a.fgsm(),
                a.pgd(), a.calibration(), a.temperature(), a.calibrationScaled(), a.corruptionSuite(),
                a.corruptionAccuracy(), a.corruptionEce(), a.tsne(), a.provenance(), a.seconds());
        assertThrows(AssertionError.class, () -> assertSame(a, b, "$", ""));
        Map<String, double[]> reversed = new LinkedHashMap<>();
        reversed.put("b", new double[] {1});
        reversed.put("a", new double[] {1});
        Map<String, double[]> ordered = new LinkedHashMap<>();
        ordered.put("a", new double[] {1});
        ordered.put("b", new double[] {1});
        assertThrows(AssertionError.class, () -> assertSame(ordered, reversed, "$", ""));
    }

    @Test
    void aRealProtocolResultReadsBack() {
        // The result of a real (tiny) protocol run, not just generated records; the smallest t-SNE (32 points).
        ImageDatasetPair data = new ImageDatasetPair(EvalFixtures.quadrants(48, 1, "val"),
                EvalFixtures.quadrants(32, 2, "test"));
        try (var net = EvalFixtures.grayNetwork(4)) {
            Provenance p = Provenance.of("quick test", 3, "quadrants", "ab".repeat(32), "cpu()");
            ProtocolResult r = PaperProtocol.builder().optEpsilons(8).optCorruptionLimit(4).optBatchSize(32)
                    .optTsne(true, 4, 8).build().evaluate("tiny", net, data.validation, data.test, p);
            EvaluationFile back = EvaluationFile.fromJson(new EvaluationFile(r, Map.of()).toJson());
            assertSame(r, back.result(), "$", "protocol result");
            assertEquals(r.headline().keySet(), back.result().headline().keySet());
            // The protocol adds the model to the configuration text; nested results keep that provenance.
            Provenance withModel = p.withModel(net.description());
            assertTrue(withModel.config().endsWith("\nmodel=" + net.description() + "\n"), withModel.config());
            assertEquals(withModel, back.result().accuracy().provenance(), "nested results keep their provenance");
            assertEquals(withModel, back.result().fgsm().provenance());
        }
    }

    // ------------------------------------------------------------------ older files

    /**
     * {@code evaluation-fb83394.json} was written by the code at commit fb83394 (layout version 1, before the
     * calibration bin conventions): {@link #sample()} with its calibration results replaced by real ones, all (a, b]
     * with sample threshold 1,
     *
     * <pre>
     *   clean (and FGSM's clean) = Calibration.standard().ofProbabilities(CalibrationTest.PROBS, 2, LABELS)
     *   scaled                   = Calibration.withBins(10, 3).ofLogits(logits(7, 200, 5), 5, labels(8, 200, 5))
     *   FGSM 2/255, 8/255        = standard() on logits(9, 300, 10); withBins(15) on logits(11, 50, 3)
     * </pre>
     *
     * and no PGD; so today's code, given the same inputs, must produce exactly the results read back, the average
     * calibration error (absent from the file) included.
     */
    @Test
    void anEvaluationWrittenBeforeTheBinConventionsReadsBack() throws Exception {
        Path file = Path.of(getClass().getResource("evaluation-fb83394.json").toURI());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"version\": 1,") && !text.contains("averageCalibrationError")
                && !text.contains("binEdges"), "the fixture is an old file");
        EvaluationFile old = EvaluationFile.read(file);
        ProtocolResult r = old.result();
        ProtocolResult s = sample();
        CalibrationResult clean = Calibration.standard().ofProbabilities(CalibrationTest.PROBS, 2,
                CalibrationTest.LABELS).withProvenance(s.provenance());
        assertSame(clean, r.calibration(), "$.calibration", "fixture");
        assertSame(clean, r.fgsm().cleanCalibration(), "$.fgsm.cleanCalibration", "fixture");
        assertSame(Calibration.withBins(10, 3).ofLogits(logits(7, 200, 5), 5, labels(8, 200, 5)),
                r.calibrationScaled(), "$.calibrationScaled", "fixture");
        assertSame(Calibration.standard().ofLogits(logits(9, 300, 10), 10, labels(10, 300, 10))
                .withProvenance(s.provenance()), r.fgsm().calibration().get(0), "$.fgsm.calibration[0]", "fixture");
        assertSame(Calibration.withBins(15).ofLogits(logits(11, 50, 3), 3, labels(12, 50, 3)),
                r.fgsm().calibration().get(1), "$.fgsm.calibration[1]", "fixture");
        // By hand (CalibrationTest.PROBS): gaps 0, .375, .75, .5 in the 4 non-empty bins, so (0 + .375 + .75 + .5) / 4.
        assertEquals(1.625 / 4, r.calibration().averageCalibrationError(), 1e-15);
        assertEquals(BinEdges.RIGHT_CLOSED, r.calibration().binEdges());
        assertEquals(1, r.calibrationScaled().sampleThreshold());
        assertSame(s.accuracy(), r.accuracy(), "$.accuracy", "fixture");
        assertSame(s.dropIncrease(), r.dropIncrease(), "$.dropIncrease", "fixture");
        assertSame(s.tsne(), r.tsne(), "$.tsne", "fixture");
        assertNull(r.pgd());
        assertEquals(Map.of("written by", "ExCon at commit fb83394"), old.notes());
        // Written again, it is a version 2 file carrying the new fields, and reads back the same.
        String json = old.toJson();
        assertTrue(json.contains("\"version\": 2,") && json.contains("\"averageCalibrationError\": 0.40625,")
                && json.contains("\"binEdges\": \"RIGHT_CLOSED\",") && json.contains("\"sampleThreshold\": 1,"),
                json.substring(0, 200));
        assertSame(r, EvaluationFile.fromJson(json).result(), "$", "rewritten fixture");
        // Strict as before: an old file with a field missing that version 1 had is still refused.
        assertMessage(text.replaceFirst("\\n\\s*\"mce\": [^\\n]*", ""), "$.result.fgsm.cleanCalibration",
                "no field \"mce\"");
        assertMessage(text.replace("\"ece\": ", "\"ECE\": "), "unknown field \"ECE\"");
    }

    /**
     * Files written by the hand-written writer that came before Jackson (commit 571b270, {@code new EvaluationFile(
     * result, notes).write(file)}): {@link #sample()} with one note, {@link #corners()} with {@link #cornerNotes()},
     * {@link #randomResult} for seeds 1 to 3 with a note naming the seed, and the version 1 fixture read and written
     * again. Today's code reads each to the value it was made from and writes it back byte for byte: the layout
     * (indentation, {@code ": "}, flat number rows, NaN as a string, lower-case escapes) has not changed.
     */
    @Test
    void filesWrittenBeforeJacksonReadBackAndWriteTheSameText() throws Exception {
        Map<String, EvaluationFile> expected = new LinkedHashMap<>();
        expected.put("evaluation-v2-sample.json", new EvaluationFile(sample(), Map.of("checkpoint", "best.ckpt")));
        expected.put("evaluation-v2-corners.json", new EvaluationFile(corners(), cornerNotes()));
        for (long seed = 1; seed <= 3; seed++) {
            expected.put("evaluation-v2-random-" + seed + ".json", new EvaluationFile(randomResult(
                    new SplittableRandom(seed)), Map.of("generator",
                            "EvaluationFileTest.randomResult(new SplittableRandom(" + seed + "))")));
        }
        for (Map.Entry<String, EvaluationFile> e : expected.entrySet()) {
            Path file = Path.of(getClass().getResource(e.getKey()).toURI());
            String text = Files.readString(file, StandardCharsets.UTF_8);
            EvaluationFile back = EvaluationFile.read(file);
            assertSame(e.getValue().result(), back.result(), "$", e.getKey());
            assertEquals(e.getValue().notes(), back.notes(), e.getKey());
            assertEquals(text, back.toJson(), e.getKey() + " written again");
            assertEquals(text, e.getValue().toJson(), e.getKey() + " written from the value");
            // As before Jackson, the lists read are as unmodifiable as computed ones.
            assertThrows(UnsupportedOperationException.class,
                    () -> back.result().fgsm().adversarial().add(null), e.getKey());
            assertThrows(UnsupportedOperationException.class,
                    () -> back.result().accuracy().classNames().add("x"), e.getKey());
        }
        Path old = Path.of(getClass().getResource("evaluation-fb83394.json").toURI());
        Path rewritten = Path.of(getClass().getResource("evaluation-fb83394-rewritten.json").toURI());
        assertEquals(Files.readString(rewritten, StandardCharsets.UTF_8), EvaluationFile.read(old).toJson());
    }

    /** Hand-written damage to the sample file: each is refused, naming the place and what was expected there. */
    @Test
    void strictAboutEveryValue() throws Exception {
        String json = Files.readString(Path.of(getClass().getResource("evaluation-v2-sample.json").toURI()),
                StandardCharsets.UTF_8);
        String[][] cases = {
            // {text to replace, replacement, parts of the message...}
            {"\"top1\": 0.75,", "\"top1\": \"0.75\",", "$.result.accuracy.top1 = \"0.75\"", "expected a number"},
            {"\"top1\": 0.75,", "\"top1\": \"INF\",", "$.result.accuracy.top1", "expected a number"},
            {"\"top1\": 0.75,", "\"top1\": \"nan\",", "$.result.accuracy.top1", "expected a number"},
            {"\"top1\": 0.75,", "\"top1\": \"\",", "$.result.accuracy.top1", "expected a number"},
            {"\"top1\": 0.75,", "\"top1\": true,", "$.result.accuracy.top1 = true", "expected a number"},
            {"\"top1\": 0.75,", "\"top1\": [0.75],", "$.result.accuracy.top1", "expected a number"},
            {"\"top1\": 0.75,", "\"top1\": null,", "$.result.accuracy.top1 is null", "expected a number"},
            {"\"top1\": 0.75,", "\"top1\": NaN,", "not valid JSON", "line 13"},
            {"\"top1\": 0.75,", "\"top1\": .75,", "not valid JSON", "line 13"},
            {"\"top1\": 0.75,", "\"top1\": 00.75,", "not valid JSON", "line 13"},
            {"\"top1\": 0.75,", "\"top1\": +0.75,", "not valid JSON", "line 13"},
            {"\"k\": 3,", "\"k\": \"3\",", "$.result.accuracy.k = \"3\"", "whole number"},
            {"\"k\": 3,", "\"k\": 3.0,", "$.result.accuracy.k = 3.0", "whole number"},
            {"\"k\": 3,", "\"k\": 3e0,", "$.result.accuracy.k", "whole number"},
            {"\"k\": 3,", "\"k\": 2147483648,", "$.result.accuracy.k = 2147483648", "whole number"},
            {"\"count\": 4,", "\"count\": 9223372036854775808,", "$.result.accuracy.count", "whole number"},
            {"[1.0, 0.5, \"NaN\"]", "[1.0, \"x\", \"NaN\"]", "$.result.accuracy.perClass[1] = \"x\"",
                "expected a number"},
            {"[1.0, 0.5, \"NaN\"]", "[1.0, 0.5, null]", "$.result.accuracy.perClass[2] is null"},
            {"[1.0, 0.5, \"NaN\"]", "1.0", "$.result.accuracy.perClass = 1.0", "expected an array"},
            {"[1.0, 0.5, \"NaN\"]", "\"\"", "$.result.accuracy.perClass", "expected an array"},
            {"[1.0, 0.5, \"NaN\"]", "[1.0, 0.5, \"NaN\",]", "not valid JSON", "line 15"},
            {"[2, 0, 0]", "[2, null, 0]", "$.result.accuracy.confusion[0][1] is null"},
            {"[2, 0, 0]", "[2, 0.5, 0]", "$.result.accuracy.confusion[0][1] = 0.5", "whole number"},
            {"[\"a\", \"b\", \"c\"]", "[\"a\", 2, \"c\"]", "$.result.accuracy.classNames[1] = 2",
                "expected a string"},
            {"\"run\": \"quick\"", "\"run\": 5", "$.result.run = 5", "expected a string"},
            {"\"run\": \"quick\"", "\"run\": false", "$.result.run = false", "expected a string"},
            {"\"run\": \"quick\"", "\"run\": [\"quick\"]", "$.result.run", "expected a string"},
            {"\"run\": \"quick\"", "\"run\": {}", "$.result.run", "expected a string"},
            {"\"run\": \"quick\"", "\"run\": \"qu\\u+041ick\"", "not valid JSON", "line 8"},
            {"\"run\": \"quick\"", "\"run\": \"qu\\xick\"", "not valid JSON", "line 8"},
            {"\"run\": \"quick\"", "\"run\": \"qu\tick\"", "not valid JSON", "line 8"},
            {"\"run\": \"quick\"", "\"run\": 'quick'", "not valid JSON", "line 8"},
            {"\"run\": \"quick\"", "run: \"quick\"", "not valid JSON", "line 8"},
            {"\"run\": \"quick\"", "/* c */ \"run\": \"quick\"", "not valid JSON", "line 8"},
            {"\"binEdges\": \"RIGHT_CLOSED\"", "\"binEdges\": 0", "$.result.fgsm.cleanCalibration.binEdges",
                "expected one of [RIGHT_CLOSED, NETCAL]"},
            {"\"binEdges\": \"RIGHT_CLOSED\"", "\"binEdges\": \"0\"", "binEdges", "expected one of"},
            {"\"binEdges\": \"RIGHT_CLOSED\"", "\"binEdges\": \"right_closed\"", "binEdges",
                "expected one of"},
            {"\"binEdges\": \"RIGHT_CLOSED\"", "\"binEdges\": \"\"", "binEdges", "expected one of"},
            {"\"created\": \"2025-11-28T10:00:00.123456789Z\"", "\"created\": 1764324000",
                "$.result.accuracy.provenance.created = 1764324000", "a time such as"},
            {"\"created\": \"2025-11-28T10:00:00.123456789Z\"", "\"created\": \"2025-11-28\"",
                "$.result.accuracy.provenance.created = \"2025-11-28\"", "is not a time"},
            {"\"lower\": 0.0,", "\"lower\": 0.0, \"empty\": false,",
                "$.result.fgsm.cleanCalibration.bins[0] (ReliabilityBin) has an unknown field \"empty\"",
                "[lower, upper, count, meanConfidence, accuracy]"},
            {"\"checkpoint\": \"best.ckpt\"", "\"checkpoint\": 5", "$.notes[\"checkpoint\"] = 5",
                "expected a string"},
            {"\"checkpoint\": \"best.ckpt\"", "\"checkpoint\": \"best.ckpt\", \"checkpoint\": \"last.ckpt\"",
                "$.notes.checkpoint", "Duplicate field 'checkpoint'"},
            {"\"gaussian_noise\": [0.7, 0.6", "\"gaussian_noise\": [0.7, \"x\"",
                "$.result.corruptionAccuracy[\"gaussian_noise\"][1] = \"x\"", "expected a number"},
            {"\"gaussian_noise\": [0.7, 0.6", "\"gaussian_noise\": [0.7], \"gaussian_noise\": [0.6",
                "$.result.corruptionAccuracy.gaussian_noise", "Duplicate field 'gaussian_noise'"},
            {"\"version\": 2,", "\"version\": 2, \"extra\": 1,", "$ has an unknown field \"extra\""},
            {"\"version\": 2,", "\"version\": \"2\",", "version \"2\"", "reads versions 1 to 2"},
            {"\"version\": 2,", "\"version\": 2.0,", "version 2.0", "reads versions 1 to 2"},
            {"\"version\": 2,", "", "version", "reads versions 1 to 2"},
            {"\"format\": \"excon-evaluation\",", "", "\"format\" is missing"},
        };
        List<String> failures = new ArrayList<>();
        for (String[] c : cases) {
            assertTrue(json.contains(c[0]), c[0]);
            String[] parts = java.util.Arrays.copyOfRange(c, 2, c.length);
            try {
                assertMessage(json.replaceFirst(java.util.regex.Pattern.quote(c[0]),
                        java.util.regex.Matcher.quoteReplacement(c[1])), parts);
            } catch (AssertionError e) {
                failures.add(c[1] + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // A record where a scalar stands, and a document without its result.
        assertMessage(json.replaceFirst("(?s)\"tsne\": \\{.*?\\n    \\},", "\"tsne\": [],"), "$.result.tsne",
                "expected an object (TsneResult)");
        assertMessage(json.replaceFirst("(?s),\\s*\"result\": .*", "}"), "$ has no \"result\"");
        assertMessage(json + "x", "not valid JSON", "after the end of the document");
        assertMessage("", "not valid JSON");
        // What may be absent or null stays so: notes, null PGD.
        assertNull(EvaluationFile.fromJson(json.replace("\"pgd\": {", "\"pgd\": null, \"unused\": {")
                .replaceFirst("(?s), \"unused\": \\{.*?\\n    \\},", ",")).result().pgd());
        assertTrue(EvaluationFile.fromJson(json.replaceFirst("(?s)\"notes\": \\{.*?\\},", "")).notes().isEmpty());
    }

    /** Seeded N x C logits, as the fixture's writer made them. */
    private static float[] logits(long seed, int n, int c) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n * c];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (2.5 * r.nextGaussian());
        }
        return out;
    }

    /** Seeded labels in [0, c), as the fixture's writer made them. */
    private static int[] labels(long seed, int n, int c) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(c);
        }
        return out;
    }

    private record ImageDatasetPair(dev.excon.data.ImageDataset validation, dev.excon.data.ImageDataset test) {}

    // ------------------------------------------------------------------ refused files

    @Test
    void damagedDocumentsNameThePlaceAndTheProblem() {
        String json = new EvaluationFile(sample(), Map.of("checkpoint", "best.ckpt")).toJson();
        assertTrue(json.contains("\"top1\": 0.75,"), json.substring(0, 400));
        assertMessage(json.substring(0, json.length() / 2), "not valid JSON", "truncated");
        assertMessage(json.replace("\"top1\": 0.75,", "\"top1\": \"high\","), "$.result.accuracy.top1",
                "expected a number");
        assertMessage(json.replace("\"top1\": 0.75,", "\"top1\": 0.75, \"top2\": 1,"), "$.result.accuracy",
                "unknown field \"top2\"");
        assertMessage(json.replaceFirst(",\\s*\"seconds\": [^\\n]*", ""), "$.result (ProtocolResult)",
                "no field \"seconds\"");
        assertMessage(json.replace("\"k\": 3,", "\"k\": 3.5,"), "$.result.accuracy.k", "whole number");
        assertMessage(json.replace("\"k\": 3,", "\"k\": 99999999999,"), "$.result.accuracy.k", "whole number");
        assertMessage(json.replace("\"temperature\": 1.5,", "\"temperature\": -1.5,"), "$.result.temperature",
                "inconsistent", "must be positive");
        assertMessage(json.replace("\"format\": \"excon-evaluation\"", "\"format\": \"something-else\""),
                "not an evaluation", "something-else");
        assertMessage(json.replace("\"version\": 2", "\"version\": 3"), "version 3", "reads versions 1 to 2");
        assertMessage(json.replace("\"version\": 2", "\"version\": 0"), "version 0", "reads versions 1 to 2");
        // Only version 1 may lack the calibration fields; in a version 2 file their absence is damage.
        assertMessage(json.replaceFirst("\\n\\s*\"averageCalibrationError\": [^\\n]*", ""), "$.result.fgsm",
                "no field \"averageCalibrationError\"");
        assertMessage(json.replace("\"binEdges\": \"RIGHT_CLOSED\"", "\"binEdges\": \"GUO\""), "binEdges",
                "expected one of [RIGHT_CLOSED, NETCAL]");
        assertMessage(json.replace("\"binEdges\": \"RIGHT_CLOSED\"", "\"binEdges\": null"), "inconsistent",
                "binEdges is null");
        assertMessage(json.replace("\"sampleThreshold\": 1", "\"sampleThreshold\": 0"), "inconsistent",
                "sampleThreshold=0");
        assertMessage("[1, 2]", "not an evaluation");
        assertMessage(json.replace("\"top1\": 0.75,", "\"top1\": 0.75,,"), "line 13, column 20",
                "$.result.accuracy", "double-quote to start field name");
        assertMessage(json.replace("\"created\": \"", "\"created\": \"yesterday"), "provenance.created",
                "is not a time");
        assertMessage(json + "{}", "after the end of the document");
        assertMessage(json.replace("\"top1\": 0.75,", "\"top1\": 0.75, \"top1\": 0.5,"),
                "line 13, column 27", "$.result.accuracy.top1", "Duplicate field 'top1'");
    }

    @Test
    void filesAreNamedInErrors() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.json"), "");
        EvaluationFile.FormatException e = assertThrows(EvaluationFile.FormatException.class,
                () -> EvaluationFile.read(empty));
        assertTrue(e.getMessage().startsWith(empty + " is empty"), e.getMessage());
        Path binary = Files.write(tmp.resolve("binary.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        e = assertThrows(EvaluationFile.FormatException.class, () -> EvaluationFile.read(binary));
        assertTrue(e.getMessage().contains(binary.toString()) && e.getMessage().contains("not UTF-8"),
                e.getMessage());
        Path cut = tmp.resolve("cut.json");
        String json = new EvaluationFile(sample(), Map.of()).toJson();
        Files.writeString(cut, json.substring(0, 300), StandardCharsets.UTF_8);
        e = assertThrows(EvaluationFile.FormatException.class, () -> EvaluationFile.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": not valid JSON"), e.getMessage());
        // Writing over a file replaces it whole.
        new EvaluationFile(sample(), Map.of()).write(cut);
        assertEquals(json, Files.readString(cut, StandardCharsets.UTF_8));
    }

    private static void assertMessage(String json, String... parts) {
        EvaluationFile.FormatException e = assertThrows(EvaluationFile.FormatException.class,
                () -> EvaluationFile.fromJson(json));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ exact comparison

    /** Deep, exact equality: doubles by their bits (NaN equals NaN, -0.0 differs from 0.0), map order included. */
    static void assertSame(Object expected, Object actual, String path, String context) {
        if (expected == null || actual == null) {
            if (expected != actual) {
                fail(context + ": " + path + " is " + actual + ", expected " + expected);
            }
            return;
        }
        if (expected instanceof Record) {
            assertEquals(expected.getClass(), actual.getClass(), context + ": " + path);
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                try {
                    assertSame(c.getAccessor().invoke(expected), c.getAccessor().invoke(actual),
                            path + "." + c.getName(), context);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        } else if (expected.getClass().isArray()) {
            assertEquals(expected.getClass(), actual.getClass(), context + ": " + path);
            assertEquals(Array.getLength(expected), Array.getLength(actual), context + ": " + path + " length");
            for (int i = 0; i < Array.getLength(expected); i++) {
                assertSame(Array.get(expected, i), Array.get(actual, i), path + "[" + i + "]", context);
            }
        } else if (expected instanceof List<?> l) {
            List<?> m = (List<?>) actual;
            assertEquals(l.size(), m.size(), context + ": " + path + " size");
            for (int i = 0; i < l.size(); i++) {
                assertSame(l.get(i), m.get(i), path + "[" + i + "]", context);
            }
        } else if (expected instanceof Map<?, ?> a) {
            Map<?, ?> b = (Map<?, ?>) actual;
            assertEquals(new ArrayList<>(a.keySet()), new ArrayList<>(b.keySet()), context + ": " + path + " keys");
            Iterator<?> ia = a.values().iterator();
            Iterator<?> ib = b.values().iterator();
            int i = 0;
            while (ia.hasNext()) {
                assertSame(ia.next(), ib.next(), path + "{" + i++ + "}", context);
            }
        } else if (expected instanceof Double d) {
            // Double.equals compares bits (NaNs folded): exactly what a round trip must keep.
            if (!d.equals(actual)) {
                fail(context + ": " + path + " is " + actual + ", expected " + d);
            }
        } else if (!Objects.equals(expected, actual)) {
            fail(context + ": " + path + " is " + actual + ", expected " + expected);
        }
    }

    // ------------------------------------------------------------------ generators

    /** A fixed result with round numbers the damage tests search for. */
    static ProtocolResult sample() {
        Provenance p = new Provenance("name=quick\nseed=3", 3, "Fashion-MNIST", "ab".repeat(32), "0.1.0",
                "PyTorch 2.7.1", "0.36.0", "cpu()", "abc123", Instant.parse("2025-11-28T10:00:00.123456789Z"));
        AccuracyResult acc = new AccuracyResult(4, 3, 3, 0.75, 1.0, new double[] {1, 0.5, Double.NaN},
                new long[] {2, 2, 0}, new long[][] {{2, 0, 0}, {1, 1, 0}, {0, 0, 0}}, List.of("a", "b", "c"), p);
        ReliabilityBin bin = new ReliabilityBin(0, 0.5, 2, 0.4, Double.NaN);
        CalibrationResult cal = new CalibrationResult(4, 0.1, 0.2, 0.15, 0.125, 0.7, 0.3, 0.75, 0.65,
                List.of(bin, bin), List.of(), BinEdges.RIGHT_CLOSED, 1, p);
        DropIncreaseResult drop = new DropIncreaseResult(2, 0.15, 117, "GradCAM", 0.3, 0.5, 0.1, 0.5,
                new double[] {0.9, 0.8}, new double[] {0.7, 0.95}, new int[] {1, 2}, p);
        DeletionInsertionResult del = new DeletionInsertionResult(2, "GradCAM", new double[] {0, 0.5, 1},
                new double[] {0.9, 0.4, 0.1}, new double[] {0.1, 0.5, 0.9}, 0.45, 0.5,
                new double[][] {{0.9, 0.4, 0.1}, {0.9, 0.4, 0.1}}, new double[][] {{0.1, 0.5, 0.9}, {0.1, 0.5, 0.9}},
                new int[] {1, 2}, p);
        RobustnessResult fgsm = new RobustnessResult("FGSM", new double[] {2, 8}, acc, cal, List.of(acc, acc),
                List.of(cal, cal), p);
        TemperatureScaling t = new TemperatureScaling(1.5, 0.8, 0.7, 35, p);
        Map<String, double[]> corr = new LinkedHashMap<>();
        corr.put("gaussian_noise", new double[] {0.7, 0.6, 0.5, 0.4, 0.3});
        TsneResult tsne = new TsneResult(new double[] {1, 2}, new double[] {3, 4}, new int[] {0, 1},
                List.of("a", "b"), TsneParameters.defaults(), 0.5);
        return new ProtocolResult("quick", acc, drop, del, fgsm, fgsm, cal, t, cal, "CIFAR-C-like", corr, corr,
                tsne, p, 12.5);
    }

    /** Notes with awkward keys and values, a null value among them. */
    static Map<String, String> cornerNotes() {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("", "empty key");
        notes.put("checkpoint", "runs/quick/best.ckpt");
        notes.put("clé \u20ac \ud83d\ude00", AWKWARD);
        notes.put("missing", null);
        return notes;
    }

    /** Every string escape the writer knows: quotes, controls, lone surrogates, a pair, non-ASCII, a literal \\u. */
    static final String AWKWARD = "quote \" backslash \\ slash / newline \n return \r tab \t backspace \b feed \f "
            + "nul \u0000 bell \u0007 unit \u001f del \u007f lone \ud800 \udfff pair \ud83d\ude00 \u2028 é € "
            + "</script> \\u0041";

    /**
     * One result with every corner of the layout: NaN, infinities, -0.0 and extreme numbers, empty arrays, lists,
     * maps and rows, null parts (PGD, temperature, scaled calibration, provenance), NETCAL bins, awkward strings.
     */
    static ProtocolResult corners() {
        Provenance p = new Provenance(AWKWARD, Long.MIN_VALUE, "", "ff".repeat(32), "0.1.0", "PyTorch 2.7.1",
                "0.36.0", "gpu(0)", "unknown", Instant.parse("0001-01-01T00:00:00Z"));
        Provenance late = new Provenance("seed=" + Long.MAX_VALUE, Long.MAX_VALUE, "CIFAR-100", "00".repeat(32),
                "0.1.0", "PyTorch 2.7.1", "0.36.0", "cpu()", "abc123-dirty",
                Instant.parse("9999-12-31T23:59:59.999999999Z"));
        AccuracyResult empty = new AccuracyResult(0, 0, 5, Double.NaN, Double.NaN, new double[0], new long[0],
                new long[0][], List.of(), null);
        AccuracyResult acc = new AccuracyResult(Long.MAX_VALUE, 2, Integer.MIN_VALUE, -0.0, Double.MIN_VALUE,
                new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, new long[] {Long.MIN_VALUE,
                    Long.MAX_VALUE}, new long[][] {{}, {0, -1}}, List.of(AWKWARD, ""), late);
        ReliabilityBin nan = new ReliabilityBin(0, 0.1, 0, Double.NaN, Double.NaN);
        ReliabilityBin full = new ReliabilityBin(0.9, 1, Long.MAX_VALUE, 0.95, 1.0);
        CalibrationResult netcal = new CalibrationResult(3, 1e-300, Double.MAX_VALUE, -Double.MIN_NORMAL, Double.NaN,
                Double.POSITIVE_INFINITY, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, List.of(nan, full), List.of(),
                BinEdges.NETCAL, Integer.MAX_VALUE, p);
        CalibrationResult none = new CalibrationResult(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(), BinEdges.RIGHT_CLOSED, 1, null);
        DropIncreaseResult drop = new DropIncreaseResult(0, 0.15, 0, "", Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, new double[0], new double[0], new int[0], null);
        DeletionInsertionResult del = new DeletionInsertionResult(2, AWKWARD, new double[0], new double[0],
                new double[0], Double.NaN, -0.0, new double[][] {{}, {}}, new double[0][], new int[] {Integer.MIN_VALUE,
                    Integer.MAX_VALUE}, p);
        RobustnessResult fgsm = new RobustnessResult("FGSM", new double[] {0.5, 1e21, 9007199254740993.0}, empty,
                none, List.of(empty, acc, empty), List.of(none, netcal, none), null);
        Map<String, double[]> corr = new LinkedHashMap<>();
        corr.put("", new double[0]);
        corr.put(AWKWARD, new double[] {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, 123456789.123456789});
        corr.put("NaN", new double[] {1e-7});
        TsneResult tsne = new TsneResult(new double[0], new double[0], new int[0], List.of(),
                TsneParameters.defaults().withPerplexity(1e-3).withSeed(-1), Double.POSITIVE_INFINITY);
        return new ProtocolResult(AWKWARD, acc, drop, del, fgsm, null, netcal, null, null, "", corr, Map.of(), tsne,
                null, Double.POSITIVE_INFINITY);
    }

    static ProtocolResult randomResult(SplittableRandom r) {
        Provenance p = r.nextInt(4) == 0 ? null : provenance(r);
        int eps = r.nextInt(4);
        RobustnessResult fgsm = robustness(r, p, eps);
        RobustnessResult pgd = r.nextInt(3) == 0 ? null : robustness(r, p, eps);
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, double[]> ece = new LinkedHashMap<>();
        int corruptions = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(4);
        for (int i = 0; i < corruptions; i++) {
            String name = "c" + i + text(r);
            acc.put(name, doubles(r, r.nextInt(6)));
            ece.put(name, doubles(r, r.nextInt(6)));
        }
        TsneResult tsne = null;
        if (r.nextInt(3) != 0) {
            int n = r.nextInt(5);
            TsneParameters params = TsneParameters.defaults().withPerplexity(0.5 + r.nextDouble() * 50)
                    .withIterations(1 + r.nextInt(2000));
            tsne = new TsneResult(doubles(r, n), doubles(r, n), ints(r, n), texts(r, r.nextInt(3)), params,
                    number(r));
        }
        return new ProtocolResult(text(r), accuracy(r, p), drop(r, p), deletion(r, p), fgsm, pgd,
                calibration(r, p), new TemperatureScaling(0.01 + r.nextDouble() * 99, number(r), number(r),
                        r.nextInt(), p), calibration(r, p), text(r), acc, ece, tsne, p, number(r));
    }

    private static Provenance provenance(SplittableRandom r) {
        // Years 1 to 9999: the ISO-8601 range.
        Instant t = Instant.ofEpochSecond(r.nextLong(-62135596800L, 253402300799L), r.nextInt(1_000_000_000));
        return new Provenance(text(r) + "\n" + text(r), r.nextLong(), text(r), text(r), text(r), text(r), text(r),
                text(r), text(r), t);
    }

    private static AccuracyResult accuracy(SplittableRandom r, Provenance p) {
        int c = r.nextInt(5);
        long[][] confusion = new long[c][];
        for (int i = 0; i < c; i++) {
            confusion[i] = longs(r, c);
        }
        return new AccuracyResult(r.nextLong(), c, r.nextInt(), number(r), number(r), doubles(r, c), longs(r, c),
                confusion, r.nextBoolean() ? List.of() : texts(r, c), r.nextBoolean() ? p : null);
    }

    private static CalibrationResult calibration(SplittableRandom r, Provenance p) {
        return new CalibrationResult(r.nextLong(), number(r), number(r), number(r), number(r), number(r), number(r),
                number(r), number(r), bins(r), bins(r), BinEdges.values()[r.nextInt(BinEdges.values().length)],
                1 + r.nextInt(Integer.MAX_VALUE), r.nextBoolean() ? p : null);
    }

    private static List<ReliabilityBin> bins(SplittableRandom r) {
        List<ReliabilityBin> out = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            out.add(new ReliabilityBin(number(r), number(r), r.nextLong(), number(r), number(r)));
        }
        return out;
    }

    private static RobustnessResult robustness(SplittableRandom r, Provenance p, int eps) {
        List<AccuracyResult> adv = new ArrayList<>();
        List<CalibrationResult> cal = new ArrayList<>();
        for (int i = 0; i < eps; i++) {
            adv.add(accuracy(r, p));
            cal.add(calibration(r, p));
        }
        return new RobustnessResult(text(r), doubles(r, eps), accuracy(r, p), calibration(r, p), adv, cal, p);
    }

    private static DropIncreaseResult drop(SplittableRandom r, Provenance p) {
        int n = r.nextInt(5);
        return new DropIncreaseResult(r.nextLong(), number(r), r.nextInt(), text(r), number(r), number(r), number(r),
                number(r), doubles(r, n), doubles(r, n), ints(r, n), p);
    }

    private static DeletionInsertionResult deletion(SplittableRandom r, Provenance p) {
        int n = r.nextInt(4);
        int t = r.nextInt(4);
        double[][] del = new double[n][];
        double[][] ins = new double[n][];
        for (int i = 0; i < n; i++) {
            del[i] = doubles(r, t);
            ins[i] = doubles(r, t);
        }
        return new DeletionInsertionResult(r.nextLong(), text(r), doubles(r, t), doubles(r, t), doubles(r, t),
                number(r), number(r), del, ins, ints(r, n), p);
    }

    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
        0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1, -1,
        0.1, 1e-7, 1e21, 9007199254740993.0};

    /** Any double: special values, fractions in [0, 1], or arbitrary bit patterns (NaN payloads included). */
    private static double number(SplittableRandom r) {
        int k = r.nextInt(10);
        if (k < 2) {
            return SPECIAL[r.nextInt(SPECIAL.length)];
        }
        if (k < 6) {
            return r.nextDouble();
        }
        return Double.longBitsToDouble(r.nextLong());
    }

    private static double[] doubles(SplittableRandom r, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = number(r);
        }
        return out;
    }

    private static long[] longs(SplittableRandom r, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(3) == 0 ? (r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : r.nextLong();
        }
        return out;
    }

    private static int[] ints(SplittableRandom r, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt();
        }
        return out;
    }

    private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
        "\u0000", "\u001f", "\u007f", "é", "€", "\u2028", "\ud83d\ude00", "\ud800", "\udfff", "<", "&", "{", "]",
        ",", ":", "NaN", "null", "true", "\\u0041"};

    /** A short string of awkward pieces: quotes, escapes, control characters, non-ASCII, lone surrogates. */
    private static String text(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            b.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    private static List<String> texts(SplittableRandom r, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(text(r));
        }
        return out;
    }
}
