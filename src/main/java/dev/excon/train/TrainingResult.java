package dev.excon.train;

import dev.excon.Provenance;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link ExconTrainer#fit()}.
 *
 * @param config the configuration
 * @param history one entry per completed epoch (including epochs run before a resume)
 * @param bestEpoch the epoch with the best validation accuracy
 * @param provenance what produced the run
 * @param directory where checkpoints and the history live, or null for an in-memory run
 */
public record TrainingResult(TrainConfig config, List<EpochResult> history, int bestEpoch, Provenance provenance,
        Path directory) {

    /** The last epoch's entry. */
    public EpochResult last() {
        return history.get(history.size() - 1);
    }

    /** The best epoch's entry. */
    public EpochResult best() {
        return history.stream().filter(e -> e.epoch() == bestEpoch).findFirst().orElse(last());
    }
}
