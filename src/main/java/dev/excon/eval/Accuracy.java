package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import dev.excon.Provenance;
import dev.excon.data.ImageDataset;
import dev.excon.model.ImageModel;
import java.util.List;

/**
 * Classification accuracy (the reference's {@code main_linear.validate}: top-1 and top-5 of {@code
 * classifier(backbone(x))}), plus per-class accuracy and the confusion matrix.
 *
 * <p>Conventions: the prediction is the first index of the largest logit; the true class is among the top k when
 * fewer than k classes rank above it, where class j ranks above the true class y if {@code z_j > z_y}, or {@code z_j
 * == z_y} and {@code j < y} (ties go to the lower class index, consistently with the prediction, so top-1 correct
 * means predicted == label). k is 5 by default and capped at C. Logits must be finite.
 *
 * <pre>{@code
 * AccuracyResult r = Accuracy.evaluate(net, data.test(), 128);   // one forward pass per batch, in order
 * System.out.println(r);                                         // top-1, top-5, per class, confusion matrix
 * }</pre>
 */
public final class Accuracy {

    /** The default k of the top-k accuracy (capped at the number of classes). */
    public static final int DEFAULT_TOP_K = 5;

    private Accuracy() {}

    /** Accuracy of a network over a data set, in evaluation mode, {@code batchSize} images per forward pass. */
    public static AccuracyResult evaluate(ImageModel net, ImageDataset data, int batchSize) {
        Accumulator acc = new Accumulator(net.numClasses(), DEFAULT_TOP_K, data.classNames());
        DatasetPass.forEach(net, data, batchSize,
                (images, batch) -> acc.add(Tensors.floats(net.logits(images)), batch.labelValues()));
        return acc.result();
    }

    /**
     * Accuracy of given logits.
     *
     * @param logits (N, C) float32 or float64 on any device (one transfer)
     * @param labels (N) int64 or int32 in [0, C)
     */
    public static AccuracyResult of(NDArray logits, NDArray labels) {
        return of(Logits.of(logits, labels));
    }

    /** Accuracy of logits held on the host. */
    public static AccuracyResult of(Logits logits) {
        Accumulator acc = new Accumulator(logits.numClasses(), DEFAULT_TOP_K, List.of());
        acc.add(logits.values(), logits.labels());
        return acc.result();
    }

    /**
     * Sums batches of logits into an {@link AccuracyResult}; not thread-safe.
     */
    public static final class Accumulator {
        private final int numClasses;
        private final int k;
        private final List<String> classNames;
        private final long[][] confusion;
        private long count;
        private long top1;
        private long topK;

        /**
         * @param numClasses C
         * @param k the k of top-k, capped at C
         * @param classNames names for {@code toString}, or an empty list for indices
         */
        public Accumulator(int numClasses, int k, List<String> classNames) {
            this.numClasses = Tensors.positive("numClasses", numClasses);
            this.k = Math.min(Tensors.positive("k", k), numClasses);
            if (!classNames.isEmpty() && classNames.size() != numClasses) {
                throw new IllegalArgumentException(
                        classNames.size() + " class names for " + numClasses + " classes: give one per class or none");
            }
            this.classNames = List.copyOf(classNames);
            this.confusion = new long[numClasses][numClasses];
        }

        /** Adds (N, C) logits and their labels from the device (one transfer each). */
        public void add(NDArray logits, NDArray labels) {
            Logits l = Logits.of(logits, labels);
            if (l.numClasses() != numClasses) {
                throw new IllegalArgumentException(
                        "logits have " + l.numClasses() + " columns but this accumulator counts " + numClasses);
            }
            add(l.values(), l.labels());
        }

        /** Adds row-major (N * C) logits and their N labels. */
        public void add(float[] logits, int[] labels) {
            if (logits.length != (long) labels.length * numClasses) {
                throw new IllegalArgumentException("received logits.length=" + logits.length + " for labels.length="
                        + labels.length + " and C=" + numClasses + ": expected N * C");
            }
            for (int i = 0; i < labels.length; i++) {
                int y = labels[i];
                if (y < 0 || y >= numClasses) {
                    throw new IllegalArgumentException(
                            "label " + y + " at index " + i + " is outside [0, " + numClasses + ")");
                }
                int base = i * numClasses;
                float zy = logits[base + y];
                int predicted = 0;
                int above = 0;
                for (int j = 0; j < numClasses; j++) {
                    float z = logits[base + j];
                    if (Float.isNaN(z)) {
                        throw new IllegalArgumentException("logit " + j + " of row " + i + " is NaN");
                    }
                    if (z > logits[base + predicted]) {
                        predicted = j;
                    }
                    if (z > zy || (z == zy && j < y)) {
                        above++;
                    }
                }
                confusion[y][predicted]++;
                top1 += predicted == y ? 1 : 0;
                topK += above < k ? 1 : 0;
                count++;
            }
        }

        /** The number of samples added. */
        public long count() {
            return count;
        }

        /** The accuracy of everything added so far. */
        public AccuracyResult result() {
            if (count == 0) {
                throw new IllegalStateException("no samples were added: call add(logits, labels) first");
            }
            long[] perClassCount = new long[numClasses];
            double[] perClass = new double[numClasses];
            long[][] copy = new long[numClasses][];
            for (int c = 0; c < numClasses; c++) {
                copy[c] = confusion[c].clone();
                for (long v : confusion[c]) {
                    perClassCount[c] += v;
                }
                perClass[c] = perClassCount[c] == 0 ? Double.NaN : (double) confusion[c][c] / perClassCount[c];
            }
            return new AccuracyResult(count, numClasses, k, (double) top1 / count, (double) topK / count, perClass,
                    perClassCount, copy, classNames, (Provenance) null);
        }
    }
}
