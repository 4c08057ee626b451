package dev.excon.train;

/** Training stopped before its last epoch: the user asked (interrupt or {@link ExconTrainer#requestStop()}). */
public class TrainingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message where it stopped and how to resume */
    public TrainingStoppedException(String message) {
        super(message);
    }
}
