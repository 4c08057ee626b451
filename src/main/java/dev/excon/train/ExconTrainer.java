package dev.excon.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.excon.ExconRuntime;
import dev.excon.HostReads;
import dev.excon.Provenance;
import dev.excon.augment.SupConAugmentation;
import dev.excon.data.Batch;
import dev.excon.data.DataLoader;
import dev.excon.data.ImageDataset;
import dev.excon.loss.CrossEntropy;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ResNetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reference's joint protocol ({@code main_supcon.main}) for every method: each epoch trains the encoder for one
 * epoch (contrastive loss on two views; ExCon builds the first view from Grad-CAM masks), then the linear classifier
 * for one epoch on frozen features (with {@code probeEpochs > 0} instead a fit of that many epochs on cached features
 * of the un-augmented training images, {@link LinearProbe}), then measures top-1 accuracy on the validation split
 * (model selection) and the test set (reported only; with {@code validationFraction=0}, the reference's setting, there
 * is no validation split and the best epoch is the one with the best test accuracy). The CE baseline trains backbone
 * and classifier together instead.
 *
 * <p>With a run directory ({@link RunDirectory}: locked while training, updated as one unit), every epoch ends with
 * {@code last.ckpt} (the one before kept as {@code previous.ckpt}), {@code best.ckpt} when the selection accuracy
 * improves, and {@code history.csv}; {@link #fit()} on a directory holding a checkpoint of the same configuration
 * first repairs what an interrupted run left (saying what it did through {@link TrainingListener#onNote}), then
 * resumes after the newest intact epoch and continues exactly as an uninterrupted run would: batch order, views and
 * the schedule depend only on (seed, epoch, step).
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.preset("quick");
 * try (ExconTrainer t = ExconTrainer.create(config, TrainingData.load(config), Path.of("runs/quick"))) {
 *     t.addListener(new TrainingListener() { ... });
 *     TrainingResult r = t.fit();
 * }
 * }</pre>
 */
public final class ExconTrainer implements AutoCloseable {

    private final TrainConfig config;
    private final TrainingData data;
    private final Path directory;
    private final ExconNetwork net;
    private final Sgd encoderSgd;
    private final Sgd classifierSgd;
    private final EncoderStep step;
    private final SupConAugmentation classifierAugmentation;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private final List<EpochResult> history = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final String precisionNote;
    private Map<String, String> dataFingerprints;
    private int bestEpoch;
    private volatile boolean stopRequested;
    private Provenance provenance;

    private ExconTrainer(TrainConfig config, TrainingData data, Path directory, Device device) {
        this.config = config;
        this.data = data;
        this.directory = directory;
        int size = data.imageSize();
        this.net = ExconNetwork.builder().setSpec(ResNetSpec.byName(config.backbone())).setStats(data.stats())
                .setImageSize(size).setNumClasses(data.train().numClasses()).optProjectionDim(config.projectionDim())
                .optSeed(config.seed()).optDevice(device).build();
        dev.excon.model.Precision.Choice precision = dev.excon.model.Precision.choose(config.precision(), device);
        net.setPrecision(precision.precision());
        this.precisionNote = precision.note();
        if (config.method() == Method.CE) {
            List<ai.djl.nn.Parameter> all = new ArrayList<>(net.backboneParameters());
            all.addAll(net.classifierParameters());
            this.encoderSgd = new Sgd(all, config.momentum(), config.weightDecay());
            this.classifierSgd = null;
        } else {
            this.encoderSgd = new Sgd(net.encoderParameters(), config.momentum(), config.weightDecay());
            this.classifierSgd = new Sgd(net.classifierParameters(), config.momentum(), config.weightDecay());
        }
        this.step = new EncoderStep(config, net, data.stats());
        this.classifierAugmentation = EncoderStep.classifierAugmentation(size);
    }

    /**
     * A trainer for {@code config} on {@code data}, on the default device (the first GPU when DJL sees one).
     *
     * @param directory where checkpoints and the history go (created if needed), or null to keep nothing on disk
     */
    public static ExconTrainer create(TrainConfig config, TrainingData data, Path directory) {
        return create(config, data, directory, null);
    }

    /** As {@link #create(TrainConfig, TrainingData, Path)} on a chosen device (null = default). */
    public static ExconTrainer create(TrainConfig config, TrainingData data, Path directory, Device device) {
        ExconRuntime.init();
        return new ExconTrainer(config, data, directory, device != null ? device : ExconRuntime.defaultDevice());
    }

    /** Adds a progress listener. */
    public ExconTrainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** The network being trained. */
    public ExconNetwork network() {
        return net;
    }

    /** The configuration. */
    public TrainConfig config() {
        return config;
    }

    /** The data. */
    public TrainingData data() {
        return data;
    }

    /** The epochs completed so far. */
    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    /** Asks the run to stop at the next step boundary ({@link #fit()} then throws TrainingStoppedException). */
    public void requestStop() {
        stopRequested = true;
    }

    /** What produced this run (computes the training set's fingerprint once). */
    public Provenance provenance() {
        if (provenance == null) {
            provenance = Provenance.of(config.toString(), config.seed(), data.train().name(),
                    data.train().fingerprint(), net.device().toString());
        }
        return provenance;
    }

    /**
     * Loads a checkpoint of this configuration into the network and optimisers, e.g. a run's {@code best.ckpt} to
     * evaluate the epoch model selection chose. The history is left alone: {@link #fit()} still resumes from the run
     * directory's {@code last.ckpt}.
     *
     * @return what the checkpoint holds (its epoch, best epoch and history)
     * @throws Checkpoint.CheckpointException if the file is damaged, not a checkpoint, or written with another
     *     configuration
     */
    public Checkpoint.State restore(Path checkpoint) {
        Checkpoint.State peek = Checkpoint.peek(checkpoint);
        if (!peek.config().equals(config)) {
            throw new Checkpoint.CheckpointException(checkpoint + " was written with another configuration ("
                    + peek.config().differences(config, "there", "in this trainer") + "): build the trainer from the "
                    + "checkpoint's configuration (Checkpoint.peek(file).config())");
        }
        return Checkpoint.load(checkpoint, net, encoderSgd, classifierSgd);
    }

    /**
     * Trains until {@code config.epochs()}, resuming from the run directory's checkpoint when there is one.
     *
     * @throws TrainingDivergedException if the loss becomes NaN or infinite (the last good checkpoint stays)
     * @throws TrainingStoppedException if stopped by {@link #requestStop()} or a thread interrupt
     * @throws RunDirectoryException if another trainer holds the directory, it holds another configuration or other
     *     data, it cannot be repaired, or an epoch cannot be saved (the message names the cause and what was kept)
     * @throws Checkpoint.CheckpointException if the checkpoint to resume from does not fit this network
     */
    public TrainingResult fit() {
        ExconRuntime.noGradientRecording(); // this thread may not be the one that loaded the engine
        stopRequested = false;
        try (RunDirectory run = directory == null ? null : RunDirectory.open(directory)) {
            return fit(run);
        }
    }

    private TrainingResult fit(RunDirectory run) {
        int first = resume(run) + 1;
        DataLoader loader = loader(data.train(), true);
        for (TrainingListener l : listeners) {
            l.onStart(config, first, loader.batchesPerEpoch());
        }
        long runStart = System.nanoTime();
        for (int epoch = first; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            PhaseStats enc;
            double clsLoss = Double.NaN;
            double valAcc;
            double testAcc;
            try {
                enc = encoderEpoch(epoch, loader, runStart, first);
                if (classifierSgd != null) {
                    clsLoss = config.probeEpochs() > 0 ? probe(epoch, runStart, first)
                            : classifierEpoch(epoch, runStart, first);
                }
                valAcc = accuracy(data.validation());
                testAcc = accuracy(data.test());
            } catch (IllegalStateException e) {
                // An interrupt that arrives while the loader waits for a batch ends the wait with this exception
                // (interrupt flag kept): it is the same stop request, between two steps.
                if (Thread.interrupted()) {
                    throw new TrainingStoppedException("training stopped at epoch " + epoch + " while waiting for "
                            + "the next batch. " + lastGood() + (directory != null ? " Call fit() again to resume "
                            + "from there." : ""));
                }
                throw e;
            }
            // Without a validation split the reference's rule: the best test accuracy so far.
            double selection = config.selectsOnTest() ? testAcc : valAcc;
            boolean best = bestEpoch == 0 || selection > bestSelectionAccuracy();
            if (best) {
                bestEpoch = epoch;
            }
            EpochResult r = new EpochResult(epoch, enc.meanLoss(), clsLoss, valAcc, testAcc, enc.acceptanceRate(),
                    enc.background, enc.lastLr, (System.nanoTime() - start) / 1e9, best);
            history.add(r);
            if (run != null) {
                run.commit(config, epoch, bestEpoch, history, best, net, encoderSgd, classifierSgd);
            }
            for (TrainingListener l : listeners) {
                l.onEpoch(r);
            }
        }
        TrainingResult result = new TrainingResult(config, List.copyOf(history), bestEpoch, provenance(), directory);
        for (TrainingListener l : listeners) {
            l.onEnd(result);
        }
        return result;
    }

    private double bestSelectionAccuracy() {
        return history.stream().filter(e -> e.epoch() == bestEpoch).mapToDouble(EpochResult::selectionAccuracy)
                .findFirst().orElse(Double.NEGATIVE_INFINITY);
    }

    /**
     * Brings the run directory into order (see {@link RunDirectory#recover}) and loads the checkpoint it resumes from;
     * returns the last completed epoch (0 for a new run). What was repaired goes to the listeners' {@code onNote}.
     */
    private int resume(RunDirectory run) {
        history.clear();
        bestEpoch = 0;
        notes.clear();
        if (!precisionNote.isEmpty()) {
            notes.add(precisionNote);
            for (TrainingListener l : listeners) {
                l.onNote(precisionNote);
            }
        }
        if (run == null) {
            return 0;
        }
        Map<String, String> fingerprints = dataFingerprints();
        RunDirectory.Recovery r = run.recover(config, fingerprints);
        List<String> said = new ArrayList<>(r.notes());
        String configNote = run.writeConfig(config);
        if (configNote != null) {
            said.add(configNote);
        }
        run.recordData(fingerprints);
        for (String note : said) {
            notes.add(note);
            for (TrainingListener l : listeners) {
                l.onNote(note);
            }
        }
        if (r.state() == null) {
            return 0;
        }
        Checkpoint.State s = Checkpoint.load(r.checkpoint(), net, encoderSgd, classifierSgd);
        history.addAll(s.history());
        bestEpoch = s.bestEpoch();
        return s.epoch();
    }

    /** The data's fingerprints, computed once per trainer (hashing a large training set takes a moment). */
    private Map<String, String> dataFingerprints() {
        if (dataFingerprints == null) {
            dataFingerprints = DataFingerprint.of(data);
        }
        return dataFingerprints;
    }

    /**
     * What the last {@link #fit()} said when it started: what it repaired in the run directory, and a precision it
     * could not honour (empty when nothing).
     */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private DataLoader loader(ImageDataset d, boolean shuffle) {
        return DataLoader.builder(d).setBatchSize(config.batchSize()).optShuffle(shuffle).optSeed(config.seed())
                .optDevice(net.device()).build();
    }

    /** Per-phase running totals. */
    private static final class PhaseStats {
        double lossSum;
        int steps;
        long images;
        long accepted;
        long explained;
        long background;
        float lastLr;

        double meanLoss() {
            return steps == 0 ? Double.NaN : lossSum / steps;
        }

        double acceptanceRate() {
            return explained == 0 ? Double.NaN : (double) accepted / explained;
        }
    }

    private PhaseStats encoderEpoch(int epoch, DataLoader loader, long runStart, int firstEpoch) {
        PhaseStats st = new PhaseStats();
        LearningRateSchedule schedule = config.schedule();
        long start = System.nanoTime();
        int steps = loader.batchesPerEpoch();
        try (NDManager epochManager = net.manager().newSubManager();
                DataLoader.Epoch batches = loader.epoch(epoch, epochManager)) {
            for (Batch batch : batches) {
                try (batch) {
                    checkStop(epoch, st.steps + 1, steps);
                    float lr = schedule.rate(epoch, st.steps, steps);
                    SplittableRandom rng = stepRandom(epoch, st.steps, 0);
                    EncoderStep.Outcome out = step.run(batch.images(), batch.labels(), config.explainsAt(epoch), rng);
                    if (!Float.isFinite(out.loss())) {
                        throw diverged(epoch, st.steps + 1, lr, st, batch, out.loss());
                    }
                    encoderSgd.step(lr);
                    PausePoints.reach("encoder step");
                    st.lossSum += out.loss();
                    st.steps++;
                    st.images += batch.size();
                    st.accepted += out.accepted();
                    st.explained += out.explained();
                    st.background += out.background();
                    st.lastLr = lr;
                    double seconds = (System.nanoTime() - start) / 1e9;
                    StepEvent e = new StepEvent(StepEvent.Phase.ENCODER, epoch, config.epochs(), st.steps, steps,
                            out.loss(), lr, out.explained() == 0 ? Double.NaN : (double) out.accepted() / out.explained(),
                            out.background(), st.images / seconds, eta(runStart, firstEpoch, epoch, st.steps, steps));
                    for (TrainingListener l : listeners) {
                        l.onStep(e);
                    }
                }
            }
        }
        return st;
    }

    private double classifierEpoch(int epoch, long runStart, int firstEpoch) {
        LearningRateSchedule schedule = config.classifierSchedule();
        // Its own shuffle, as the reference's separate classifier loader.
        DataLoader loader = DataLoader.builder(data.train()).setBatchSize(config.batchSize())
                .optSeed(config.seed() ^ 0x5DEECE66DL).optDevice(net.device()).build();
        int steps = loader.batchesPerEpoch();
        double lossSum = 0;
        int done = 0;
        long images = 0;
        long start = System.nanoTime();
        try (NDManager epochManager = net.manager().newSubManager();
                DataLoader.Epoch batches = loader.epoch(epoch, epochManager)) {
            for (Batch batch : batches) {
                try (batch) {
                    checkStop(epoch, done + 1, steps);
                    float lr = schedule.rate(epoch, done, steps);
                    NDArray v = classifierAugmentation.apply(batch.images(), stepRandom(epoch, done, 1));
                    NDArray features = net.features(v, false); // outside the collector: the encoder stays frozen
                    float loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray l = CrossEntropy.mean(net.classify(features), batch.labels());
                        gc.backward(l);
                        loss = HostReads.scalar(l); // the classifier step's one host read
                    }
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException("the linear classifier's loss became " + loss
                                + " at epoch " + epoch + ", step " + (done + 1) + " (lr " + lr + "): the features are "
                                + "not finite or the rate is too high; lower learningRate. " + lastGood());
                    }
                    classifierSgd.step(lr);
                    PausePoints.reach("classifier step");
                    lossSum += loss;
                    done++;
                    images += batch.size();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    StepEvent e = new StepEvent(StepEvent.Phase.CLASSIFIER, epoch, config.epochs(), done, steps, loss,
                            lr, Double.NaN, 0, images / seconds, eta(runStart, firstEpoch, epoch, steps, steps));
                    for (TrainingListener l : listeners) {
                        l.onStep(e);
                    }
                }
            }
        }
        return lossSum / Math.max(1, done);
    }

    /**
     * Linear evaluation on frozen features ({@code probeEpochs > 0}): encodes the un-augmented training images once
     * (evaluation mode, no gradient), then trains the classifier for {@code probeEpochs} SGD epochs on the cached,
     * standardised features ({@link LinearProbe}), batches of {@code max(batchSize, 256)} (the step count, not the
     * arithmetic, is what costs here) in an order drawn from (seed, epoch, probe epoch), the rate falling by a cosine
     * from the classifier's peak to 0.1% of it over the fit. It continues from the previous epoch's classifier (in
     * the checkpoint, so a resumed run stays exact): the features move little from one epoch to the next, and a warm
     * start reached 81.3% where a fresh fit of the same length reached 79.3% (measured on quick's SupCon features,
     * before the probe standardised them).
     *
     * @return the fitted classifier's mean cross-entropy on the cached training features
     */
    private double probe(int epoch, long runStart, int firstEpoch) {
        LinearProbe probe = new LinearProbe(net, classifierSgd, config.probeEpochs(),
                Math.max(config.batchSize(), 256), config.classifierSchedule().baseLr());
        long start = System.nanoTime();
        try (NDManager m = net.manager().newSubManager()) {
            NDArray[] cached = cachedFeatures(m);
            try {
                return fitProbe(probe, cached, epoch, start, eta(runStart, firstEpoch, epoch, 1, 1));
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(e.getMessage() + " (epoch " + epoch + "). " + lastGood());
            }
        }
    }

    private double fitProbe(LinearProbe probe, NDArray[] cached, int epoch, long start, Duration eta) {
        long n = cached[0].getShape().get(0);
        return probe.fit(cached[0], cached[1], k -> stepRandom(epoch, k, 2), (k, loss, lr) -> {
            checkStop(epoch, k, config.probeEpochs());
            StepEvent e = new StepEvent(StepEvent.Phase.CLASSIFIER, epoch, config.epochs(), k, config.probeEpochs(),
                    (float) loss, lr, Double.NaN, 0, n * k / ((System.nanoTime() - start) / 1e9), eta);
            for (TrainingListener l : listeners) {
                l.onStep(e);
            }
        });
    }

    /** Features (N, d) and labels (N) of the un-augmented training images, evaluation mode, in {@code m}. */
    private NDArray[] cachedFeatures(NDManager m) {
        ExconRuntime.noGradientRecording();
        DataLoader loader = DataLoader.builder(data.train()).setBatchSize(Math.max(config.batchSize(), 256))
                .optShuffle(false).optDevice(net.device()).build();
        ai.djl.ndarray.NDList features = new ai.djl.ndarray.NDList();
        ai.djl.ndarray.NDList labels = new ai.djl.ndarray.NDList();
        try (NDManager pass = m.newSubManager(); DataLoader.Epoch batches = loader.epoch(0, pass)) {
            for (Batch b : batches) {
                try (b) {
                    NDArray f = net.features(b.images(), false);
                    f.attach(m);
                    NDArray y = b.labels().duplicate();
                    y.attach(m);
                    features.add(f);
                    labels.add(y);
                }
            }
        }
        NDArray x = ai.djl.ndarray.NDArrays.concat(features);
        NDArray y = ai.djl.ndarray.NDArrays.concat(labels);
        x.attach(m);
        y.attach(m);
        features.close();
        labels.close();
        return new NDArray[] {x, y};
    }

    /** Top-1 accuracy of the classifier on backbone features, evaluation mode; NaN for an empty set. */
    public double accuracy(ImageDataset d) {
        if (d.size() == 0) {
            return Double.NaN; // no validation split (validationFraction=0)
        }
        ExconRuntime.noGradientRecording();
        DataLoader loader = DataLoader.builder(d).setBatchSize(Math.max(config.batchSize(), 256)).optShuffle(false)
                .optDevice(net.device()).build();
        long correct = 0;
        try (NDManager m = net.manager().newSubManager(); DataLoader.Epoch batches = loader.epoch(0, m)) {
            NDArray count = null; // summed on the device and read once, not once per batch
            for (Batch batch : batches) {
                try (batch) {
                    NDArray predicted = net.logits(batch.images()).argMax(1);
                    NDArray c = predicted.eq(batch.labels()).sum();
                    c.attach(m);
                    if (count == null) {
                        count = c;
                    } else {
                        count.addi(c);
                        c.close();
                    }
                }
            }
            if (count != null) {
                correct = HostReads.longs(count)[0];
            }
        }
        return (double) correct / d.size();
    }

    private void checkStop(int epoch, int step, int steps) {
        if (stopRequested || Thread.currentThread().isInterrupted()) {
            Thread.interrupted();
            throw new TrainingStoppedException("training stopped at epoch " + epoch + ", step " + step + " of " + steps
                    + ". " + lastGood() + (directory != null ? " Call fit() again to resume from there." : ""));
        }
    }

    private String lastGood() {
        if (directory == null || history.isEmpty()) {
            return history.isEmpty() ? "No epoch was completed." : "The network holds epoch "
                    + history.get(history.size() - 1).epoch() + " (no run directory, nothing on disk).";
        }
        return "The last good checkpoint is epoch " + history.get(history.size() - 1).epoch() + " in "
                + directory.resolve("last.ckpt") + ".";
    }

    private TrainingDivergedException diverged(int epoch, int step, float lr, PhaseStats st, Batch batch, float loss) {
        NDArray x = batch.images();
        boolean inputsFinite = !HostReads.flag(x.isNaN().any()) && !HostReads.flag(x.isInfinite().any());
        boolean paramsFinite = true;
        for (ai.djl.nn.Parameter p : net.encoderParameters()) {
            NDArray w = p.getArray();
            if (HostReads.flag(w.isNaN().any()) || HostReads.flag(w.isInfinite().any())) {
                paramsFinite = false;
                break;
            }
        }
        encoderSgd.zeroGradients();
        return new TrainingDivergedException("the encoder loss became " + loss + " at epoch " + epoch + ", step "
                + step + " (" + config.method() + ", lr " + lr + ", last mean loss "
                + (st.steps == 0 ? "none yet" : String.format("%.4f", st.meanLoss())) + "); inputs finite: "
                + (inputsFinite ? "yes" : "NO - check the data") + "; parameters finite: "
                + (paramsFinite ? "yes" : "NO") + ". Lower learningRate (now " + config.learningRate()
                + "), use warmEpochs, or raise temperature (now " + config.temperature() + "). " + lastGood());
    }

    private Duration eta(long runStart, int firstEpoch, int epoch, int step, int steps) {
        double elapsed = (System.nanoTime() - runStart) / 1e9;
        double epochsDone = (epoch - firstEpoch) + (double) step / Math.max(1, steps) * 0.5;
        if (epochsDone <= 0) {
            return Duration.ZERO;
        }
        double remaining = elapsed / epochsDone * (config.epochs() - firstEpoch + 1 - epochsDone);
        return Duration.ofMillis((long) (Math.max(0, remaining) * 1000));
    }

    /** A generator for (epoch, step, stream): the views of a step do not depend on anything that came before. */
    private SplittableRandom stepRandom(int epoch, int step, int stream) {
        long h = config.seed();
        h = h * 0x9E3779B97F4A7C15L + epoch;
        h = h * 0x9E3779B97F4A7C15L + step;
        h = h * 0x9E3779B97F4A7C15L + stream;
        return new SplittableRandom(h);
    }

    @Override
    public void close() {
        net.close();
    }

    @Override
    public String toString() {
        return "ExconTrainer[" + config + ", " + net + "]";
    }
}
