package dev.excon.data;

import dev.excon.ExconRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs a task for indices {@code 0..n-1} on a small daemon thread pool (image decoding: 110,000 JPEGs one by one
 * would take minutes). Work is cut into chunks; when tasks fail, the failure of the lowest failing chunk is rethrown
 * as it was, so the error a user sees does not depend on thread timing.
 */
final class Parallel {

    private static final int CHUNK = 256;

    private Parallel() {}

    /** Runs {@code task} for every index in {@code [0, n)}, on up to {@link ExconRuntime#threads()} threads. */
    static void forEach(int n, IntConsumer task) {
        int threads = Math.max(1, Math.min(ExconRuntime.threads(), (n + CHUNK - 1) / CHUNK));
        if (threads == 1) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "excon-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> chunks = new ArrayList<>();
            for (int start = 0; start < n; start += CHUNK) {
                int from = start;
                int to = Math.min(n, start + CHUNK);
                chunks.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        task.accept(i);
                    }
                }));
            }
            for (Future<?> f : chunks) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DatasetException("interrupted while decoding images", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
