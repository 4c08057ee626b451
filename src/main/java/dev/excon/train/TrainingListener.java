package dev.excon.train;

/**
 * Receives progress from a {@link ExconTrainer}: the notebook's live display and the command line's progress bar are
 * listeners. Called on the training thread; keep the work short.
 */
public interface TrainingListener {

    /** Before the first epoch that will run (after a resume, the next one). */
    default void onStart(TrainConfig config, int firstEpoch, int batchesPerEpoch) {}

    /**
     * Something the user should know before training goes on, e.g. what the start repaired in the run directory
     * after an interrupted run ("best.ckpt was at epoch 2, but the best epoch is 3: linked to last.ckpt").
     */
    default void onNote(String note) {}

    /** After every optimisation step. */
    default void onStep(StepEvent event) {}

    /** After every epoch: losses, accuracies and whether the checkpoint improved. */
    default void onEpoch(EpochResult result) {}

    /** When training ends normally. */
    default void onEnd(TrainingResult result) {}
}
