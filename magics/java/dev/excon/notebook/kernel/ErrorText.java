package dev.excon.notebook.kernel;

/** The look of error lines: the error's name in bold red, as Jupyter front ends and nbconvert render ANSI colours. */
final class ErrorText {

    private static final String RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";

    private static final java.util.regex.Pattern JSHELL_WRAPPER =
            java.util.regex.Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?[.$]");

    private ErrorText() {}

    /** Without JShell's wrapper class names: {@code "REPL.$JShell$17.o" is null} reads {@code "o" is null}. */
    static String clean(String message) {
        return message == null || !message.contains("REPL.$JShell$") ? message
                : JSHELL_WRAPPER.matcher(message).replaceAll("");
    }

    /** {@code name: message} with the name highlighted. */
    static String header(String name, String message) {
        return RED + name + RESET + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    /** A line in the error colour. */
    static String note(String text) {
        return RED + text + RESET;
    }
}
