package dev.excon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.data.OfficialLayouts;
import dev.excon.train.EpochResult;
import dev.excon.train.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each reference preset's code path at smoke size, through the command line on generated data in the official
 * layouts: no validation split (every training image trains, the best epoch is chosen on test and labelled so),
 * explanations with batch statistics, background images encoded twice, and an evaluation of the last checkpoint
 * without temperature scaling (there is no held-out split to fit it on).
 */
class ReferencePresetCliTest {

    @TempDir
    static Path shared;

    static Path dataRoot;

    @BeforeAll
    static void generatedData() throws IOException {
        // Generated stand-ins cannot match the published checksums: the documented opt-out, for this class only.
        System.setProperty(dev.excon.data.verify.DataVerifier.ENABLED_PROPERTY, "off");
        dataRoot = shared.resolve("data");
        OfficialLayouts.writeCifar100(dataRoot.resolve("cifar-100-binary"));
        OfficialLayouts.writeTinyImageNet(dataRoot.resolve("tiny-imagenet-200"));
    }

    @AfterAll
    static void verificationBackOn() {
        System.clearProperty(dev.excon.data.verify.DataVerifier.ENABLED_PROPERTY);
    }

    @ParameterizedTest
    @CsvSource({"reference-cifar100, 500, 50", "reference-tiny-imagenet, 200, 100"})
    void trainsAndEvaluatesTheReferenceSetting(String preset, int trainImages, int batch) throws IOException {
        Path run = shared.resolve("runs").resolve(preset);
        EvaluateReportCliTest.Result r = EvaluateReportCliTest.cli("train", "--preset", preset, "--set", "epochs=3",
                "--set", "expEpochs=1", "--set", "backbone=small", "--set", "batchSize=" + batch, "--set", "trainLimit=" + trainImages,
                "--set", "testLimit=100",
                "--device", "cpu", "--data", dataRoot, "--out", run);
        assertEquals(0, r.code(), r.all());
        // Only the smoke sizes differ from the reference's command, and the command says so.
        assertTrue(r.err().contains("note: differs from the reference README's command in backbone=small "
                + "(reference: resnet50), batchSize=" + batch + " (reference: " + (preset.endsWith("cifar100") ? 256 : 128)
                + "), expEpochs=1 (reference: " + (preset.endsWith("cifar100") ? 50 : 0) + ")"), r.all());
        String config = Files.readString(run.resolve(RunDirectory.CONFIG), StandardCharsets.UTF_8);
        for (String line : List.of("validationFraction=0.0", "explanationBatchNorm=TRAIN", "shareBackgroundRows=false",
                "calibrationBins=netcal", "evaluateCheckpoint=last", "method=EXCONB", "backgroundAnchor=false")) {
            assertTrue(config.lines().anyMatch(line::equals), line + " in\n" + config);
        }
        // Every training image is trained on: steps per epoch are ceil(images / batch) in the progress line.
        assertTrue(r.err().contains("3 epochs of " + (trainImages + batch - 1) / batch + " steps"), r.all());
        List<EpochResult> history = Files.readAllLines(run.resolve("history.csv"), StandardCharsets.UTF_8).stream()
                .skip(1).map(EpochResult::fromCsv).toList();
        assertEquals(3, history.size());
        double bestSoFar = Double.NEGATIVE_INFINITY;
        int best = 0;
        for (EpochResult e : history) {
            assertTrue(Double.isNaN(e.validationAccuracy()), e.toString());
            assertEquals(e.testAccuracy() > bestSoFar, e.best(), "best chosen on test accuracy: " + e);
            if (e.best()) {
                bestSoFar = e.testAccuracy();
                best = e.epoch();
            }
        }
        assertTrue(r.err().contains("done: best by test accuracy: epoch " + best + ", test acc"), r.all());
        assertTrue(r.err().contains("last epoch 3: test acc"), r.all());
        assertTrue(r.err().contains("(best by test acc)"), r.all());
        assertFalse(r.err().contains("val acc"), "no validation accuracy to show:\n" + r.all());

        EvaluateReportCliTest.Result ev = EvaluateReportCliTest.cli("evaluate", run, "--data", dataRoot, "--device",
                "cpu", "--test-limit", "100", "--epsilons", "4", "--no-pgd", "--no-corruptions", "--no-tsne",
                "--deletion-steps", "4", "--batch-size", "50");
        assertEquals(0, ev.code(), ev.all());
        assertTrue(ev.err().contains("evaluating " + run.resolve("last.ckpt") + " (epoch 3 of 3, test accuracy"),
                "the reference's last model, by the run's evaluateCheckpoint:\n" + ev.all());
        assertTrue(ev.err().contains("no validation split (validationFraction=0), so no temperature scaling"),
                ev.all());
        String json = Files.readString(run.resolve("evaluation.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"temperature\": null") && json.contains("\"calibrationScaled\": null"),
                "no temperature scaling without a validation split");
        assertTrue(java.util.regex.Pattern.compile("\"binEdges\":\\s*\"NETCAL\"").matcher(json).find()
                && !json.contains("RIGHT_CLOSED"), "netcal's ECE bins for every calibration of the protocol");
    }
}
