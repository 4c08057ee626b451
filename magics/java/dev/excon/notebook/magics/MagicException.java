package dev.excon.notebook.magics;

import java.util.List;

/**
 * A magic that cannot do what its line asks. The cell fails with this message, and no Java stack trace, so a headless
 * run ({@code bin/run-notebook}, nbconvert) stops at that cell instead of carrying on with the wrong seed, device or
 * class path.
 *
 * <p>Two kinds, told apart by {@link #errorName()}, the name the notebook shows: {@code UsageError} (as IPython names
 * it) when the line itself is wrong (an unknown sub-command, a value that does not parse, a path that does not exist),
 * with the magic's usage as {@link #details()}; {@code MagicError} when the line is fine but the work failed (an
 * artifact that cannot be resolved, a kernel that cannot take jars).
 */
public final class MagicException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorName;
    private final List<String> details;

    private MagicException(String errorName, String message, List<String> details) {
        super(message, null, false, false);
        this.errorName = errorName;
        this.details = List.copyOf(details);
    }

    /** The line is wrong: {@code message} names the value and the fix, {@code usage} is shown below it. */
    static MagicException usage(String message, String usage) {
        return new MagicException("UsageError", message, List.of(usage.split("\n")));
    }

    /** The line is fine, the work failed: {@code message} says why and what to do. */
    static MagicException failed(String message) {
        return new MagicException("MagicError", message, List.of());
    }

    /** {@code UsageError} or {@code MagicError}: the error's name in the notebook. */
    public String errorName() {
        return errorName;
    }

    /** Lines shown under the message (the magic's usage), possibly none. */
    public List<String> details() {
        return details;
    }
}
