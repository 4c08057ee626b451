package dev.excon.train;

import dev.excon.Provenance;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link ExconTrainer#fit()}.
 *
 * @param config the configuration
 * @param history one entry per completed epoch (including epochs run before a resume)
 * @param bestEpoch the epoch with the best validation accuracy, or test accuracy without a validation split ({@link
 *     TrainConfig#selectionMeasure()})
 * @param provenance what produced the run
 * @param directory where checkpoints and the history live, or null for an in-memory run
 */
public record TrainingResult(TrainConfig config, List<EpochResult> history, int bestEpoch, Provenance provenance,
        Path directory) {

    /** The last epoch's entry. */
    public EpochResult last() {
        return history.get(history.size() - 1);
    }

    /** What the best epoch was chosen on, for tables: e.g. {@code "best by test accuracy"}. */
    public String bestLabel() {
        return "best by " + config.selectionMeasure();
    }

    /** The best epoch's entry. */
    public EpochResult best() {
        return history.stream().filter(e -> e.epoch() == bestEpoch).findFirst().orElse(last());
    }
}
