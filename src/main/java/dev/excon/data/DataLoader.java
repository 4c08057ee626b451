package dev.excon.data;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.excon.ExconRuntime;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Turns an {@link ImageDataset} into float32 NCHW batches in [0, 1] on a device, prepared by a background thread a
 * few batches ahead of the training step.
 *
 * <p>The order of epoch {@code e} depends only on the seed and {@code e}, so a resumed run sees the same batches as
 * an uninterrupted one.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(train).batchSize(128).seed(42).build();
 * try (NDManager m = NDManager.newBaseManager(); DataLoader.Epoch epoch = loader.epoch(0, m)) {
 *     for (Batch batch : epoch) {
 *         try (batch) { ... batch.images() ... }
 *     }
 * }
 * }</pre>
 */
public final class DataLoader {

    private final ImageDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final Device device;
    private final int prefetch;

    private DataLoader(Builder b) {
        this.data = b.data;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.device = b.device != null ? b.device : ExconRuntime.defaultDevice();
        this.prefetch = b.prefetch;
    }

    /** Starts a loader over {@code data}; {@code batchSize} is required. */
    public static Builder builder(ImageDataset data) {
        return new Builder(data);
    }

    /** The data set this loader reads. */
    public ImageDataset data() {
        return data;
    }

    /** Images per batch (the last batch may be smaller unless {@code dropLast}). */
    public int batchSize() {
        return batchSize;
    }

    /** The device batches are placed on. */
    public Device device() {
        return device;
    }

    /** The number of batches one epoch yields. */
    public int batchesPerEpoch() {
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    /**
     * The order of epoch {@code epoch}: a seeded permutation when shuffling, else 0..n-1. Deterministic in (seed,
     * epoch).
     */
    public int[] order(int epoch) {
        int n = data.size();
        if (!shuffle) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return order;
        }
        SplittableRandom rng = new SplittableRandom(seed).split();
        return permutation(n, new SplittableRandom(rng.nextLong() ^ (0x9E3779B97F4A7C15L * (epoch + 1L))));
    }

    /** A uniform permutation of 0..n-1 (Fisher-Yates from the top) drawn from {@code rng}. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Starts epoch {@code epoch}: a background thread begins preparing batches at once. Each batch's arrays live in
     * a sub-manager of {@code manager}. Close the epoch (try-with-resources) to stop the thread early and free
     * batches not yet taken.
     */
    public Epoch epoch(int epoch, NDManager manager) {
        return new Epoch(order(epoch), manager);
    }

    @Override
    public String toString() {
        return "DataLoader[data=" + data.name() + ", batchSize=" + batchSize + ", shuffle=" + shuffle + ", dropLast="
                + dropLast + ", seed=" + seed + ", device=" + device + ", prefetch=" + prefetch + "]";
    }

    /** One pass over the data; an {@link Iterator} of batches that must be closed. */
    public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {

        private static final Object END = new Object();

        private final int[] order;
        private final NDManager parent;
        private final int total;
        private final BlockingQueue<Object> queue;
        private final Thread producer;
        private volatile boolean closed;
        private int taken;

        private Epoch(int[] order, NDManager parent) {
            this.order = order;
            this.parent = parent;
            this.total = batchesPerEpoch();
            this.queue = new ArrayBlockingQueue<>(prefetch + 1);
            this.producer = new Thread(this::produce, "excon-loader-" + data.name());
            producer.setDaemon(true);
            producer.start();
        }

        private void produce() {
            try {
                for (int b = 0; b < total && !closed; b++) {
                    Batch batch = prepare(b);
                    boolean handedOver = false;
                    try {
                        handedOver = offer(batch);
                    } finally {
                        if (!handedOver) { // closed or interrupted while waiting: nobody will take it
                            batch.close();
                        }
                    }
                    if (!handedOver) {
                        return;
                    }
                }
                offer(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) { // handed to the consumer, which rethrows it on its thread
                try {
                    offer(t);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private boolean offer(Object item) throws InterruptedException {
            while (!closed) {
                if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        }

        private Batch prepare(int b) {
            int from = b * batchSize;
            int n = Math.min(batchSize, order.length - from);
            return Batch.of(data, java.util.Arrays.copyOfRange(order, from, from + n), parent, device);
        }

        @Override
        public boolean hasNext() {
            return !closed && taken < total;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException(
                        closed ? "this epoch was closed" : "epoch finished after " + total + " batches");
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
            if (item instanceof Batch batch) {
                taken++;
                return batch;
            }
            close();
            if (item instanceof DatasetException e) {
                throw new DatasetException(e.getMessage(), e);
            }
            if (item instanceof Throwable t) {
                throw new IllegalStateException("the batch loader failed on " + data.name() + ": " + t, t);
            }
            throw new IllegalStateException(
                    "the batch loader stopped after " + taken + " of " + total + " batches of " + data.name());
        }

        @Override
        public Iterator<Batch> iterator() {
            return this;
        }

        /** The number of batches this epoch yields. */
        public int size() {
            return total;
        }

        /** Stops the background thread and frees every batch it prepared that was not taken. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            producer.interrupt();
            try {
                producer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Object item;
            while ((item = queue.poll()) != null) {
                if (item instanceof Batch batch) {
                    batch.close();
                }
            }
        }
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder {
        private final ImageDataset data;
        private int batchSize;
        private boolean shuffle = true;
        private boolean dropLast;
        private long seed;
        private Device device;
        private int prefetch = 2;

        private Builder(ImageDataset data) {
            this.data = data;
        }

        /** Required: images per batch, at least 1. */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffle every epoch with a seeded permutation; default true. */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last incomplete batch (training keeps shapes static); default false. */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Shuffling seed; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Device for the batches; default the first GPU when DJL sees one, else the CPU. */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Batches prepared ahead; default 2. */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Validates and builds. */
        public DataLoader build() {
            if (batchSize < 1) {
                throw new IllegalArgumentException(
                        "batchSize=" + batchSize + ": call setBatchSize(n) with n >= 1 before build()");
            }
            if (prefetch < 1) {
                throw new IllegalArgumentException("prefetch=" + prefetch + " must be at least 1");
            }
            if (data.size() == 0) {
                throw new IllegalArgumentException(data.name() + " is empty: nothing to load");
            }
            if (dropLast && data.size() < batchSize) {
                throw new IllegalArgumentException(
                        data.name() + " has " + data.size() + " images, fewer than one batch of " + batchSize
                                + " with dropLast: lower the batch size or keep the last batch");
            }
            ExconRuntime.init();
            return new DataLoader(this);
        }
    }
}
