package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.excon.data.ChannelStats;
import dev.excon.data.TrainTest;
import dev.excon.eval.EvalFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExconTrainerTest {

    @TempDir
    Path tmp;


    static final ChannelStats QUADRANT_STATS = new ChannelStats(new float[] {0.2f}, new float[] {0.25f});

    static TrainingData quadrantData(TrainConfig c) {
        return TrainingData.of(new TrainTest(EvalFixtures.quadrants(320, 1, "quadrants/train"),
                EvalFixtures.quadrants(80, 2, "quadrants/test")),
                QUADRANT_STATS, c);
    }

    static TrainConfig small(Method method, int epochs) {
        return TrainConfig.preset("quick").toBuilder().name("test").method(method).batchSize(32).epochs(epochs)
                .learningRate(0.05f).classifierLearningRate(0.05f).expEpochs(1).trainLimit(0).testLimit(0)
                .projectionDim(32).probeEpochs(0).build(); // the reference protocol at the fixtures' rates
    }

    @Test
    void everyMethodTrainsWithFiniteLosses() {
        for (Method m : Method.values()) {
            TrainConfig c = small(m, 1);
            List<StepEvent> steps = new ArrayList<>();
            try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), null, Device.cpu())) {
                t.addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepEvent e) {
                        steps.add(e);
                    }
                });
                TrainingResult r = t.fit();
                EpochResult e = r.last();
                assertTrue(Double.isFinite(e.encoderLoss()), m + " encoder loss " + e.encoderLoss());
                assertEquals(m == Method.CE, Double.isNaN(e.classifierLoss()), m + " classifier loss");
                assertTrue(e.validationAccuracy() >= 0 && e.validationAccuracy() <= 1);
                assertEquals(m.explains(), !Double.isNaN(e.acceptanceRate()), m + " acceptance rate");
                if (!m.addsBackground()) {
                    assertEquals(0, e.backgroundSamples(), m + " adds no background samples");
                }
                if (m.addsBackground()) {
                    // Rejected masks become background samples: their number is the rejection count.
                    long rejected = Math.round((1 - e.acceptanceRate()) * 256);
                    assertEquals(rejected, e.backgroundSamples(), 1.0, "ExConB background samples");
                }
            }
            long encoderSteps = steps.stream().filter(s -> s.phase() == StepEvent.Phase.ENCODER).count();
            assertEquals(8, encoderSteps, m + ": 256 training images in batches of 32");
            StepEvent last = steps.get(steps.size() - 1);
            assertTrue(last.imagesPerSecond() > 0 && !last.eta().isNegative());
            assertTrue(last.learningRate() > 0 && last.learningRate() <= 0.05f);
        }
    }

    @Test
    void sameSeedSameLossCurve() {
        TrainConfig c = small(Method.EXCON, 2);
        List<Float> a = losses(c);
        List<Float> b = losses(c);
        assertEquals(a, b);
        assertFalse(a.equals(losses(c.toBuilder().seed(2).build())), "another seed gives another curve");
    }

    /**
     * Training must not depend on when the garbage collector runs. With DJL's number overloads (x.div(0.1f)) the
     * number lived in a Java buffer that a collection could free between forward and backward: under a collector
     * running without pause, the loss curve changed or became NaN (issue 12's Slurm sweep diverged once in four runs).
     */
    @Test
    void sameLossCurveWhileTheGarbageCollectorRunsWithoutPause() throws InterruptedException {
        // Two epochs: the second masks with Grad-CAM (expEpochs 1), so explanations run under the storm too.
        TrainConfig c = small(Method.EXCONB, 2);
        List<Float> quiet = losses(c);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong collections = new java.util.concurrent.atomic.AtomicLong();
        Thread storm = new Thread(() -> {
            while (!stop.get()) {
                System.gc();
                collections.incrementAndGet();
            }
        }, "gc-storm");
        storm.setDaemon(true);
        storm.start();
        List<Float> stormy;
        try {
            stormy = losses(c);
        } finally {
            stop.set(true);
            storm.join();
        }
        assertTrue(collections.get() > 8, "the collector ran " + collections.get() + " times during training");
        assertEquals(quiet, stormy, "loss per step without and with constant garbage collection");
    }

    private List<Float> losses(TrainConfig c) {
        List<Float> out = new ArrayList<>();
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), null, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    out.add(e.loss());
                }
            });
            t.fit();
        }
        return out;
    }

    @Test
    void bf16TrainingFollowsTheFp32LossCurveWhereTheCpuHasItElseRunsFp32WithANote() {
        TrainConfig fp32 = small(Method.EXCON, 1); // explanations from epoch 1
        TrainConfig bf16 = fp32.toBuilder().precision(dev.excon.model.Precision.BF16).build();
        assertEquals(java.util.List.of("precision=bf16 (reference: fp32)"), bf16.referenceDeviations().stream()
                .filter(d -> d.startsWith("precision")).toList());
        List<Float> a = losses(fp32);
        List<Float> b = losses(bf16);
        assertEquals(a.size(), b.size());
        boolean cpuHasIt = dev.excon.model.Precision.cpuBf16Support() != null;
        try (ExconTrainer t = ExconTrainer.create(bf16, quadrantData(bf16), null, Device.cpu())) {
            assertEquals(cpuHasIt ? dev.excon.model.Precision.BF16 : dev.excon.model.Precision.FP32,
                    t.network().precision());
        }
        if (!cpuHasIt) {
            assertEquals(a, b, "fp32 fallback: the same run");
            return;
        }
        assertNotEquals(a, b, "bf16 ran: the curves are not bit-identical");
        // Same initialisation and batches: the first step's loss within 1%, every step's within 5%.
        assertEquals(a.get(0), b.get(0), 0.01 * Math.abs(a.get(0)), "first step");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), 0.05 * Math.abs(a.get(i)), "step " + i + ": " + a + " vs " + b);
        }
    }

    @Test
    void resumeContinuesExactlyWhereTheLastCheckpointEnded() throws IOException {
        assertResumeIsExact(small(Method.EXCONB, 3), "joint");
    }

    @Test
    void resumeWithTheLinearProbeContinuesExactly() throws IOException {
        assertResumeIsExact(small(Method.EXCON, 3).toBuilder().probeEpochs(3).build(), "probe");
    }

    @Test
    void theLinearProbeReportsEachProbeEpochAndAMeaningfulLoss() {
        TrainConfig c = small(Method.SUPCON, 2).toBuilder().probeEpochs(4).build();
        List<StepEvent> probe = new ArrayList<>();
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), null, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.phase() == StepEvent.Phase.CLASSIFIER) {
                        probe.add(e);
                    }
                }
            });
            TrainingResult r = t.fit();
            assertEquals(List.of(1, 2, 3, 4, 1, 2, 3, 4), probe.stream().map(StepEvent::step).toList());
            assertTrue(probe.stream().allMatch(e -> e.steps() == 4 && Float.isFinite(e.loss())));
            for (EpochResult e : r.history()) {
                // Four classes: a uniform guess has loss ln 4 = 1.39; the fit on its own training features beats it.
                assertTrue(e.classifierLoss() > 0 && e.classifierLoss() < Math.log(4), "epoch " + e.epoch()
                        + " classifier loss " + e.classifierLoss());
            }
            // 256 training images make one probe batch of 256 per probe epoch, so the rate of probe epoch k (0-based)
            // is the cosine at k / 4 of the fit: the peak, then eta_min + (peak - eta_min) (1 + cos(3 pi / 4)) / 2.
            double peak = c.classifierSchedule().baseLr();
            assertEquals(peak, probe.get(0).learningRate(), 1e-6);
            assertEquals(peak * 0.001 + peak * 0.999 * (1 + Math.cos(3 * Math.PI / 4)) / 2,
                    probe.get(3).learningRate(), 1e-6);
        }
    }

    private void assertResumeIsExact(TrainConfig c, String label) throws IOException {
        Path straight = tmp.resolve(label + "-straight");
        float[] straightWeights;
        List<EpochResult> straightHistory;
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), straight, Device.cpu())) {
            straightHistory = t.fit().history();
            straightWeights = weights(t);
        }
        Path interrupted = tmp.resolve(label + "-interrupted");
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), interrupted, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.epoch() == 3 && e.step() == 2) {
                        t.requestStop(); // a user interrupt in the middle of epoch 3
                    }
                }
            });
            TrainingStoppedException stop = assertThrows(TrainingStoppedException.class, t::fit);
            assertTrue(stop.getMessage().contains("epoch 3, step 3") && stop.getMessage().contains("epoch 2"),
                    stop.getMessage());
        }
        assertEquals(2, Checkpoint.peek(interrupted.resolve("last.ckpt")).epoch());
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), interrupted, Device.cpu())) {
            List<Integer> epochsRun = new ArrayList<>();
            t.addListener(new TrainingListener() {
                @Override
                public void onEpoch(EpochResult r) {
                    epochsRun.add(r.epoch());
                }
            });
            List<EpochResult> resumed = t.fit().history();
            assertEquals(List.of(3), epochsRun, "only the missing epoch runs");
            for (int i = 0; i < 3; i++) {
                EpochResult s = straightHistory.get(i);
                EpochResult r = resumed.get(i);
                assertEquals(s.encoderLoss(), r.encoderLoss(), 0.0, "epoch " + (i + 1) + " encoder loss");
                assertEquals(s.classifierLoss(), r.classifierLoss(), 0.0, "epoch " + (i + 1) + " classifier loss");
                assertEquals(s.validationAccuracy(), r.validationAccuracy(), 0.0);
                assertEquals(s.backgroundSamples(), r.backgroundSamples());
            }
            assertArrayEquals(straightWeights, weights(t), 0f, "same parameters as the uninterrupted run");
        }
        assertTrue(Files.readString(interrupted.resolve("history.csv")).lines().count() == 4);
        assertTrue(Files.exists(interrupted.resolve("best.ckpt")) && Files.exists(interrupted.resolve("config.properties")));
    }

    static float[] weights(ExconTrainer t) {
        return values(t.network().encoderParameters(), t.network().classifierParameters());
    }

    /** Every value of the parameters, group after group, in order. */
    @SafeVarargs
    static float[] values(List<Parameter>... groups) {
        List<Float> all = new ArrayList<>();
        for (List<Parameter> group : groups) {
            for (Parameter p : group) {
                for (float f : p.getArray().toFloatArray()) {
                    all.add(f);
                }
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void aNanLossStopsWithADiagnosisAndKeepsTheLastGoodCheckpoint() throws IOException {
        TrainConfig c = small(Method.SUPCON, 3);
        Path dir = tmp.resolve("nan");
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), dir, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.epoch() == 2 && e.step() == 1 && e.phase() == StepEvent.Phase.ENCODER) {
                        // Poison one weight: the next forward pass produces NaN embeddings.
                        Parameter w = t.network().encoderParameters().get(0);
                        w.getArray().muli(Float.NaN);
                    }
                }
            });
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::fit);
            String msg = e.getMessage();
            assertTrue(msg.contains("became NaN at epoch 2, step 2"), msg);
            assertTrue(msg.contains("parameters finite: NO") && msg.contains("Lower learningRate"), msg);
            assertTrue(msg.contains("epoch 1") && msg.contains("last.ckpt"), msg);
        }
        Checkpoint.State s = Checkpoint.peek(dir.resolve("last.ckpt"));
        assertEquals(1, s.epoch());
        // The kept checkpoint is whole and resumes.
        try (ExconTrainer t = ExconTrainer.create(c.toBuilder().build(), quadrantData(c), dir, Device.cpu())) {
            TrainingResult r = t.fit();
            assertEquals(3, r.history().size());
            assertTrue(Double.isFinite(r.last().encoderLoss()));
        }
    }

    @Test
    void aKillDuringACheckpointWriteLosesNothing() throws IOException {
        TrainConfig c = small(Method.SUPCON, 2);
        Path dir = tmp.resolve("kill");
        TrainConfig one = c.toBuilder().build();
        try (ExconTrainer t = ExconTrainer.create(one, quadrantData(one), dir, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onEpoch(EpochResult r) {
                    if (r.epoch() == 1) {
                        t.requestStop();
                    }
                }
            });
            assertThrows(TrainingStoppedException.class, t::fit);
        }
        byte[] good = Files.readAllBytes(dir.resolve("last.ckpt"));
        // A write killed half-way leaves only the temporary file: the checkpoint itself is untouched.
        Files.write(dir.resolve("last.ckpt.tmp"), java.util.Arrays.copyOf(good, good.length / 2));
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), dir, Device.cpu())) {
            assertEquals(2, t.fit().history().size());
        }
        // A lone checkpoint cut short (e.g. copied while being written elsewhere) is refused, and nothing is touched:
        // starting over would overwrite what is left of the run.
        Path cut = tmp.resolve("cut");
        Files.createDirectories(cut);
        byte[] shortened = java.util.Arrays.copyOf(good, good.length - 100);
        Files.write(cut.resolve("last.ckpt"), shortened);
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), cut, Device.cpu())) {
            RunDirectoryException e = assertThrows(RunDirectoryException.class, t::fit);
            assertTrue(e.getMessage().contains(cut.resolve("last.ckpt").toString())
                    && e.getMessage().contains("damaged or cut short") && e.getMessage().contains("Nothing was changed")
                    && !e.getMessage().contains("Delete"), e.getMessage());
        }
        assertArrayEquals(shortened, Files.readAllBytes(cut.resolve("last.ckpt")), "the file is left as it was");
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsNotResumed() {
        TrainConfig c = small(Method.SUPCON, 1);
        Path dir = tmp.resolve("other");
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), dir, Device.cpu())) {
            t.fit();
        }
        TrainConfig other = c.toBuilder().learningRate(0.2f).build();
        try (ExconTrainer t = ExconTrainer.create(other, quadrantData(other), dir, Device.cpu())) {
            RunDirectoryException e = assertThrows(RunDirectoryException.class, t::fit);
            assertTrue(e.getMessage().contains("another configuration")
                    && e.getMessage().contains("learningRate=0.05 there, 0.2 now"), e.getMessage());
        }
    }

    @Test
    void restoreLoadsTheBestCheckpointIntoAFreshTrainer() {
        TrainConfig c = small(Method.SUPCON, 1);
        Path dir = tmp.resolve("run");
        float[] trained;
        double trainedAccuracy;
        try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), dir, Device.cpu())) {
            t.fit();
            trained = t.network().classifierParameters().get(0).getArray().toFloatArray();
            trainedAccuracy = t.accuracy(t.data().test());
        }
        try (ExconTrainer fresh = ExconTrainer.create(c, quadrantData(c), null, Device.cpu())) {
            Parameter w = fresh.network().classifierParameters().get(0);
            assertFalse(java.util.Arrays.equals(trained, w.getArray().toFloatArray()), "a fresh network differs");
            Checkpoint.State s = fresh.restore(dir.resolve("best.ckpt"));
            assertEquals(1, s.epoch());
            assertArrayEquals(trained, w.getArray().toFloatArray(), "the trained weights are back");
            assertEquals(trainedAccuracy, fresh.accuracy(fresh.data().test()));
            assertTrue(fresh.history().isEmpty(), "restore leaves the history to fit()");
        }
        TrainConfig other = small(Method.SUPCON, 2);
        try (ExconTrainer t = ExconTrainer.create(other, quadrantData(other), null, Device.cpu())) {
            Checkpoint.CheckpointException e = assertThrows(Checkpoint.CheckpointException.class,
                    () -> t.restore(dir.resolve("best.ckpt")));
            assertTrue(e.getMessage().contains("was written with another configuration"), e.getMessage());
        }
    }

    /**
     * The reference's --validation=0: the loader sees every training image, nothing is held out, and the best epoch
     * is the one whose test accuracy beats every earlier one (the reference's "val_acc > best_acc" on the test set).
     */
    @Test
    void withoutAValidationSplitEveryImageTrainsAndTheBestEpochIsChosenOnTest() {
        TrainConfig c = small(Method.SUPCON, 4).toBuilder().validationFraction(0).build();
        TrainingData data = quadrantData(c);
        assertEquals(320, data.train().size(), "every training image");
        assertEquals(0, data.validation().size());
        List<Integer> batches = new ArrayList<>();
        try (ExconTrainer t = ExconTrainer.create(c, data, tmp.resolve("run"), Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStart(TrainConfig config, int firstEpoch, int batchesPerEpoch) {
                    batches.add(batchesPerEpoch);
                }
            });
            TrainingResult r = t.fit();
            assertEquals(List.of(10), batches, "320 images in batches of 32");
            double bestSoFar = Double.NEGATIVE_INFINITY;
            int expectedBest = 0;
            for (EpochResult e : r.history()) {
                assertTrue(Double.isNaN(e.validationAccuracy()), "no validation accuracy: " + e);
                boolean better = e.testAccuracy() > bestSoFar;
                assertEquals(better, e.best(), "epoch " + e.epoch() + " best flag, test " + e.testAccuracy());
                if (better) {
                    bestSoFar = e.testAccuracy();
                    expectedBest = e.epoch();
                }
            }
            assertEquals(expectedBest, r.bestEpoch());
            assertEquals("best by test accuracy", r.bestLabel());
            assertEquals(expectedBest, Checkpoint.peek(tmp.resolve("run/best.ckpt")).epoch());
        }
    }

    /** Each training explainer builds masks and is recorded in the run's configuration and provenance. */
    @Test
    void everyTrainingExplainerBuildsMasksAndIsRecorded() {
        for (String name : dev.excon.saliency.Explainers.NAMES) {
            TrainConfig c = small(Method.EXCON, 1).toBuilder().explainer(name).expEpochs(0).trainLimit(64)
                    .build();
            try (ExconTrainer t = ExconTrainer.create(c, quadrantData(c), null, Device.cpu())) {
                EpochResult e = t.fit().last();
                assertTrue(Double.isFinite(e.encoderLoss()), name + " loss " + e.encoderLoss());
                assertTrue(e.acceptanceRate() >= 0 && e.acceptanceRate() <= 1, name + " explained every step");
                assertTrue(t.provenance().toString().contains("explainer=" + name), t.provenance().toString());
            }
        }
    }
}
