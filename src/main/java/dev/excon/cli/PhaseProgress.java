package dev.excon.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The evaluation's progress: one line per phase of {@code PaperProtocol} with the time so far. A terminal gets one
 * line redrawn in place; a pipe or log file ({@code interactive = false}) gets every line.
 */
final class PhaseProgress implements Consumer<String> {

    private static final int WIDTH = 110;

    private final PrintStream out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private int phase;
    private boolean drawn;

    PhaseProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void accept(String message) {
        phase++;
        String line = String.format("[%s] %d. %s", elapsed(), phase, message);
        if (interactive) {
            // Cut to one terminal row: a wrapped line cannot be redrawn with a carriage return.
            String shown = line.length() > WIDTH ? line.substring(0, WIDTH - 3) + "..." : line;
            out.print("\r" + shown + " ".repeat(WIDTH - shown.length()));
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the redrawn line, if one is showing (it stays: the last phase reached), so what follows starts anew. */
    void endLine() {
        if (interactive && drawn) {
            out.println();
            out.flush();
            drawn = false;
        }
    }

    /** Prints the total time. */
    void done() {
        endLine();
        out.println("evaluated in " + elapsed() + " (" + phase + " phases)");
        out.flush();
    }

    private String elapsed() {
        return TerminalProgress.format(Duration.ofNanos(System.nanoTime() - start));
    }
}
