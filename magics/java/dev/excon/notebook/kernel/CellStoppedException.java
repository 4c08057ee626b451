package dev.excon.notebook.kernel;

/** A cell that ignored its interrupt and was stopped by force (or could not be stopped). */
public final class CellStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CellStoppedException(boolean stopped) {
        super(stopped
                ? "the cell did not react to the interrupt within " + CellThread.GRACE_MILLIS / 1000
                        + " s and was stopped by force; objects it was changing may be half-updated"
                : "the cell ignores interrupts and this Java (" + Runtime.version().feature()
                        + ") cannot stop a thread by force: it keeps running in the background; restart the kernel"
                        + " to end it");
    }
}
