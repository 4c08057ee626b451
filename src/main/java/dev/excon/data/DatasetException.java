package dev.excon.data;

/**
 * A data set could not be found or read. The message names the path, what was expected there and how to fix it.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, with the path, the expected files and the fix
     */
    public DatasetException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, with the path, the expected files and the fix
     * @param cause the underlying I/O or decoding error
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
