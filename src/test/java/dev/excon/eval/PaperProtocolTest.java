package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import dev.excon.data.DataPaths;
import dev.excon.eval.corruption.Corruptions;
import dev.excon.report.ProtocolReport;
import dev.excon.report.Report;
import dev.excon.train.ExconTrainer;
import dev.excon.train.Method;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One call evaluates quick runs on Fashion-MNIST; the report shows them side by side with provenance. */
class PaperProtocolTest {

    @TempDir
    Path tmp;

    @Test
    void evaluatesQuickRunsAndReportsThemSideBySide() throws Exception {
        boolean present = Files.isRegularFile(DataPaths.fashionMnist().resolve("train-images-idx3-ubyte.gz"))
                || Files.isRegularFile(DataPaths.fashionMnist().resolve("train-images-idx3-ubyte"));
        if (!present && "1".equals(System.getenv("EXCON_REQUIRE_REAL_DATA"))) {
            fail("EXCON_REQUIRE_REAL_DATA=1 but Fashion-MNIST is not under " + DataPaths.fashionMnist());
        }
        Assumptions.assumeTrue(present, "Fashion-MNIST not installed");
        PaperProtocol protocol = PaperProtocol.builder().optTestLimit(200).optCorruptionLimit(100)
                .optTsne(true, 5, 20).optEpsilons(2, 8).build();
        List<ProtocolResult> results = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        for (Method m : new Method[] {Method.SUPCON, Method.EXCON}) {
            TrainConfig c = TrainConfig.preset("quick").toBuilder().method(m).trainLimit(1200).testLimit(200)
                    .epochs(2).expEpochs(1).build();
            try (ExconTrainer t = ExconTrainer.create(c, TrainingData.load(c), null, Device.cpu())) {
                t.fit();
                PaperProtocol withProgress = PaperProtocol.builder().optTestLimit(200).optCorruptionLimit(100)
                        .optTsne(true, 5, 20).optEpsilons(2, 8).optPgdLimit(100).optProgress(phases::add).build();
                results.add((m == Method.SUPCON ? protocol : withProgress).evaluate(m.name(), t.network(),
                        t.data().validation(), t.data().test(), t.provenance()));
            }
        }
        assertTrue(phases.size() >= 5, "progress lines: " + phases);
        for (ProtocolResult r : results) {
            assertEquals(200, r.accuracy().count());
            assertTrue(r.accuracy().top1() > 0.15, r.run() + " top-1 " + r.accuracy().top1() + " (chance 0.1)");
            assertTrue(r.accuracy().topK() >= r.accuracy().top1());
            assertTrue(r.dropIncrease().averageDrop() >= 0 && r.dropIncrease().increaseRate() <= 1);
            double[] acc = r.fgsm().accuracies();
            assertEquals(2, acc.length);
            assertTrue(acc[1] <= acc[0] + 1e-9 && acc[0] <= r.fgsm().clean().top1() + 1e-9,
                    "FGSM accuracy falls with epsilon: " + java.util.Arrays.toString(acc));
            if (r.pgd().clean().count() == 200) {
                assertTrue(r.pgd().accuracies()[1] <= acc[1] + 0.02, "PGD at least as strong as FGSM");
            } else {
                assertEquals(100, r.pgd().clean().count(), "optPgdLimit(100) attacks a subset");
                assertTrue(r.pgd().accuracies()[1] <= r.pgd().clean().top1() + 1e-9, "PGD lowers accuracy");
            }
            assertTrue(r.calibrationScaled().nll() <= r.calibration().nll() + 0.05, "temperature scaling");
            assertEquals(Corruptions.names().size(), r.corruptionEce().size());
            assertTrue(r.corruptionSuite().contains("CIFAR-C-like"), r.corruptionSuite());
            for (double[] e : r.corruptionEce().values()) {
                assertEquals(5, e.length);
                for (double v : e) {
                    assertTrue(v >= 0 && v <= 1);
                }
            }
            assertEquals(100, r.tsne().x().length);
            assertNotNull(r.provenance());
            assertEquals(64, r.provenance().datasetFingerprint().length());
        }
        assertEquals(200, results.get(0).pgd().clean().count(), "PGD on every test image by default");
        assertEquals(100, results.get(1).pgd().clean().count(), "optPgdLimit(100)");
        Report page = ProtocolReport.compare("SupCon vs ExCon", results);
        String html = page.toHtml();
        assertTrue(html.contains("data:image/png;base64,"), "charts inline");
        assertTrue(html.contains("<table") && html.contains("SUPCON") && html.contains("EXCON"), "summary table");
        assertTrue(html.contains(results.get(0).provenance().gitRevision()), "provenance shown");
        assertTrue(!html.contains("<script"), "self-contained: no scripts");
        Path file = tmp.resolve("report.html");
        page.save(file);
        assertTrue(Files.size(file) > 10_000);
    }

    /** optBinEdges reaches every calibration the protocol computes, and the result records it. */
    @Test
    void everyCalibrationUsesTheChosenBinEdges() {
        assertEquals(BinEdges.RIGHT_CLOSED, PaperProtocol.builder().build().binEdges(), "the default");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaperProtocol.builder().optBinEdges(null));
        assertTrue(e.getMessage().contains("BinEdges.NETCAL"), e.getMessage());
        try (var net = EvalFixtures.grayNetwork(4)) {
            var validation = EvalFixtures.quadrants(16, 1, "val");
            var test = EvalFixtures.quadrants(16, 2, "test");
            PaperProtocol p = PaperProtocol.builder().optBinEdges(BinEdges.NETCAL).optEpsilons(8).optPgdLimit(8)
                    .optCorruptionLimit(4).optBatchSize(16).optTsne(false, 1, 1).build();
            assertTrue(p.toString().contains("binEdges=NETCAL"), p.toString());
            ProtocolResult r = p.evaluate("tiny", net, validation, test, null);
            List<CalibrationResult> all = new ArrayList<>(List.of(r.calibration(), r.calibrationScaled(),
                    r.fgsm().cleanCalibration(), r.pgd().cleanCalibration()));
            all.addAll(r.fgsm().calibration());
            all.addAll(r.pgd().calibration());
            for (CalibrationResult c : all) {
                assertEquals(BinEdges.NETCAL, c.binEdges());
            }
            assertEquals(BinEdges.NETCAL, r.calibrationBinEdges());
            Logits logits = Logits.collect(net, test, 16);
            assertEquals(Calibration.netcal().ofLogits(logits).ece(), r.calibration().ece(), 0);
            assertTrue(r.headline().containsKey("average CE (netcal's ACE)") && r.headline().containsKey(
                    "adaptive ECE"), r.headline().toString());
            String caption = ProtocolReport.summary(List.of(r)).caption();
            assertTrue(caption.contains("ECE over 10 equal-width bins [a, b) after clipping, netcal"), caption);
        }
    }

    @Test
    void tooSmallATsneFailsBeforeTheLongPasses() {
        List<String> phases = new ArrayList<>();
        try (var net = EvalFixtures.grayNetwork(4)) {
            PaperProtocol p = PaperProtocol.builder().optProgress(phases::add).build(); // 10 classes x 50 by default
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.evaluate("tiny", net,
                    EvalFixtures.quadrants(16, 1, "val"), EvalFixtures.quadrants(20, 2, "test"), null));
            assertTrue(e.getMessage().contains("t-SNE would embed 20 points") && e.getMessage().contains("turn the "
                    + "t-SNE off"), e.getMessage());
            assertEquals(List.of(), phases, "nothing was run");
        }
    }
}
