package dev.excon.train;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Everything that defines a training run, immutable and validated. Start from a preset ({@link #preset}) and change
 * what you need with {@link #toBuilder()}; {@link #toString()} prints every value, and {@link #toProperties()} /
 * {@link #fromProperties} round-trip it for checkpoints and provenance.
 *
 * @param name the run's preset or label
 * @param method the training method
 * @param dataset {@code fashion-mnist}, {@code cifar10}, {@code cifar100} or {@code tiny-imagenet}
 * @param backbone {@code small}, {@code resnet18}, {@code resnet34}, {@code resnet50} or {@code resnet101}
 * @param batchSize images per step before views and background samples (256 for CIFAR-100 in the reference)
 * @param epochs joint epochs: each an encoder epoch, a linear-classifier epoch (or fit, see {@code probeEpochs}) and a
 *     validation pass
 * @param learningRate peak rate of the encoder's optimiser (0.5 in the reference)
 * @param classifierLearningRate peak rate of the linear classifier's optimiser; 0 = {@code learningRate}, as in the
 *     reference (the quick preset uses a lower one: few steps on unnormalised features oscillate at high rates)
 * @param probeEpochs how the linear classifier is trained after each encoder epoch: 0 = the reference's joint
 *     protocol (one SGD epoch on augmented views through the frozen encoder); N &gt; 0 = linear evaluation on frozen
 *     features, as in SSL papers (a deviation from the reference): the un-augmented training images are encoded once
 *     (evaluation mode, no gradient) and the classifier, continuing from the previous epoch's, takes N SGD epochs on
 *     those cached features, standardised per dimension, in batches of {@code max(batchSize, 256)}, with a cosine
 *     decay from {@code classifierLearningRate} within the fit. Default 0; the quick preset uses it because one epoch
 *     on augmented views leaves the probe far from its optimum
 * @param momentum SGD momentum (0.9)
 * @param weightDecay SGD weight decay (1e-4)
 * @param warmEpochs linear warm-up epochs; -1 = the reference's rule (10 when batchSize > 256, else none)
 * @param temperature SupCon temperature (0.1)
 * @param baseTemperature SupCon base temperature (0.07); the loss is scaled by temperature / baseTemperature
 * @param expEpochs epochs of plain SupCon before explanations start: explanations are used from 1-based epoch {@code
 *     expEpochs} on, as in the reference's {@code epoch < exp_epochs} test (50 for CIFAR-100, 0 for Tiny ImageNet)
 * @param maskThreshold keep pixels whose min-max-normalised saliency exceeds this (0.5)
 * @param explainer the saliency method that builds the masked views, by the reference's {@code --explainer} name:
 *     {@code GradCAM} (the reference's), {@code InputGradient}, {@code Saliency} (Captum's: absolute input
 *     gradient), {@code IntegratedGradients} or {@code SmoothGrad}
 * @param explanationBatchNorm batch norm in the explanation and acceptance passes of a training step: {@code EVAL}
 *     (running statistics, untouched; the default here) or {@code TRAIN} (the reference: batch statistics, and the
 *     saliency pass, the prediction on the masked images and the unused prediction on the standard views each update
 *     the running statistics)
 * @param backgroundAnchor ExConB only: true = background samples are a class of their own (anchors, positives of
 *     each other); false = negatives only (the reference README's runs)
 * @param shareBackgroundRows ExConB only: encode each background image once and use its embedding in both views (the
 *     reference puts it in both view batches, so the encoder sees it twice); the loss and its gradient are the same,
 *     only batch norm weighs background images once instead of twice. Saves about a quarter of the encoder's work
 *     when many masks are rejected; false reproduces the reference's batches exactly
 * @param validationFraction share of the training set held out, stratified, for model selection (0.2); 0 = none, as
 *     the reference's {@code --validation=0}: every training image is trained on and the "best" epoch is chosen on
 *     test accuracy (optimistic, and labelled so wherever it is shown)
 * @param trainLimit use at most this many training images (class-balanced sample), 0 = all; for quick runs
 * @param testLimit evaluate on at most this many test images, 0 = all
 * @param projectionDim embedding size of the projection head (128)
 * @param seed the seed of everything: initialisation, split, batch order, views
 * @param calibrationBins the ECE bin convention of the evaluation: {@code right-closed} ((a, b], Guo et al.; the
 *     default) or {@code netcal} (netcal's, which the reference uses)
 * @param evaluateCheckpoint which checkpoint the evaluation protocol reads by default: {@code best} (model selection;
 *     the default) or {@code last} (the reference computes its explanation scores on the last model)
 * @param precision the number format of the backbone's convolutions in training: {@code fp32} (the reference; the
 *     default) or {@code bf16} (mixed precision: convolutions in bfloat16, weights, batch norm, loss and optimiser
 *     in fp32; on a GPU, or a CPU with bfloat16 instructions, else the run falls back to fp32 with a note; see
 *     {@link dev.excon.model.Precision})
 */
public record TrainConfig(
        String name,
        Method method,
        String dataset,
        String backbone,
        int batchSize,
        int epochs,
        float learningRate,
        float classifierLearningRate,
        int probeEpochs,
        float momentum,
        float weightDecay,
        int warmEpochs,
        float temperature,
        float baseTemperature,
        int expEpochs,
        float maskThreshold,
        String explainer,
        dev.excon.model.BatchNormMode explanationBatchNorm,
        boolean backgroundAnchor,
        boolean shareBackgroundRows,
        double validationFraction,
        int trainLimit,
        int testLimit,
        int projectionDim,
        long seed,
        String calibrationBins,
        String evaluateCheckpoint,
        dev.excon.model.Precision precision) {

    /** The presets by name. */
    public static final Map<String, TrainConfig> PRESETS;

    /** The ECE bin conventions {@code calibrationBins} accepts. */
    public static final java.util.List<String> CALIBRATION_BINS = java.util.List.of("right-closed", "netcal");

    /** The checkpoints {@code evaluateCheckpoint} accepts. */
    public static final java.util.List<String> CHECKPOINTS = java.util.List.of("best", "last");

    static {
        Map<String, TrainConfig> p = new LinkedHashMap<>();
        // The reference README's commands with this library's corrections: a validation split for model selection,
        // explanations with running statistics, each background image encoded once.
        TrainConfig cifar = new TrainConfig("paper-cifar100", Method.EXCONB, "cifar100", "resnet50", 256, 200, 0.5f,
                0f, 0, 0.9f, 1e-4f, -1, 0.1f, 0.07f, 50, 0.5f, "GradCAM", dev.excon.model.BatchNormMode.EVAL, false,
                true, 0.2, 0, 0, 128, 1, "right-closed", "best", dev.excon.model.Precision.FP32);
        p.put(cifar.name, cifar);
        TrainConfig tiny = cifar.toBuilder().name("paper-tiny-imagenet").dataset("tiny-imagenet").batchSize(128)
                .expEpochs(0).build();
        p.put(tiny.name, tiny);
        // The reference README's commands exactly (see referenceDeviations()).
        TrainConfig refCifar = cifar.toBuilder().name("reference-cifar100").validationFraction(0)
                .explanationBatchNorm(dev.excon.model.BatchNormMode.TRAIN).shareBackgroundRows(false)
                .calibrationBins("netcal").evaluateCheckpoint("last").build();
        p.put(refCifar.name, refCifar);
        TrainConfig refTiny = refCifar.toBuilder().name("reference-tiny-imagenet").dataset("tiny-imagenet")
                .batchSize(128).expEpochs(0).build();
        p.put(refTiny.name, refTiny);
        // Chosen by measured probe accuracy per CPU second on 2 cores (README, "Presets"): linear evaluation on
        // frozen features; more images for fewer epochs (the probe overfits 3,200 images); a higher encoder rate.
        TrainConfig quick = new TrainConfig("quick", Method.EXCON, "fashion-mnist", "small", 64, 3, 0.2f, 0.5f, 20,
                0.9f, 1e-4f, 0, 0.1f, 0.07f, 2, 0.5f, "GradCAM", dev.excon.model.BatchNormMode.EVAL, false, true, 0.2,
                8000, 2000, 128, 1, "right-closed", "best", dev.excon.model.Precision.FP32);
        p.put(quick.name, quick);
        PRESETS = Map.copyOf(p);
    }

    /** Validates every value; messages name the value and the allowed range. */
    public TrainConfig {
        require(name != null && !name.isBlank(), "name must not be blank");
        require(method != null, "method must be set");
        require(dataset != null && java.util.List.of("fashion-mnist", "cifar10", "cifar100", "tiny-imagenet")
                .contains(dataset), "dataset=" + dataset + ": choose fashion-mnist, cifar10, cifar100 or tiny-imagenet");
        require(backbone != null, "backbone must be set");
        dev.excon.model.ResNetSpec.byName(backbone); // throws with the list of names
        require(batchSize >= 2, "batchSize=" + batchSize + " must be at least 2 (contrastive pairs)");
        require(epochs >= 1, "epochs=" + epochs + " must be at least 1");
        require(learningRate > 0 && Float.isFinite(learningRate), "learningRate=" + learningRate + " must be > 0");
        require(classifierLearningRate >= 0 && Float.isFinite(classifierLearningRate),
                "classifierLearningRate=" + classifierLearningRate + " must be >= 0 (0 = learningRate)");
        require(probeEpochs >= 0 && probeEpochs <= 1000, "probeEpochs=" + probeEpochs + " must be 0 (the reference: "
                + "one classifier epoch on augmented views per joint epoch) or 1..1000 (that many epochs on cached "
                + "features of the un-augmented training images)");
        require(momentum >= 0 && momentum < 1, "momentum=" + momentum + " must be in [0, 1)");
        require(weightDecay >= 0, "weightDecay=" + weightDecay + " must be >= 0");
        require(warmEpochs >= -1 && warmEpochs <= epochs, "warmEpochs=" + warmEpochs + " must be -1 (auto) or 0.."
                + epochs);
        require(temperature > 0 && baseTemperature > 0,
                "temperature=" + temperature + " and baseTemperature=" + baseTemperature + " must be > 0");
        require(expEpochs >= 0, "expEpochs=" + expEpochs + " must be >= 0");
        require(maskThreshold >= 0 && maskThreshold < 1, "maskThreshold=" + maskThreshold + " must be in [0, 1)");
        require(explainer != null, "explainer must be set");
        explainer = dev.excon.saliency.Explainers.canonicalName(explainer); // throws with the list of names
        require(explanationBatchNorm != null, "explanationBatchNorm must be eval or train");
        require(validationFraction >= 0 && validationFraction < 1, "validationFraction=" + validationFraction
                + " must be in [0, 1): the best epoch is chosen on that share of the training set (0 = none: the "
                + "reference's --validation=0, best chosen on test accuracy)");
        require(trainLimit >= 0 && testLimit >= 0, "trainLimit and testLimit must be >= 0 (0 = all)");
        require(projectionDim >= 1, "projectionDim=" + projectionDim + " must be >= 1");
        require(calibrationBins != null
                && CALIBRATION_BINS.contains(calibrationBins.toLowerCase(java.util.Locale.ROOT)),
                "calibrationBins=" + calibrationBins + ": choose right-closed ((a, b], Guo et al.) or netcal (the "
                        + "reference's netcal ECE)");
        calibrationBins = calibrationBins.toLowerCase(java.util.Locale.ROOT);
        require(evaluateCheckpoint != null && CHECKPOINTS.contains(evaluateCheckpoint.toLowerCase(java.util.Locale
                .ROOT)), "evaluateCheckpoint=" + evaluateCheckpoint + ": choose best (model selection) or last (the "
                        + "reference's explanation scores)");
        evaluateCheckpoint = evaluateCheckpoint.toLowerCase(java.util.Locale.ROOT);
        require(precision != null, "precision must be fp32 or bf16");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * A preset: {@code reference-cifar100} and {@code reference-tiny-imagenet} (the reference README's two commands
     * exactly: ExConB, ResNet-50, batch 256 / 128, lr 0.5, temperature 0.1, 200 epochs, exp_epochs 50 / 0, background
     * as negatives only, no validation split so "best" is chosen on test accuracy, explanations with batch
     * statistics, background images encoded twice, netcal's ECE bins, explanation scores on the last model); {@code
     * paper-cifar100} and {@code paper-tiny-imagenet} (the same with this library's corrections: a 20% validation
     * split for model selection, explanations with running statistics, each background image encoded once, (a, b]
     * ECE bins, evaluation of the best checkpoint); or {@code quick} (ExCon, the small ResNet on 8,000 Fashion-MNIST
     * images of which 6,400 train, batch 64, lr 0.2, 3 epochs, the first without explanations, the linear probe
     * fitted for 20 epochs on standardised frozen features after each: about two minutes on 2 cores for over 80%
     * linear-probe test accuracy).
     */
    public static TrainConfig preset(String name) {
        TrainConfig c = PRESETS.get(name);
        if (c == null) {
            throw new IllegalArgumentException(
                    "unknown preset '" + name + "'; choose one of " + new TreeMap<>(PRESETS).keySet());
        }
        return c;
    }

    /** The warm-up epochs after applying the reference's rule for {@code warmEpochs = -1}. */
    public int effectiveWarmEpochs() {
        return warmEpochs >= 0 ? warmEpochs : (batchSize > 256 ? Math.min(10, epochs) : 0);
    }

    /** The learning-rate schedule of the encoder's optimiser. */
    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(learningRate, epochs, effectiveWarmEpochs());
    }

    /** The learning-rate schedule of the linear classifier's optimiser. */
    public LearningRateSchedule classifierSchedule() {
        float lr = classifierLearningRate > 0 ? classifierLearningRate : learningRate;
        return new LearningRateSchedule(lr, epochs, effectiveWarmEpochs());
    }

    /** Whether 1-based epoch {@code epoch} uses explanations (ExCon methods, from epoch {@code expEpochs} on). */
    public boolean explainsAt(int epoch) {
        return method.explains() && epoch >= expEpochs;
    }

    /**
     * A copy running {@code epochs} epochs with the schedule's phases scaled in proportion, so that a shortened run
     * keeps the preset's shape: {@code expEpochs} becomes {@code round(epochs * expEpochs / this.epochs)} (the
     * reference's 50 of 200 becomes 10 of 40: explanations from epoch 10), and an explicit {@code warmEpochs} is
     * scaled the same way (-1, the reference's rule, stays).
     */
    public TrainConfig withEpochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs=" + epochs + " must be at least 1");
        }
        Builder b = toBuilder().epochs(epochs).expEpochs((int) Math.round((double) epochs * expEpochs / this.epochs));
        if (warmEpochs > 0) {
            b.warmEpochs((int) Math.min(epochs, Math.round((double) epochs * warmEpochs / this.epochs)));
        }
        return b.build();
    }

    /** Whether there is no validation split, so the best epoch is chosen on test accuracy (the reference's way). */
    public boolean selectsOnTest() {
        return validationFraction == 0;
    }

    /** What the best epoch is chosen on, for tables: {@code "validation accuracy"} or {@code "test accuracy"}. */
    public String selectionMeasure() {
        return selectsOnTest() ? "test accuracy" : "validation accuracy";
    }

    /**
     * Where this configuration differs from the reference README's command for its data set (the {@code reference-*}
     * preset), one {@code key=value (reference: value)} entry per key, empty when it runs the reference's setting;
     * the run's length and size keys (epochs, limits, seed, name) are not counted.
     */
    public java.util.List<String> referenceDeviations() {
        String ref = dataset.equals("tiny-imagenet") ? "reference-tiny-imagenet" : "reference-cifar100";
        Properties mine = toProperties();
        Properties theirs = preset(ref).toProperties();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String key : new java.util.TreeSet<>(mine.stringPropertyNames())) {
            if (java.util.Set.of("name", "epochs", "trainLimit", "testLimit", "seed", "dataset").contains(key)) {
                continue;
            }
            if (!mine.getProperty(key).equals(theirs.getProperty(key))) {
                out.add(key + "=" + mine.getProperty(key) + " (reference: " + theirs.getProperty(key) + ")");
            }
        }
        return out;
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Every value as text properties (for checkpoints and provenance). */
    public Properties toProperties() {
        Properties p = new Properties();
        for (var c : TrainConfig.class.getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(this);
                p.setProperty(c.getName(), v instanceof dev.excon.model.Precision pr ? pr.key() : String.valueOf(v));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return p;
    }

    /**
     * The values that differ from {@code other}, named by key, e.g. {@code "learningRate=0.05 in the run, 0.2 now"}
     * for {@code differences(other, "in the run", "now")}; empty when the two are equal.
     */
    public String differences(TrainConfig other, String thisLabel, String otherLabel) {
        Properties mine = toProperties();
        Properties theirs = other.toProperties();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String key : new java.util.TreeSet<>(mine.stringPropertyNames())) {
            String a = mine.getProperty(key);
            String b = theirs.getProperty(key);
            if (!a.equals(b)) {
                out.add(key + "=" + a + " " + thisLabel + ", " + b + " " + otherLabel);
            }
        }
        return String.join("; ", out);
    }

    /** The properties as text, one {@code key=value} per line in key order, escaped as {@link Properties} does. */
    public String toPropertiesText() {
        StringBuilder text = new StringBuilder("# ExCon training configuration\n");
        Properties all = toProperties();
        for (String key : new java.util.TreeSet<>(all.stringPropertyNames())) {
            Properties one = new Properties();
            one.setProperty(key, all.getProperty(key));
            StringWriter w = new StringWriter();
            try {
                one.store(w, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> text.append(l).append('\n'));
        }
        return text.toString();
    }

    /** Reads what {@link #toProperties()} wrote; a missing or malformed key is named in the error. */
    public static TrainConfig fromProperties(Properties p) {
        // A file without probeEpochs predates the key and ran the joint protocol, whatever the quick preset uses now.
        Builder b = preset("quick").toBuilder().probeEpochs(0);
        for (String key : p.stringPropertyNames()) {
            b.set(key, p.getProperty(key));
        }
        return b.build();
    }

    /** Parses {@link #toPropertiesText()}. */
    public static TrainConfig fromPropertiesText(String text) {
        Properties p = new Properties();
        try (Reader r = new StringReader(text)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromProperties(p);
    }

    /** A mutable copy of a configuration; {@link #build()} validates. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder(TrainConfig c) {
            for (var e : c.toProperties().entrySet()) {
                values.put((String) e.getKey(), (String) e.getValue());
            }
        }

        /**
         * Sets a value by its name in the configuration (as on the command line or in a notebook parameters cell).
         *
         * @throws IllegalArgumentException for an unknown key, listing the known ones
         */
        public Builder set(String key, String value) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(
                        "unknown configuration key '" + key + "'; known keys: " + values.keySet());
            }
            values.put(key, value.trim());
            return this;
        }

        public Builder name(String v) { return set("name", v); }
        public Builder method(Method v) { return set("method", v.name()); }
        public Builder dataset(String v) { return set("dataset", v); }
        public Builder backbone(String v) { return set("backbone", v); }
        public Builder batchSize(int v) { return set("batchSize", Integer.toString(v)); }
        public Builder epochs(int v) { return set("epochs", Integer.toString(v)); }
        public Builder learningRate(float v) { return set("learningRate", Float.toString(v)); }
        public Builder classifierLearningRate(float v) { return set("classifierLearningRate", Float.toString(v)); }
        public Builder probeEpochs(int v) { return set("probeEpochs", Integer.toString(v)); }
        public Builder momentum(float v) { return set("momentum", Float.toString(v)); }
        public Builder weightDecay(float v) { return set("weightDecay", Float.toString(v)); }
        public Builder warmEpochs(int v) { return set("warmEpochs", Integer.toString(v)); }
        public Builder temperature(float v) { return set("temperature", Float.toString(v)); }
        public Builder baseTemperature(float v) { return set("baseTemperature", Float.toString(v)); }
        public Builder expEpochs(int v) { return set("expEpochs", Integer.toString(v)); }
        public Builder maskThreshold(float v) { return set("maskThreshold", Float.toString(v)); }
        public Builder explainer(String v) { return set("explainer", v); }
        public Builder explanationBatchNorm(dev.excon.model.BatchNormMode v) {
            return set("explanationBatchNorm", v.name());
        }
        public Builder backgroundAnchor(boolean v) { return set("backgroundAnchor", Boolean.toString(v)); }
        public Builder shareBackgroundRows(boolean v) { return set("shareBackgroundRows", Boolean.toString(v)); }
        public Builder validationFraction(double v) { return set("validationFraction", Double.toString(v)); }
        public Builder trainLimit(int v) { return set("trainLimit", Integer.toString(v)); }
        public Builder testLimit(int v) { return set("testLimit", Integer.toString(v)); }
        public Builder projectionDim(int v) { return set("projectionDim", Integer.toString(v)); }
        public Builder seed(long v) { return set("seed", Long.toString(v)); }
        public Builder calibrationBins(String v) { return set("calibrationBins", v); }
        public Builder evaluateCheckpoint(String v) { return set("evaluateCheckpoint", v); }
        public Builder precision(dev.excon.model.Precision v) { return set("precision", v.key()); }

        /** Validates and builds; a value that does not parse is named with its key. */
        public TrainConfig build() {
            try {
                return new TrainConfig(
                        values.get("name"),
                        Method.parse(values.get("method")),
                        values.get("dataset"),
                        values.get("backbone"),
                        parseInt("batchSize"),
                        parseInt("epochs"),
                        parseFloat("learningRate"),
                        parseFloat("classifierLearningRate"),
                        parseInt("probeEpochs"),
                        parseFloat("momentum"),
                        parseFloat("weightDecay"),
                        parseInt("warmEpochs"),
                        parseFloat("temperature"),
                        parseFloat("baseTemperature"),
                        parseInt("expEpochs"),
                        parseFloat("maskThreshold"),
                        values.get("explainer"),
                        batchNormMode(),
                        parseBoolean("backgroundAnchor"),
                        parseBoolean("shareBackgroundRows"),
                        parseDouble("validationFraction"),
                        parseInt("trainLimit"),
                        parseInt("testLimit"),
                        parseInt("projectionDim"),
                        parseLong("seed"),
                        values.get("calibrationBins"),
                        values.get("evaluateCheckpoint"),
                        dev.excon.model.Precision.parse(values.get("precision")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        private dev.excon.model.BatchNormMode batchNormMode() {
            String v = values.get("explanationBatchNorm");
            try {
                return dev.excon.model.BatchNormMode.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("explanationBatchNorm=" + v + ": choose eval (running statistics, "
                        + "untouched) or train (batch statistics, running statistics updated, as the reference)", e);
            }
        }

        private int parseInt(String key) {
            try {
                return Integer.parseInt(values.get(key));
            } catch (NumberFormatException e) {
                throw new NumberFormatException(key + "=" + values.get(key) + " is not an integer");
            }
        }

        private long parseLong(String key) {
            try {
                return Long.parseLong(values.get(key));
            } catch (NumberFormatException e) {
                throw new NumberFormatException(key + "=" + values.get(key) + " is not an integer");
            }
        }

        private float parseFloat(String key) {
            try {
                return Float.parseFloat(values.get(key));
            } catch (NumberFormatException e) {
                throw new NumberFormatException(key + "=" + values.get(key) + " is not a number");
            }
        }

        private double parseDouble(String key) {
            try {
                return Double.parseDouble(values.get(key));
            } catch (NumberFormatException e) {
                throw new NumberFormatException(key + "=" + values.get(key) + " is not a number");
            }
        }

        private boolean parseBoolean(String key) {
            String v = values.get(key);
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new NumberFormatException(key + "=" + v + " is not true or false");
            }
            return Boolean.parseBoolean(v);
        }
    }
}
