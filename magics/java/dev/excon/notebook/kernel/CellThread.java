package dev.excon.notebook.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread that runs notebook code, so that an interrupt has a thread to aim at and per-thread state (libtorch's
 * gradient mode, thread-locals a notebook sets) survives from cell to cell.
 *
 * <p>An interrupt first sets the thread's interrupt flag: sleeping, waiting and I/O stop at once, and the ExCon trainer
 * stops at its next step boundary. Code that never looks at the flag (a busy loop) is stopped with {@code
 * Thread.stop} after a grace period (Java 17 to 19 still have it); the thread is then abandoned and a fresh one takes
 * over, so whatever the stop left half-done cannot hurt the next cell. While the thread is inside the ExCon trainer
 * or data loader, which look at the flag at every step, the grace period is longer, so a training step is not killed
 * half-way; a second interrupt stops it at once.
 */
final class CellThread {

    /** Grace period before a thread that ignores its interrupt flag is stopped. */
    static final long GRACE_MILLIS = 1000;

    /** Grace period while the thread is in code that stops at its own step boundaries. */
    static final long COOPERATIVE_GRACE_MILLIS = 60_000;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Runnable beforeEachTask;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "excon-cell-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile Worker worker;
    private volatile ClassLoader contextLoader;
    /** A cell is being executed (its code may be compiling, with no task on the thread right now). */
    private volatile boolean cellActive;
    /** An interrupt arrived while the cell had nothing running: its next task is interrupted at once. */
    private volatile boolean pendingInterrupt;
    /** Held while the cell thread talks to a socket, and by whoever interrupts or stops it. */
    private final Object ioLock = new Object();

    /** @param beforeEachTask runs on the cell thread before every task (e.g. switching gradient recording off) */
    CellThread(Runnable beforeEachTask) {
        this.beforeEachTask = beforeEachTask;
        this.worker = new Worker();
    }

    /** The class loader notebook code sees as its context class loader. */
    void setContextClassLoader(ClassLoader loader) {
        this.contextLoader = loader;
    }

    /** The kernel starts executing a cell (interrupts between its tasks are kept for the next one). */
    void cellStarted() {
        pendingInterrupt = false;
        cellActive = true;
    }

    /** The cell is done; an interrupt that came too late is dropped. */
    void cellEnded() {
        cellActive = false;
        pendingInterrupt = false;
    }

    /** Whether the calling thread is the cell thread. */
    boolean isCellThread() {
        return Thread.currentThread() == worker.thread;
    }

    /**
     * Runs socket I/O so that an interrupt cannot land in it: the interrupt waits until the I/O is done. (An interrupt
     * inside a socket write closes the NIO pipe under JeroMQ's mailbox and breaks the socket for good.) A pending
     * interrupt flag is set aside for the duration and restored after.
     */
    <T> T io(Callable<T> action) throws Exception {
        if (!isCellThread()) {
            return action.call(); // only the cell thread is ever interrupted
        }
        synchronized (ioLock) {
            boolean interrupted = Thread.interrupted();
            try {
                return action.call();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Runs {@code task} on the cell thread and waits for it. Exceptions thrown by the task arrive unwrapped; a task
     * stopped by force ends with {@link CellStoppedException}.
     */
    <T> T run(Callable<T> task) throws Exception {
        if (isCellThread()) {
            return task.call(); // nested call from notebook code: already on the right thread
        }
        if (pendingInterrupt) {
            pendingInterrupt = false;
            throw new java.lang.reflect.InvocationTargetException(
                    new InterruptedException("interrupted before this part of the cell started"));
        }
        Task<T> t = new Task<>(task);
        Worker w = worker;
        w.queue.add(t);
        try {
            return t.result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Asks the running task to stop: interrupt now, stop by force after the grace period. A second call while the same
     * task still runs stops it at once.
     */
    void interrupt() {
        Worker w = worker;
        Task<?> t = w.current;
        if (t == null) {
            pendingInterrupt = cellActive; // compiling between two tasks: stop before the next one
            return;
        }
        int asks = t.interrupts.incrementAndGet();
        if (asks > 1) {
            forceStop(w, t);
            return;
        }
        synchronized (ioLock) {
            w.thread.interrupt();
        }
        long grace = honoursInterrupts(w.thread) ? COOPERATIVE_GRACE_MILLIS : GRACE_MILLIS;
        watchdog.schedule(() -> {
            if (w.current == t && !t.result.isDone()) {
                forceStop(w, t);
            }
        }, grace, TimeUnit.MILLISECONDS);
    }

    /** Stops whatever runs and the thread itself (kernel shutdown). */
    void shutdown() {
        Worker w = worker;
        Task<?> t = w.current;
        if (t != null) {
            forceStop(w, t);
        }
        w.queue.add(Task.POISON);
        watchdog.shutdownNow();
    }

    private synchronized void forceStop(Worker w, Task<?> t) {
        if (t.result.isDone() || worker != w) {
            return;
        }
        // Retire the thread and answer the cell first: the stopped thread's own ending must not be its answer.
        w.retired = true;
        worker = new Worker();
        boolean canStop = Runtime.version().feature() < 20;
        t.result.completeExceptionally(new CellStoppedException(canStop));
        synchronized (ioLock) {
            stopThread(w.thread);
        }
    }

    /** Thread.stop through reflection: present and working on Java 17 to 19, throws on 20 and later. */
    @SuppressWarnings("removal")
    private static boolean stopThread(Thread thread) {
        try {
            Thread.class.getMethod("stop").invoke(thread);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            thread.interrupt();
            return false;
        }
    }

    /** True while the thread runs ExCon code that checks its interrupt flag at every step. */
    private static boolean honoursInterrupts(Thread thread) {
        for (StackTraceElement e : thread.getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("dev.excon.train.") || c.startsWith("dev.excon.data.DataLoader")) {
                return true;
            }
        }
        return false;
    }

    private static final class Task<T> {
        static final Task<Object> POISON = new Task<>(() -> null);
        final Callable<T> body;
        final CompletableFuture<T> result = new CompletableFuture<>();
        final AtomicInteger interrupts = new AtomicInteger();

        Task(Callable<T> body) {
            this.body = body;
        }
    }

    private final class Worker implements Runnable {
        final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        volatile Task<?> current;
        volatile boolean retired;

        Worker() {
            thread = new Thread(null, this, "excon-cell-" + THREADS.incrementAndGet(), 64L << 20);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((th, e) -> { }); // a stopped thread dies quietly
            thread.start();
        }

        @Override
        public void run() {
            while (!retired) {
                Task<?> t;
                try {
                    t = queue.take();
                } catch (InterruptedException e) {
                    continue; // an interrupt that arrived between tasks
                }
                if (t == Task.POISON) {
                    return;
                }
                execute(t);
            }
        }

        private <T> void execute(Task<T> t) {
            Thread.interrupted(); // a late interrupt aimed at the previous task must not hit this one
            current = t;
            try {
                ClassLoader loader = contextLoader;
                if (loader != null) {
                    thread.setContextClassLoader(loader);
                }
                if (beforeEachTask != null) {
                    beforeEachTask.run();
                }
                t.result.complete(t.body.call());
            } catch (Throwable e) {
                t.result.completeExceptionally(e);
            } finally {
                current = null;
                Thread.interrupted();
            }
        }
    }
}
