package dev.excon;

import ai.djl.ndarray.NDArray;

/**
 * Reads of tensor data into the JVM, counted per thread. On a GPU each read waits for every queued kernel to finish
 * (a host synchronisation), so the training step makes as few as it can and makes them all here: {@code
 * ArchitectureTest} forbids direct reads ({@code getFloat}, {@code toBooleanArray}, ...) in the step's classes, and
 * {@code HostReadsPerStepTest} asserts the number per step.
 *
 * <pre>{@code
 * long before = HostReads.count();
 * float loss = HostReads.scalar(lossArray);
 * long readsInStep = HostReads.count() - before; // 1
 * }</pre>
 */
public final class HostReads {

    private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[1]);

    private HostReads() {}

    /** The number of reads the calling thread has made through this class since it started. */
    public static long count() {
        return COUNT.get()[0];
    }

    /** The value of a one-element array, as float (one read). */
    public static float scalar(NDArray a) {
        COUNT.get()[0]++;
        return a.getFloat();
    }

    /** The value of a one-element boolean array (one read). */
    public static boolean flag(NDArray a) {
        COUNT.get()[0]++;
        return a.getBoolean();
    }

    /** The values of a float32 array, flattened (one read). */
    public static float[] floats(NDArray a) {
        COUNT.get()[0]++;
        return a.toFloatArray();
    }

    /** The values of a boolean array, flattened (one read). */
    public static boolean[] booleans(NDArray a) {
        COUNT.get()[0]++;
        return a.toBooleanArray();
    }

    /** The values of an int64 array, flattened (one read). */
    public static long[] longs(NDArray a) {
        COUNT.get()[0]++;
        return a.toLongArray();
    }
}
