package dev.excon.train;

/**
 * The loss became NaN or infinite. The message says where, what the inputs and parameters looked like, and what to
 * change; the last good checkpoint is left untouched.
 */
public class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the diagnosis */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
