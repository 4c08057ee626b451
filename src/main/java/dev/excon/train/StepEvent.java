package dev.excon.train;

import java.time.Duration;

/**
 * One optimisation step.
 *
 * @param phase which optimiser stepped
 * @param epoch 1-based epoch
 * @param epochs total epochs
 * @param step 1-based step within the phase's epoch
 * @param steps steps of the phase per epoch
 * @param loss the step's loss
 * @param learningRate the rate used
 * @param acceptanceRate share of masked views the classifier still recognised (ExCon epochs), else NaN
 * @param backgroundCount background samples added (ExConB), else 0
 * @param imagesPerSecond training images per second over the phase so far
 * @param eta estimated time until the whole run ends
 */
public record StepEvent(Phase phase, int epoch, int epochs, int step, int steps, float loss, float learningRate,
        double acceptanceRate, int backgroundCount, double imagesPerSecond, Duration eta) {

    /** The two optimisers of the joint protocol. */
    public enum Phase {
        /** Encoder (backbone + head) with the contrastive loss, or the whole network for CE. */
        ENCODER,
        /** Linear classifier on frozen features. */
        CLASSIFIER
    }
}
