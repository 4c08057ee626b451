package dev.excon.train;

/**
 * The reference's learning rate ({@code util.adjust_learning_rate} and {@code warmup_learning_rate} with
 * {@code --cosine}): per epoch {@code lr_e = eta_min + (lr - eta_min) * (1 + cos(pi * e / E)) / 2} with {@code
 * eta_min = lr * 0.001} and 1-based epochs e; with warm-up, the first {@code warmEpochs} epochs instead rise linearly
 * per iteration from 0.01 to the cosine value of epoch {@code warmEpochs}.
 *
 * @param baseLr the peak learning rate (0.5 in the reference's ExCon runs)
 * @param epochs the total number of epochs E
 * @param warmEpochs warm-up epochs (10 when warm-up is on, 0 when off; the reference warms up for batches above 256)
 */
public record LearningRateSchedule(float baseLr, int epochs, int warmEpochs) {

    /** The warm-up's starting rate in the reference. */
    public static final float WARMUP_FROM = 0.01f;

    /** Validates the values. */
    public LearningRateSchedule {
        if (!(baseLr > 0) || epochs < 1 || warmEpochs < 0 || warmEpochs > epochs) {
            throw new IllegalArgumentException("schedule lr=" + baseLr + ", epochs=" + epochs + ", warmEpochs="
                    + warmEpochs + ": need lr > 0, epochs >= 1, 0 <= warmEpochs <= epochs");
        }
    }

    /** The smallest rate of the cosine: {@code baseLr * 0.1^3}. */
    public float etaMin() {
        return baseLr * 0.001f;
    }

    /** The cosine rate of 1-based epoch {@code epoch}. */
    public float cosine(int epoch) {
        double etaMin = etaMin();
        return (float) (etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2);
    }

    /**
     * The rate for batch {@code batch} (0-based) of 1-based epoch {@code epoch} with {@code batchesPerEpoch} batches.
     */
    public float rate(int epoch, int batch, int batchesPerEpoch) {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " is outside 1.." + epochs);
        }
        if (warmEpochs > 0 && epoch <= warmEpochs) {
            double p = (batch + (epoch - 1.0) * batchesPerEpoch) / ((double) warmEpochs * batchesPerEpoch);
            float to = cosine(warmEpochs);
            return (float) (WARMUP_FROM + p * (to - WARMUP_FROM));
        }
        return cosine(epoch);
    }
}
