package dev.excon.train;

/**
 * Receives progress from a {@link ExconTrainer}: the notebook's live display and the command line's progress bar are
 * listeners. Called on the training thread; keep the work short.
 */
public interface TrainingListener {

    /** Before the first epoch that will run (after a resume, the next one). */
    default void onStart(TrainConfig config, int firstEpoch, int batchesPerEpoch) {}

    /** After every optimisation step. */
    default void onStep(StepEvent event) {}

    /** After every epoch: losses, accuracies and whether the checkpoint improved. */
    default void onEpoch(EpochResult result) {}

    /** When training ends normally. */
    default void onEnd(TrainingResult result) {}
}
