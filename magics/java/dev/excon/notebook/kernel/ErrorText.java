package dev.excon.notebook.kernel;

/** The look of error lines: the error's name in bold red, as Jupyter front ends and nbconvert render ANSI colours. */
final class ErrorText {

    private static final String RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";

    private ErrorText() {}

    /** {@code name: message} with the name highlighted. */
    static String header(String name, String message) {
        return RED + name + RESET + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    /** A line in the error colour. */
    static String note(String text) {
        return RED + text + RESET;
    }
}
