package dev.excon.train;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A test hook for fault injection: with {@code -Dexcon.pauseAt=POINT} (or {@code POINT#N} for the N-th time) the JVM
 * prints {@code excon: paused at POINT} on standard output the moment it reaches that place of the run directory's
 * writes, then waits for ever, so a test can kill it with SIGKILL at exactly that place. Unset, it costs one field read.
 * The points are named where {@link RunDirectory} and {@link Checkpoint} call {@link #reach}.
 */
final class PausePoints {

    /** The line printed when pausing, followed by the point's name. */
    static final String PAUSED = "excon: paused at ";

    private static final String SPEC = System.getProperty("excon.pauseAt");
    private static final ConcurrentHashMap<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private PausePoints() {}

    /** Whether a pause is asked for (callers flush what they have written before {@link #reach}). */
    static boolean enabled() {
        return SPEC != null;
    }

    /** Pauses for ever if {@code point} (at this occurrence) is the one asked for. */
    static void reach(String point) {
        if (SPEC == null) {
            return;
        }
        int hash = SPEC.lastIndexOf('#');
        String name = hash < 0 ? SPEC : SPEC.substring(0, hash);
        int occurrence = hash < 0 ? 1 : Integer.parseInt(SPEC.substring(hash + 1));
        if (!name.equals(point) || SEEN.computeIfAbsent(point, k -> new AtomicInteger()).incrementAndGet() != occurrence) {
            return;
        }
        System.out.println(PAUSED + SPEC);
        System.out.flush();
        while (true) {
            LockSupport.park(); // until the test kills this JVM
        }
    }
}
