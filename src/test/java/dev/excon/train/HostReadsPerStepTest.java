package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.excon.HostReads;
import dev.excon.data.TrainTest;
import dev.excon.eval.EvalFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Host reads per training step, counted by {@link HostReads} on the training thread during a real one-epoch run (small
 * ResNet, PyTorch engine, generated quadrant images). {@code ArchitectureTest} makes sure the step's code cannot read
 * around the counter. On a GPU each read waits for the queued work, so these numbers are the step's synchronisations.
 */
class HostReadsPerStepTest {

    /**
     * The design's count per encoder step: the loss, stacked with the acceptance count for the methods that explain
     * (one read); the methods with background first read the (N) acceptance vector, which decides the background
     * rows (two).
     */
    private static int expectedEncoderReads(Method m) {
        return switch (m) {
            case CE, SUPCON, SIMCLR -> 1;
            case EXCON, EXSIMCLR -> 1;
            case EXCONB, EXSIMCLRB -> 2;
        };
    }

    /** The classifier step reads its loss; each accuracy pass (validation, test) reads its correct count once. */
    private static final int CLASSIFIER_READS = 1;
    private static final int EVALUATION_READS = 2;

    private record Mark(String what, long reads, int background) {}

    @ParameterizedTest
    @EnumSource(Method.class)
    void readsPerStepAreTheDesignedOnes(Method m) {
        TrainConfig c = ExconTrainerTest.small(m, 1).toBuilder().validationFraction(0.25).build();
        TrainingData data = TrainingData.of(new TrainTest(EvalFixtures.quadrants(128, 1, "quadrants/train"),
                EvalFixtures.quadrants(32, 2, "quadrants/test")), ExconTrainerTest.QUADRANT_STATS, c);
        List<Mark> marks = new ArrayList<>();
        try (ExconTrainer t = ExconTrainer.create(c, data, null, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStart(TrainConfig config, int firstEpoch, int batchesPerEpoch) {
                    marks.add(new Mark("start", HostReads.count(), 0));
                }

                @Override
                public void onStep(StepEvent e) {
                    marks.add(new Mark(e.phase().name(), HostReads.count(), e.backgroundCount()));
                }

                @Override
                public void onEpoch(EpochResult r) {
                    marks.add(new Mark("epoch", HostReads.count(), 0));
                }
            });
            t.fit();
        }
        int encoderSteps = 0;
        int classifierSteps = 0;
        int background = 0;
        for (int i = 1; i < marks.size(); i++) {
            Mark mark = marks.get(i);
            long reads = mark.reads() - marks.get(i - 1).reads();
            String at = m + " " + mark.what() + " at mark " + i + " of " + marks;
            switch (mark.what()) {
                case "ENCODER" -> {
                    assertEquals(expectedEncoderReads(m), reads, at);
                    encoderSteps++;
                    background += mark.background();
                }
                case "CLASSIFIER" -> {
                    assertEquals(CLASSIFIER_READS, reads, at);
                    classifierSteps++;
                }
                case "epoch" -> assertEquals(EVALUATION_READS, reads, at);
                default -> throw new AssertionError("unexpected mark " + at);
            }
        }
        assertEquals(3, encoderSteps, m + ": 96 training images in batches of 32");
        assertEquals(m == Method.CE ? 0 : 3, classifierSteps, m + " classifier steps");
        if (m.addsBackground()) {
            assertTrue(background > 0, m + ": a fresh classifier rejects masks, so the background path ran");
        }
    }
}
