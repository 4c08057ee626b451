package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import dev.excon.data.ImageDataset;
import dev.excon.model.ImageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Calibration of a classifier's top-label confidence: ECE, MCE, adaptive ECE, average calibration error, NLL, Brier
 * score and the reliability diagram's bins, from logits or probabilities and labels (the reference computes ECE with
 * netcal's defaults: 10 equal-width bins over the top-label confidence, bins without samples ignored; {@link
 * #netcal()} reproduces its bin edges exactly).
 *
 * <p>Definitions, for N samples with probabilities p_i (softmax of the logits), label y_i, prediction {@code ŷ_i =
 * argmax_k p_ik} (first index on ties), confidence {@code c_i = p_iŷ}, correct {@code a_i = 1[ŷ_i = y_i]}; over
 * equal-width bins B_b with gap {@code g_b = | mean_{i in B_b} a_i - mean_{i in B_b} c_i |}, a bin "counts" when it
 * holds at least the sample threshold T of samples (default 1: every non-empty bin):
 *
 * <pre>
 *   ECE   = sum_{b counts} |B_b| / N * g_b         (N: all samples, those in bins that do not count included)
 *   MCE   = max_{b counts} g_b                      (0 when no bin counts)
 *   ACE   = sum_{b counts} g_b / #{b : |B_b| > 0}   average calibration error, netcal's "ACE"
 *   aECE  = the ECE sum over equal-mass bins        adaptive ECE (some papers say ACE; here ACE is netcal's)
 *   NLL   = mean_i -log p_{i y_i}                   (natural log)
 *   Brier = mean_i sum_k (p_ik - 1[k = y_i])^2      (multi-class, in [0, 2])
 * </pre>
 *
 * <p>The sample threshold and the average calibration error follow netcal 1.3.6 ({@code _Miscalibration.process}):
 * a bin under the threshold adds nothing to ECE, MCE and the ACE sum, but its samples still count in N and the bin
 * itself in the ACE's number of non-empty bins.
 *
 * <p><b>Bin edges.</b> {@link BinEdges#RIGHT_CLOSED} (the default): bin b of B is {@code (b/B, (b+1)/B]}, open below
 * and closed above, except that the first bin also holds a confidence of exactly 0: so a confidence of exactly 1.0
 * falls in the last bin, and one exactly on an inner edge, e.g. 0.3 with B = 10, in the bin below it ({@code (0.2,
 * 0.3]}). {@link BinEdges#NETCAL}: the confidence is clipped to {@code [2^-23, 1 - 2^-23]}, then bin b is {@code [b *
 * (1/B), (b+1) * (1/B))}, so 0.5 is in {@code [0.5, 0.6)}; the clipped value enters the bin's mean confidence. Edges
 * are compared with the confidence as given (a float32 probability through its exact double value); see {@link
 * BinEdges} for which decimal edges differ. <b>Equal-mass bins</b> (either convention, unclipped confidences): the
 * samples sorted by confidence (ties by input order) are cut into B consecutive groups, group b holding sorted
 * positions {@code [floor(b N / B), floor((b + 1) N / B))}; with N < B some groups are empty and left out.
 *
 * <p>From logits everything is computed in double precision with a stable log-sum-exp. From probabilities, rows must
 * be non-negative and sum to 1 within 1e-3; confidences are clamped to [0, 1] and the NLL uses {@code max(p_y,
 * 1e-12)} so a probability that underflowed to 0 gives a large finite loss. Unlike netcal, which treats labels with
 * at most two distinct values as a binary problem (calibration of p(class 1)), this always measures the top-label
 * confidence.
 *
 * <pre>{@code
 * CalibrationResult c = Calibration.standard().ofLogits(logits, labels);     // (N, C) logits, (N) labels
 * CalibrationResult t = Calibration.standard().ofLogits(TemperatureScaling.fit(val).apply(test));
 * CalibrationResult n = Calibration.netcal().ofLogits(logits, labels);       // the reference's bin edges
 * }</pre>
 */
public final class Calibration {

    /** The number of equal-width bins of the reference's netcal ECE. */
    public static final int DEFAULT_BINS = 10;

    /** The smallest probability the NLL from probabilities takes the log of. */
    public static final double PROBABILITY_FLOOR = 1e-12;

    /** netcal's default sample threshold: bins with fewer samples are left out (1: only empty bins). */
    public static final int DEFAULT_SAMPLE_THRESHOLD = 1;

    private static final Calibration STANDARD = new Calibration(DEFAULT_BINS, DEFAULT_BINS, BinEdges.RIGHT_CLOSED,
            DEFAULT_SAMPLE_THRESHOLD);
    private static final Calibration NETCAL = new Calibration(DEFAULT_BINS, DEFAULT_BINS, BinEdges.NETCAL,
            DEFAULT_SAMPLE_THRESHOLD);

    private final int bins;
    private final int adaptiveBins;
    private final BinEdges binEdges;
    private final int sampleThreshold;

    private Calibration(int bins, int adaptiveBins, BinEdges binEdges, int sampleThreshold) {
        this.bins = Tensors.positive("bins", bins);
        this.adaptiveBins = Tensors.positive("adaptiveBins", adaptiveBins);
        if (binEdges == null) {
            throw new IllegalArgumentException("binEdges is null: pass BinEdges.RIGHT_CLOSED or BinEdges.NETCAL");
        }
        this.binEdges = binEdges;
        if (sampleThreshold < 1) {
            throw new IllegalArgumentException("sampleThreshold=" + sampleThreshold + " must be >= 1 (1 leaves out "
                    + "only empty bins, netcal's default)");
        }
        this.sampleThreshold = sampleThreshold;
    }

    /** 10 equal-width bins {@code (a, b]} (Guo et al.), 10 equal-mass bins, sample threshold 1: the default. */
    public static Calibration standard() {
        return STANDARD;
    }

    /**
     * The reference's ECE, netcal's {@code ECE()} defaults: 10 equal-width bins {@code [a, b)} after clipping
     * ({@link BinEdges#NETCAL}), sample threshold 1; and 10 equal-mass bins.
     */
    public static Calibration netcal() {
        return NETCAL;
    }

    /** {@code bins} equal-width ({@code (a, b]}) and {@code bins} equal-mass bins. */
    public static Calibration withBins(int bins) {
        return new Calibration(bins, bins, BinEdges.RIGHT_CLOSED, DEFAULT_SAMPLE_THRESHOLD);
    }

    /** {@code bins} equal-width ({@code (a, b]}) and {@code adaptiveBins} equal-mass bins. */
    public static Calibration withBins(int bins, int adaptiveBins) {
        return new Calibration(bins, adaptiveBins, BinEdges.RIGHT_CLOSED, DEFAULT_SAMPLE_THRESHOLD);
    }

    /** {@code bins} equal-width bins with the given edge convention, and {@code adaptiveBins} equal-mass bins. */
    public static Calibration withBins(int bins, int adaptiveBins, BinEdges binEdges) {
        return new Calibration(bins, adaptiveBins, binEdges, DEFAULT_SAMPLE_THRESHOLD);
    }

    /**
     * The same bins, leaving out of ECE, MCE and ACE the equal-width bins with fewer than {@code n} samples (netcal's
     * {@code sample_threshold}; default 1).
     */
    public Calibration withSampleThreshold(int n) {
        return new Calibration(bins, adaptiveBins, binEdges, n);
    }

    /** The number of equal-width bins. */
    public int bins() {
        return bins;
    }

    /** The number of equal-mass bins. */
    public int adaptiveBins() {
        return adaptiveBins;
    }

    /** Where an equal-width bin's edges belong, and whether confidences are clipped first. */
    public BinEdges binEdges() {
        return binEdges;
    }

    /** Equal-width bins with fewer samples than this are left out of ECE, MCE and ACE. */
    public int sampleThreshold() {
        return sampleThreshold;
    }

    /**
     * The {@link BinEdges#RIGHT_CLOSED} equal-width bin of a confidence: the b with {@code b/B < confidence <=
     * (b+1)/B}, and 0 for a confidence of 0. {@link BinEdges#binOf} has the other convention.
     *
     * @param confidence in [0, 1]
     * @param bins B
     */
    public static int binOf(double confidence, int bins) {
        return BinEdges.RIGHT_CLOSED.binOf(confidence, bins);
    }

    /**
     * The expected calibration error of equal-width bins: {@code sum_b n_b / count * |acc_b - conf_b|} over the bins
     * holding at least {@code sampleThreshold} samples.
     *
     * @param count N, all samples (those in bins under the threshold included)
     */
    public static double expectedCalibrationError(List<ReliabilityBin> bins, long count, int sampleThreshold) {
        double ece = 0;
        for (ReliabilityBin b : bins) {
            if (counts(b, sampleThreshold)) {
                ece += (double) b.count() / count * Math.abs(b.accuracy() - b.meanConfidence());
            }
        }
        return ece;
    }

    /** The maximum calibration error: the largest gap of the bins holding at least {@code sampleThreshold} samples. */
    public static double maximumCalibrationError(List<ReliabilityBin> bins, int sampleThreshold) {
        double mce = 0;
        for (ReliabilityBin b : bins) {
            if (counts(b, sampleThreshold)) {
                mce = Math.max(mce, Math.abs(b.accuracy() - b.meanConfidence()));
            }
        }
        return mce;
    }

    /**
     * netcal's average calibration error ("ACE"): the gaps of the bins holding at least {@code sampleThreshold}
     * samples, summed and divided by the number of non-empty bins (netcal 1.3.6 counts bins under the threshold in
     * the divisor); NaN when every bin is empty.
     */
    public static double averageCalibrationError(List<ReliabilityBin> bins, int sampleThreshold) {
        double sum = 0;
        int nonEmpty = 0;
        for (ReliabilityBin b : bins) {
            nonEmpty += b.isEmpty() ? 0 : 1;
            if (counts(b, sampleThreshold)) {
                sum += Math.abs(b.accuracy() - b.meanConfidence());
            }
        }
        return nonEmpty == 0 ? Double.NaN : sum / nonEmpty;
    }

    private static boolean counts(ReliabilityBin b, int sampleThreshold) {
        return b.count() > 0 && b.count() >= sampleThreshold;
    }

    /**
     * Calibration of logits.
     *
     * @param logits (N, C) float32 or float64 on any device (one transfer)
     * @param labels (N) int64 or int32 in [0, C)
     */
    public CalibrationResult ofLogits(NDArray logits, NDArray labels) {
        return ofLogits(Logits.of(logits, labels));
    }

    /** Calibration of logits held on the host. */
    public CalibrationResult ofLogits(Logits logits) {
        return ofLogits(logits.values(), logits.numClasses(), logits.labels());
    }

    /** Calibration of row-major (N * C) logits and N labels. */
    public CalibrationResult ofLogits(float[] logits, int numClasses, int[] labels) {
        Accumulator a = accumulator();
        a.addLogits(logits, numClasses, labels);
        return a.result();
    }

    /**
     * Calibration of probabilities.
     *
     * @param probabilities (N, C) rows of non-negative values summing to 1 (within 1e-3), any device
     * @param labels (N) int64 or int32 in [0, C)
     */
    public CalibrationResult ofProbabilities(NDArray probabilities, NDArray labels) {
        Logits p = Logits.of(probabilities, labels); // the same host layout: rows of C values
        return ofProbabilities(p.values(), p.numClasses(), p.labels());
    }

    /** Calibration of row-major (N * C) probabilities and N labels. */
    public CalibrationResult ofProbabilities(float[] probabilities, int numClasses, int[] labels) {
        Accumulator a = accumulator();
        a.addProbabilities(probabilities, numClasses, labels);
        return a.result();
    }

    /** Calibration of a network's softmax outputs over a data set (evaluation mode). */
    public CalibrationResult evaluate(ImageModel net, ImageDataset data, int batchSize) {
        Accumulator a = accumulator();
        int c = net.numClasses();
        DatasetPass.forEach(net, data, batchSize,
                (images, batch) -> a.addLogits(Tensors.floats(net.logits(images)), c, batch.labelValues()));
        return a.result();
    }

    /** An empty accumulator with these bins. */
    public Accumulator accumulator() {
        return new Accumulator(this);
    }

    @Override
    public String toString() {
        return "Calibration[" + bins + " equal-width bins " + binEdges.description() + ", " + adaptiveBins
                + " equal-mass bins" + (sampleThreshold == 1 ? "" : ", bins under " + sampleThreshold
                        + " samples left out") + "]";
    }

    /**
     * Collects per-sample confidence, correctness, NLL and Brier terms batch by batch (four numbers per sample), and
     * turns them into a {@link CalibrationResult}. Not thread-safe.
     */
    public static final class Accumulator {
        private final int bins;
        private final int adaptiveBins;
        private final BinEdges binEdges;
        private final int sampleThreshold;
        private double[] confidence = new double[1024];
        private boolean[] correct = new boolean[1024];
        private double nllSum;
        private double brierSum;
        private int count;

        private Accumulator(Calibration c) {
            this.bins = c.bins;
            this.adaptiveBins = c.adaptiveBins;
            this.binEdges = c.binEdges;
            this.sampleThreshold = c.sampleThreshold;
        }

        /** Adds (N, C) logits and labels from the device (one transfer each). */
        public void addLogits(NDArray logits, NDArray labels) {
            Logits l = Logits.of(logits, labels);
            addLogits(l.values(), l.numClasses(), l.labels());
        }

        /** Adds row-major (N * C) logits and N labels. */
        public void addLogits(float[] logits, int numClasses, int[] labels) {
            check(logits, numClasses, labels);
            double[] p = new double[numClasses];
            for (int i = 0; i < labels.length; i++) {
                int base = i * numClasses;
                int predicted = 0;
                for (int k = 0; k < numClasses; k++) {
                    float z = logits[base + k];
                    if (!Float.isFinite(z)) {
                        throw new IllegalArgumentException("logit " + k + " of row " + i + " is " + z
                                + ": logits must be finite");
                    }
                    if (z > logits[base + predicted]) {
                        predicted = k;
                    }
                }
                double max = logits[base + predicted];
                double sum = 0;
                for (int k = 0; k < numClasses; k++) {
                    p[k] = Math.exp(logits[base + k] - max);
                    sum += p[k];
                }
                int y = labels[i];
                double brier = 0;
                for (int k = 0; k < numClasses; k++) {
                    double d = p[k] / sum - (k == y ? 1 : 0);
                    brier += d * d;
                }
                add(1 / sum, predicted == y, Math.log(sum) + max - logits[base + y], brier);
            }
        }

        /** Adds row-major (N * C) probabilities and N labels. */
        public void addProbabilities(float[] probabilities, int numClasses, int[] labels) {
            check(probabilities, numClasses, labels);
            for (int i = 0; i < labels.length; i++) {
                int base = i * numClasses;
                int predicted = 0;
                double sum = 0;
                for (int k = 0; k < numClasses; k++) {
                    float v = probabilities[base + k];
                    if (!(v >= 0 && v <= 1 + 1e-6)) {
                        throw new IllegalArgumentException("probability " + v + " at row " + i + ", class " + k
                                + " is outside [0, 1]: pass softmax outputs, or use addLogits for logits");
                    }
                    sum += v;
                    if (v > probabilities[base + predicted]) {
                        predicted = k;
                    }
                }
                if (Math.abs(sum - 1) > 1e-3) {
                    throw new IllegalArgumentException("row " + i + " of the probabilities sums to " + sum
                            + ", not 1: pass softmax outputs, or use addLogits for logits");
                }
                int y = labels[i];
                double brier = 0;
                for (int k = 0; k < numClasses; k++) {
                    double d = probabilities[base + k] - (k == y ? 1 : 0);
                    brier += d * d;
                }
                double conf = Math.min(1, probabilities[base + predicted]);
                double nll = -Math.log(Math.max(probabilities[base + y], PROBABILITY_FLOOR));
                add(conf, predicted == y, nll, brier);
            }
        }

        private static void check(float[] values, int numClasses, int[] labels) {
            if (numClasses < 1 || values.length != (long) labels.length * numClasses) {
                throw new IllegalArgumentException("received values.length=" + values.length + " for labels.length="
                        + labels.length + " and numClasses=" + numClasses + ": expected N * C values");
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException(
                            "label " + labels[i] + " at index " + i + " is outside [0, " + numClasses + ")");
                }
            }
        }

        private void add(double conf, boolean right, double nll, double brier) {
            if (count == confidence.length) {
                confidence = Arrays.copyOf(confidence, 2 * count);
                correct = Arrays.copyOf(correct, 2 * count);
            }
            confidence[count] = conf;
            correct[count] = right;
            nllSum += nll;
            brierSum += brier;
            count++;
        }

        /** The number of samples added. */
        public int count() {
            return count;
        }

        /** The calibration of everything added so far. */
        public CalibrationResult result() {
            if (count == 0) {
                throw new IllegalStateException("no samples were added: call addLogits or addProbabilities first");
            }
            long[] n = new long[bins];
            double[] conf = new double[bins];
            double[] hits = new double[bins];
            double confSum = 0;
            long right = 0;
            for (int i = 0; i < count; i++) {
                double c = binEdges.confidence(confidence[i]); // NETCAL clips; the mean over all stays unclipped
                int b = binEdges.binOf(c, bins);
                n[b]++;
                conf[b] += c;
                hits[b] += correct[i] ? 1 : 0;
                confSum += confidence[i];
                right += correct[i] ? 1 : 0;
            }
            List<ReliabilityBin> equalWidth = new ArrayList<>(bins);
            for (int b = 0; b < bins; b++) {
                double lower = binEdges.edge(b, bins);
                double upper = binEdges.edge(b + 1, bins);
                equalWidth.add(n[b] == 0 ? new ReliabilityBin(lower, upper, 0, Double.NaN, Double.NaN)
                        : new ReliabilityBin(lower, upper, n[b], conf[b] / n[b], hits[b] / n[b]));
            }
            List<ReliabilityBin> equalMass = equalMassBins();
            double adaptive = 0;
            for (ReliabilityBin b : equalMass) {
                adaptive += (double) b.count() / count * Math.abs(b.accuracy() - b.meanConfidence());
            }
            return new CalibrationResult(count, expectedCalibrationError(equalWidth, count, sampleThreshold),
                    maximumCalibrationError(equalWidth, sampleThreshold), adaptive,
                    averageCalibrationError(equalWidth, sampleThreshold), nllSum / count, brierSum / count,
                    (double) right / count, confSum / count, Collections.unmodifiableList(equalWidth),
                    Collections.unmodifiableList(equalMass), binEdges, sampleThreshold, null);
        }

        private List<ReliabilityBin> equalMassBins() {
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            // A stable sort: equal confidences keep their input order.
            Arrays.sort(order, (a, b) -> Double.compare(confidence[a], confidence[b]));
            List<ReliabilityBin> out = new ArrayList<>(adaptiveBins);
            for (int b = 0; b < adaptiveBins; b++) {
                int from = (int) ((long) b * count / adaptiveBins);
                int to = (int) ((long) (b + 1) * count / adaptiveBins);
                if (from == to) {
                    continue;
                }
                double conf = 0;
                double hits = 0;
                for (int j = from; j < to; j++) {
                    conf += confidence[order[j]];
                    hits += correct[order[j]] ? 1 : 0;
                }
                int size = to - from;
                out.add(new ReliabilityBin(confidence[order[from]], confidence[order[to - 1]], size, conf / size,
                        hits / size));
            }
            return out;
        }
    }
}
