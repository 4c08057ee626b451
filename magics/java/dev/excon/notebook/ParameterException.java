package dev.excon.notebook;

/**
 * A notebook parameter that cannot be used: a name on the command line that the notebook does not have, or a value
 * that does not parse. The message names the parameter, the value and what to write instead. The kernel shows it
 * without a stack trace (the fix is on the command line, not in the code), and {@code bin/run-notebook} prints it as
 * one line.
 */
public final class ParameterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    ParameterException(String message) {
        super(message);
    }
}
