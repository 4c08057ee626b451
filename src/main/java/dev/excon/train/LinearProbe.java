package dev.excon.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.excon.HostReads;
import dev.excon.Scalars;
import dev.excon.loss.CrossEntropy;
import dev.excon.model.ExconNetwork;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Linear evaluation on frozen features, as in SSL papers ({@code probeEpochs > 0}; a deviation from the reference,
 * whose classifier takes one epoch on augmented views per joint epoch): softmax cross-entropy SGD of the network's
 * linear classifier on features computed once, for a fixed number of epochs, the rate falling by a cosine from its
 * peak to 0.1% of it over the whole fit (per step). The fit runs on standardised features (each dimension to mean 0,
 * variance 1 over the training set; the classifier's weights moved into that space before and folded back after,
 * so the network still classifies raw features): backbone features after ReLU and pooling differ in scale by about 6x,
 * and on the raw ones 20 epochs left the quick preset's probe 2 points short of the standardised fit (measured).
 * Momentum restarts with each fit: the buffers of the previous fit belong to other standardisation statistics.
 *
 * <p>Features: (N, d) float32, labels: (N) int64, both on the network's device; the encoder is not touched.
 */
final class LinearProbe {

    /** Called after each probe epoch; may throw to stop the fit (e.g. a stop request). */
    interface EpochListener {
        void onProbeEpoch(int probeEpoch, double meanLoss, float lastRate);
    }

    private final ExconNetwork net;
    private final Sgd sgd;
    private final int epochs;
    private final int batchSize;
    private final LearningRateSchedule decay;

    /**
     * @param net the network whose classifier is fitted ({@link ExconNetwork#classify})
     * @param sgd the optimiser over {@code net.classifierParameters()}; its momentum buffers are zeroed at the start of
     *     each fit
     * @param epochs probe epochs, at least 1
     * @param batchSize features per SGD step (the last batch of an epoch may be smaller)
     * @param peakRate the rate of the first step
     */
    LinearProbe(ExconNetwork net, Sgd sgd, int epochs, int batchSize, float peakRate) {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("probe epochs=" + epochs + " and batchSize=" + batchSize
                    + " must be at least 1");
        }
        this.net = net;
        this.sgd = sgd;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.decay = new LearningRateSchedule(peakRate, epochs, 0);
    }

    /** The rate of 0-based step {@code step} of 0-based probe epoch {@code k}: the cosine at that point of the fit. */
    float rate(int k, int step, int steps) {
        double progress = (k + (double) step / steps) / epochs;
        double etaMin = decay.etaMin();
        return (float) (etaMin + (decay.baseLr() - etaMin) * (1 + Math.cos(Math.PI * progress)) / 2);
    }

    /**
     * Fits the classifier on {@code features} and {@code labels}, the order of probe epoch k drawn from {@code
     * shuffle.apply(k)}.
     *
     * @return the fitted classifier's mean cross-entropy on all of {@code features} (a training loss that does not
     *     depend on the batch order, comparable from epoch to epoch)
     * @throws TrainingDivergedException if a step's loss is not finite
     */
    double fit(NDArray features, NDArray labels, IntFunction<SplittableRandom> shuffle, EpochListener listener) {
        int n = Math.toIntExact(features.getShape().get(0));
        if (labels.getShape().get(0) != n) {
            throw new IllegalArgumentException("features have " + n + " rows, labels " + labels.getShape().get(0));
        }
        int steps = (n + batchSize - 1) / batchSize;
        sgd.resetMomentum();
        try (NDManager stats = features.getManager().newSubManager()) {
            NDArray mean = features.mean(new int[] {0});
            mean.attach(stats);
            NDArray centred = features.sub(mean);
            centred.attach(stats);
            NDArray std = Scalars.maximum(centred.square().mean(new int[] {0}).sqrt(), 1e-6);
            std.attach(stats);
            NDArray z = centred.div(std);
            z.attach(stats);
            toStandardised(mean, std, stats);
            try {
                fitStandardised(z, labels, shuffle, listener, n, steps);
            } finally {
                toRaw(mean, std, stats);
            }
        }
        try (NDManager scope = features.getManager().newSubManager()) {
            NDArray logits = net.classify(features);
            logits.attach(scope);
            NDArray l = CrossEntropy.mean(logits, labels);
            l.attach(scope);
            return HostReads.scalar(l);
        }
    }

    /** The classifier's weight (C, d) and bias (C). */
    private NDArray[] weightAndBias() {
        NDArray w = null;
        NDArray b = null;
        for (ai.djl.nn.Parameter p : net.classifierParameters()) {
            if (p.getArray().getShape().dimension() == 2) {
                w = p.getArray();
            } else {
                b = p.getArray();
            }
        }
        if (w == null || b == null) {
            throw new IllegalStateException("the classifier has no weight and bias: " + net.classifierParameters());
        }
        return new NDArray[] {w, b};
    }

    /** W x + b = W' z + b' for z = (x - mean) / std: W' = W * std, b' = b + W mean. */
    private void toStandardised(NDArray mean, NDArray std, NDManager scope) {
        NDArray[] wb = weightAndBias();
        NDArray shift = wb[0].matMul(mean.expandDims(1)).squeeze(1);
        shift.attach(scope);
        wb[1].addi(shift);
        wb[0].muli(std);
    }

    /** The inverse of {@link #toStandardised}: W = W' / std, b = b' - W' (mean / std). */
    private void toRaw(NDArray mean, NDArray std, NDManager scope) {
        NDArray[] wb = weightAndBias();
        NDArray scaled = mean.div(std);
        scaled.attach(scope);
        NDArray shift = wb[0].matMul(scaled.expandDims(1)).squeeze(1);
        shift.attach(scope);
        wb[1].subi(shift);
        wb[0].divi(std);
    }

    private void fitStandardised(NDArray features, NDArray labels, IntFunction<SplittableRandom> shuffle,
            EpochListener listener, int n, int steps) {
        for (int k = 0; k < epochs; k++) {
            int[] order = dev.excon.data.DataLoader.permutation(n, shuffle.apply(k));
            float lr = 0;
            double meanLoss;
            // The losses are summed on the device and read once per probe epoch, not once per step: each read waits
            // for the GPU, and a probe step is tiny. A non-finite loss is therefore caught at the end of its epoch.
            try (NDManager epochScope = features.getManager().newSubManager()) {
                NDArray lossSum = epochScope.zeros(new ai.djl.ndarray.types.Shape());
                for (int j = 0; j < steps; j++) {
                    lr = rate(k, j, steps);
                    long[] rows = Arrays.stream(order, j * batchSize, Math.min(n, (j + 1) * batchSize))
                            .asLongStream().toArray();
                    try (NDManager scope = features.getManager().newSubManager()) {
                        NDArray index = scope.create(rows);
                        NDArray x = features.get(index);
                        NDArray y = labels.get(index);
                        x.attach(scope);
                        y.attach(scope);
                        NDArray l;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            l = CrossEntropy.mean(net.classify(x), y);
                            gc.backward(l);
                        }
                        lossSum.addi(l);
                    }
                    sgd.step(lr);
                    PausePoints.reach("classifier step");
                }
                meanLoss = HostReads.scalar(lossSum) / steps;
            }
            if (!Double.isFinite(meanLoss)) {
                sgd.zeroGradients();
                throw new TrainingDivergedException("the linear probe's loss became " + meanLoss + " in probe epoch "
                        + (k + 1) + " (lr up to " + rate(k, 0, steps) + "): the features are not finite or the rate "
                        + "is too high; lower classifierLearningRate");
            }
            if (listener != null) {
                listener.onProbeEpoch(k + 1, meanLoss, lr);
            }
        }
    }
}
