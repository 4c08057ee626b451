package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/**
 * An interrupt stops training with {@link TrainingStoppedException} wherever it lands between steps, including while
 * the loader waits for the next batch (the notebook kernel's interrupt button relies on this).
 */
class TrainerInterruptTest {

    @Test
    void interruptDuringTheWaitForABatchIsAStop() {
        TrainConfig c = ExconTrainerTest.small(Method.SUPCON, 3);
        try (ExconTrainer t = ExconTrainer.create(c, ExconTrainerTest.quadrantData(c), null, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.step() == 2) {
                        Thread.currentThread().interrupt(); // the next thing the trainer does is wait for a batch
                    }
                }
            });
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class, t::fit);
            assertTrue(e.getMessage().contains("epoch 1"), e.getMessage());
            assertFalse(Thread.currentThread().isInterrupted(), "the stop consumed the interrupt");
        } finally {
            Thread.interrupted();
        }
    }
}
