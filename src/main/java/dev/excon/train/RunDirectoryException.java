package dev.excon.train;

/**
 * A run directory cannot be used as asked: held by another trainer, holding another configuration or other data,
 * damaged beyond what a start can repair, or not writable. The message names the directory, the cause and the fix,
 * and says what was kept.
 */
public class RunDirectoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RunDirectoryException(String message) {
        super(message);
    }

    RunDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Another training run holds the directory's lock. */
    public static final class Locked extends RunDirectoryException {
        private static final long serialVersionUID = 1L;

        Locked(String message) {
            super(message);
        }
    }
}
