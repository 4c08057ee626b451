package dev.excon.notebook.kernel;

import java.util.List;

/**
 * A cell that ended in an error, already formatted for the notebook: the error's name (the real exception class, or
 * {@code CompileError}), its message, and the lines to show (no JShell or kernel internals).
 */
final class CellFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<String> traceback;

    CellFailure(String name, String message, List<String> traceback) {
        super(message, null, false, false);
        this.name = name;
        this.traceback = List.copyOf(traceback);
    }

    /** The error's name: the exception class, or CompileError, UnknownMagic, ... */
    String name() {
        return name;
    }

    /** Lines shown in the notebook (may carry ANSI colours). */
    List<String> traceback() {
        return traceback;
    }

    /** The same failure with a first line put in front. */
    CellFailure withFirstLine(String line) {
        List<String> lines = new java.util.ArrayList<>(traceback.size() + 1);
        lines.add(line);
        lines.addAll(traceback);
        return new CellFailure(name, getMessage(), lines);
    }
}
