package dev.excon.notebook.kernel;

import java.util.concurrent.CountDownLatch;

/**
 * An event from notebook code to the test that runs it: the cell calls {@link #running()} once it runs, and the test,
 * waiting on the latch {@link #arm()} gave it, interrupts then, never after a guessed sleep. Public, because cells are
 * compiled in JShell's own package.
 */
public final class CellSignal {

    private static volatile CountDownLatch latch = new CountDownLatch(1);

    private CellSignal() {}

    /** Called by the cell: it is running now. */
    public static void running() {
        latch.countDown();
    }

    /** A fresh latch for the next cell's {@link #running()}. */
    static CountDownLatch arm() {
        latch = new CountDownLatch(1);
        return latch;
    }
}
