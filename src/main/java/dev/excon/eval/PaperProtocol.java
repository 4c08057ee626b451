package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.ExconRuntime;
import dev.excon.Provenance;
import dev.excon.data.Batch;
import dev.excon.data.Cifar100C;
import dev.excon.data.DataLoader;
import dev.excon.data.DataPaths;
import dev.excon.data.ImageDataset;
import dev.excon.data.Splits;
import dev.excon.data.verify.DataVerifier;
import dev.excon.data.verify.KnownDataset;
import dev.excon.eval.corruption.CorruptionSuite;
import dev.excon.eval.embedding.FeatureSubset;
import dev.excon.eval.embedding.Tsne;
import dev.excon.eval.embedding.TsneParameters;
import dev.excon.eval.embedding.TsneResult;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ImageModel;
import dev.excon.model.GradientHazards;
import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explainers;
import dev.excon.saliency.GradCam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The paper's evaluation protocol and more, in one call for one trained run: test accuracy; the reference's
 * explanation scores and deletion/insertion curves (predicted class, Grad-CAM); FGSM and PGD over an epsilon grid
 * with calibration under the FGSM shift (what the reference measures); clean calibration before and after
 * temperature scaling fitted on the validation split; calibration and accuracy on corrupted test images per
 * corruption and severity (the official CIFAR-100-C files for CIFAR-100 when present, else the CIFAR-C-like suite
 * generated on the fly); and a t-SNE of backbone features for a class subset. Any {@link ImageModel} can be evaluated:
 * the library's network, a user-built DJL block or a TorchScript file ({@link dev.excon.model.BlockModel}); the
 * explanation scores then need an explainer that reaches it (Grad-CAM with a layer path, or a gradient explainer)
 * and a fill colour, and the t-SNE embeds the logits. Every calibration (clean, scaled, under
 * FGSM and PGD, under corruptions) uses 10 equal-width bins with one edge convention, {@link #binEdges()}: (a, b] by
 * default, {@code optBinEdges(BinEdges.NETCAL)} for the reference's netcal ECE; each calibration result records it.
 *
 * <pre>{@code
 * ProtocolResult r = PaperProtocol.builder().optTestLimit(1000).build()
 *         .evaluate("ExCon", trainer.network(), trainer.data().validation(), trainer.data().test(),
 *                 trainer.provenance());
 * }</pre>
 */
public final class PaperProtocol {

    private final int testLimit;
    private final int corruptionLimit;
    private final int batchSize;
    private final double[] epsilons;
    private final boolean pgd;
    private final int pgdLimit;
    private final boolean corruptions;
    private final long corruptionSeed;
    private final Path officialCifar100C;
    private final boolean tsne;
    private final int tsneClasses;
    private final int tsnePerClass;
    private final int deletionSteps;
    private final BinEdges binEdges;
    private final Explainer explainer;
    private final long seed;
    private final Consumer<String> progress;

    private PaperProtocol(Builder b) {
        this.testLimit = b.testLimit;
        this.corruptionLimit = b.corruptionLimit;
        this.batchSize = b.batchSize;
        this.epsilons = b.epsilons.clone();
        this.pgd = b.pgd;
        this.pgdLimit = b.pgdLimit;
        this.corruptions = b.corruptions;
        this.corruptionSeed = b.corruptionSeed;
        this.officialCifar100C = b.officialCifar100C;
        this.tsne = b.tsne;
        this.tsneClasses = b.tsneClasses;
        this.tsnePerClass = b.tsnePerClass;
        this.deletionSteps = b.deletionSteps;
        this.binEdges = b.binEdges;
        this.explainer = b.explainer;
        this.seed = b.seed;
        this.progress = b.progress;
    }

    /** A builder with the defaults below. */
    public static Builder builder() {
        return new Builder();
    }

    /** The edge convention of every calibration this protocol computes. */
    public BinEdges binEdges() {
        return binEdges;
    }

    /** The calibration measure of every phase: 10 equal-width bins with {@link #binEdges()}, 10 equal-mass bins. */
    public Calibration calibration() {
        return Calibration.withBins(Calibration.DEFAULT_BINS, Calibration.DEFAULT_BINS, binEdges);
    }

    /**
     * Evaluates one model.
     *
     * @param run the name shown in tables and legends
     * @param net the trained model: logits of images in [0, 1]
     * @param validation the validation split (temperature scaling is fitted on it, never on the test set); when empty
     *     (a run without one, as the reference's) temperature scaling is left out
     * @param test the test set
     * @param provenance what produced the model (attached to every result, with a {@code model=} line naming the
     *     model), or null for one describing the model and the test set
     */
    public ProtocolResult evaluate(String run, ImageModel net, ImageDataset validation, ImageDataset test,
            Provenance provenance) {
        ExconRuntime.noGradientRecording();
        long start = System.nanoTime();
        provenance = provenance != null ? provenance.withModel(net.description())
                : Provenance.of("model=" + net.description() + "\n", seed, test.name(), test.fingerprint(),
                        net.device().toString());
        checkReachable(net);
        ImageDataset t = limit(test, testLimit);
        if (tsne) {
            checkTsneSize(t);
        }
        // Chosen (and the official files verified) before the long passes, so a damaged copy stops the run at once.
        CorruptionSuite suite = corruptions ? suite(test) : null;
        step(run + ": accuracy and calibration on " + t.size() + " test images");
        Logits testLogits = Logits.collect(net, t, batchSize);
        AccuracyResult accuracy = Accuracy.of(testLogits).withProvenance(provenance);
        Calibration calibration = calibration();
        CalibrationResult clean = calibration.ofLogits(testLogits).withProvenance(provenance);
        TemperatureScaling temperature = null;
        CalibrationResult scaled = null;
        if (validation.size() > 0) {
            temperature = TemperatureScaling.fit(Logits.collect(net, validation, batchSize)).withProvenance(provenance);
            scaled = calibration.ofLogits(temperature.apply(testLogits)).withProvenance(provenance);
        } else {
            // Fitting on the test set would report a calibration the method cannot reach: leave it out.
            step(run + ": no validation split (validationFraction=0), so no temperature scaling");
        }

        step(run + ": drop/increase and deletion/insertion (" + explainer + ")");
        DropIncreaseResult drop = DropIncrease.builder().optExplainer(explainer).optBatchSize(batchSize).build()
                .evaluate(net, t).withProvenance(provenance);
        DeletionInsertionResult curves = DeletionInsertion.builder().optExplainer(explainer).optSteps(deletionSteps)
                .optBatchSize(batchSize).build().evaluate(net, t).withProvenance(provenance);

        step(run + ": FGSM over " + java.util.Arrays.toString(epsilons) + " /255");
        RobustnessResult fgsm = Robustness.builder().optEpsilons(epsilons).optBatchSize(batchSize)
                .optCalibration(calibration).build().evaluate(net, t).withProvenance(provenance);
        RobustnessResult pgdResult = null;
        if (pgd) {
            ImageDataset tp = limit(t, pgdLimit); // ten gradient steps per epsilon: the protocol's costliest part
            step(run + ": PGD over " + java.util.Arrays.toString(epsilons) + " /255 on " + tp.size() + " images");
            pgdResult = Robustness.builder().optEpsilons(epsilons).optBatchSize(batchSize).optCalibration(calibration)
                    .optAttack(Attacks.pgd(epsilons[0]).withSeed(seed)) // step 2.5 eps / 10 at every eps
                    .build().evaluate(net, tp).withProvenance(provenance);
        }

        Map<String, double[]> corruptionAccuracy = new LinkedHashMap<>();
        Map<String, double[]> corruptionEce = new LinkedHashMap<>();
        String suiteName = "none";
        if (corruptions) {
            suiteName = suite.description();
            for (String c : suite.corruptions()) {
                step(run + ": " + c + " at severities 1-" + suite.severities());
                double[] acc = new double[suite.severities()];
                double[] ece = new double[suite.severities()];
                for (int s = 1; s <= suite.severities(); s++) {
                    ImageDataset corrupted = limit(suite.load(c, s), corruptionLimit);
                    Logits l = Logits.collect(net, corrupted, batchSize);
                    acc[s - 1] = Accuracy.of(l).top1();
                    ece[s - 1] = calibration.ofLogits(l).ece();
                }
                corruptionAccuracy.put(c, acc);
                corruptionEce.put(c, ece);
            }
        }

        TsneResult embedding = null;
        if (tsne) {
            step(run + ": t-SNE of " + (net instanceof ExconNetwork ? "backbone features" : "logits"));
            embedding = tsne(net, t);
        }
        return new ProtocolResult(run, accuracy, drop, curves, fgsm, pgdResult, clean, temperature, scaled,
                suiteName, corruptionAccuracy, corruptionEce, embedding, provenance,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The official CIFAR-100-C when the test set is CIFAR-100's and the files are there (checked against the
     * published checksum first, {@link DataVerifier#onFirstUse}), else CIFAR-C-like.
     */
    private CorruptionSuite suite(ImageDataset test) {
        if (test.numClasses() == 100 && test.height() == 32) {
            Path official = officialCifar100C != null ? officialCifar100C : DataPaths.cifar100c();
            if (Files.isDirectory(official) && !Cifar100C.corruptions(official).isEmpty()) {
                DataVerifier.onFirstUse(KnownDataset.CIFAR100_C, official);
                return CorruptionSuite.official(official);
            }
        }
        return CorruptionSuite.generated(limit(test, corruptionLimit), corruptionSeed);
    }

    /** Refuses before the long passes a model the explanation scores cannot run on. */
    private void checkReachable(ImageModel net) {
        if (!net.gradientHazards().isEmpty()) {
            throw new IllegalArgumentException(GradientHazards.message(net));
        }
        if (explainer instanceof GradCam g && g.layer() == null && !(net instanceof ExconNetwork)) {
            throw new IllegalArgumentException("the explanation scores use " + explainer + ", which needs a layer "
                    + "on " + net.description() + ": optExplainer(GradCam.builder().optLayer(\"path\").build()) "
                    + "with a path from Layers.list(model), or a gradient explainer (Explainers.inputGradient())");
        }
        if (net.meanColour() == null) {
            throw new IllegalArgumentException(net.description() + " does not know its data set's mean colour, "
                    + "which the explanation scores fill removed pixels with: build it with optMeanColour(...) "
                    + "(e.g. data.stats().mean())");
        }
    }

    /** Refuses before the long passes, not after them, when the t-SNE subset is too small for its perplexity. */
    private void checkTsneSize(ImageDataset t) {
        int classes = Math.min(tsneClasses, t.numClasses());
        int[] counts = new int[t.numClasses()];
        for (int y : t.labels()) {
            counts[y]++;
        }
        int points = 0;
        for (int c = 0; c < classes; c++) {
            points += Math.min(tsnePerClass, counts[c]);
        }
        double perplexity = TsneParameters.defaults().perplexity();
        if (points - 1 <= perplexity) {
            throw new IllegalArgumentException("the t-SNE would embed " + points + " points (the first " + classes
                    + " classes, at most " + tsnePerClass + " each, of " + t.size() + " test images) but its "
                    + "perplexity " + perplexity + " needs at least " + ((int) Math.floor(perplexity) + 2)
                    + ": evaluate more test images, more t-SNE classes or images per class, or turn the t-SNE off");
        }
    }

    private TsneResult tsne(ImageModel net, ImageDataset data) {
        DataLoader loader = DataLoader.builder(data).setBatchSize(batchSize).optShuffle(false)
                .optDevice(net.device()).build();
        float[][] features = new float[data.size()][];
        int[] labels = data.labels();
        int row = 0;
        try (NDManager m = NDManager.newBaseManager(net.device()); DataLoader.Epoch epoch = loader.epoch(0, m)) {
            for (Batch b : epoch) {
                try (b) {
                    NDArray f = net.features(b.images());
                    int d = (int) f.getShape().get(1);
                    float[] flat = f.toFloatArray();
                    for (int i = 0; i < b.size(); i++) {
                        features[row++] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                    }
                }
            }
        }
        FeatureSubset subset = FeatureSubset.firstClasses(features, labels,
                Math.min(tsneClasses, data.numClasses()), tsnePerClass, seed);
        return Tsne.embed(subset.features(), subset.labels(), data.classNames());
    }

    private ImageDataset limit(ImageDataset d, int n) {
        if (n <= 0 || n >= d.size()) {
            return d;
        }
        return Splits.perClass(d, Math.max(1, n / d.numClasses()), seed);
    }

    private void step(String message) {
        if (progress != null) {
            progress.accept(message);
        }
    }

    @Override
    public String toString() {
        return "PaperProtocol[testLimit=" + testLimit + ", corruptionLimit=" + corruptionLimit + ", batchSize="
                + batchSize + ", epsilons=" + java.util.Arrays.toString(epsilons) + ", pgd=" + pgd
                + (pgdLimit > 0 ? " (" + pgdLimit + " images)" : "") + ", corruptions="
                + corruptions + ", tsne=" + tsne + " (" + tsneClasses + " classes x " + tsnePerClass
                + "), deletionSteps=" + deletionSteps + ", binEdges=" + binEdges + " (" + binEdges.description()
                + "), explainer=" + explainer + ", seed=" + seed + "]";
    }

    /** Options of the protocol. */
    public static final class Builder {
        private int testLimit;
        private int corruptionLimit = 1000;
        private int batchSize = 128;
        private double[] epsilons = Robustness.DEFAULT_EPSILONS.clone();
        private boolean pgd = true;
        private int pgdLimit;
        private boolean corruptions = true;
        private long corruptionSeed = 42;
        private Path officialCifar100C;
        private boolean tsne = true;
        private int tsneClasses = 10;
        private int tsnePerClass = 50;
        private int deletionSteps = DeletionInsertion.DEFAULT_STEPS;
        private BinEdges binEdges = BinEdges.RIGHT_CLOSED;
        private Explainer explainer = Explainers.gradCam();
        private long seed = 1;
        private Consumer<String> progress;

        private Builder() {}

        /** Evaluate on at most this many test images (class-balanced, seeded); default 0 = all. */
        public Builder optTestLimit(int n) {
            this.testLimit = n;
            return this;
        }

        /** Images per corruption and severity; default 1,000 (55 passes over them for the 11 x 5 grid). */
        public Builder optCorruptionLimit(int n) {
            this.corruptionLimit = n;
            return this;
        }

        /** Batch size of every pass; default 128. */
        public Builder optBatchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** The epsilon grid in /255; default 1, 2, 4, 8. */
        public Builder optEpsilons(double... e) {
            this.epsilons = e.clone();
            return this;
        }

        /** Also run PGD (10 steps of 2.5 eps / 10, random start); default true. */
        public Builder optPgd(boolean on) {
            this.pgd = on;
            return this;
        }

        /**
         * PGD on at most this many of the test images (class-balanced, seeded); default 0 = all of them. PGD costs
         * ten forward and backward passes per image and epsilon, so quick runs attack a subset; its clean accuracy
         * is then that of the subset.
         */
        public Builder optPgdLimit(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("pgdLimit=" + n + " must be >= 0 (0 = every test image)");
            }
            this.pgdLimit = n;
            return this;
        }

        /** Evaluate under corruptions; default true. */
        public Builder optCorruptions(boolean on) {
            this.corruptions = on;
            return this;
        }

        /** Seed of the generated CIFAR-C-like corruptions; default 42. */
        public Builder optCorruptionSeed(long s) {
            this.corruptionSeed = s;
            return this;
        }

        /** Where the official CIFAR-100-C files are; default {@code DataPaths.cifar100c()}. */
        public Builder optOfficialCifar100C(Path dir) {
            this.officialCifar100C = dir;
            return this;
        }

        /** Run the t-SNE of backbone features; default true, on the first 10 classes, 50 images each. */
        public Builder optTsne(boolean on, int classes, int perClass) {
            this.tsne = on;
            this.tsneClasses = classes;
            this.tsnePerClass = perClass;
            return this;
        }

        /** Points of the deletion and insertion curves; default 10. */
        public Builder optDeletionSteps(int steps) {
            this.deletionSteps = steps;
            return this;
        }

        /**
         * The edge convention of every calibration's equal-width bins (clean, temperature-scaled, FGSM and PGD,
         * corruptions); default {@link BinEdges#RIGHT_CLOSED} ({@code (a, b]}, Guo et al.), {@link BinEdges#NETCAL}
         * for the reference's netcal ECE.
         */
        public Builder optBinEdges(BinEdges edges) {
            if (edges == null) {
                throw new IllegalArgumentException("binEdges is null: pass BinEdges.RIGHT_CLOSED (the default) or "
                        + "BinEdges.NETCAL, e.g. BinEdges.parse(\"netcal\")");
            }
            this.binEdges = edges;
            return this;
        }

        /** The explainer of the explanation scores; default Grad-CAM (the reference's). */
        public Builder optExplainer(Explainer e) {
            this.explainer = e;
            return this;
        }

        /** Seed of the subsets and PGD's random start; default 1. */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** Receives one line per phase (for a progress display); default none. */
        public Builder optProgress(Consumer<String> p) {
            this.progress = p;
            return this;
        }

        /** Validates and builds. */
        public PaperProtocol build() {
            if (batchSize < 1 || testLimit < 0 || corruptionLimit < 0 || epsilons.length == 0 || deletionSteps < 1) {
                throw new IllegalArgumentException("batchSize=" + batchSize + ", testLimit=" + testLimit
                        + ", corruptionLimit=" + corruptionLimit + ", " + epsilons.length + " epsilons, deletionSteps="
                        + deletionSteps + ": need batchSize >= 1, limits >= 0, at least one epsilon, steps >= 1");
            }
            if (tsne && (tsneClasses < 1 || tsnePerClass < 1)) {
                throw new IllegalArgumentException("t-SNE on " + tsneClasses + " classes x " + tsnePerClass
                        + " images: need at least 1 of each, or optTsne(false, ...)");
            }
            for (double e : epsilons) {
                if (!(e > 0)) {
                    throw new IllegalArgumentException("epsilon " + e + "/255 must be positive");
                }
            }
            return new PaperProtocol(this);
        }
    }

    /** Evaluates several runs with the same protocol. */
    public List<ProtocolResult> evaluateAll(List<Run> runs) {
        List<ProtocolResult> out = new ArrayList<>();
        for (Run r : runs) {
            out.add(evaluate(r.name(), r.net(), r.validation(), r.test(), r.provenance()));
        }
        return out;
    }

    /** One run to evaluate. */
    public record Run(String name, ImageModel net, ImageDataset validation, ImageDataset test,
            Provenance provenance) {}
}
