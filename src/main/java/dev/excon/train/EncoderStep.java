package dev.excon.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.excon.HostReads;
import dev.excon.augment.ExplanationMasking;
import dev.excon.augment.StandardView;
import dev.excon.augment.SupConAugmentation;
import dev.excon.data.ChannelStats;
import dev.excon.loss.CrossEntropy;
import dev.excon.loss.SupConLoss;
import dev.excon.model.BatchNormMode;
import dev.excon.model.ExconNetwork;
import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explainers;
import dev.excon.saliency.Explanation;
import dev.excon.saliency.Target;
import java.util.SplittableRandom;

/**
 * One encoder step of a method: build the views, compute the loss and its gradients (no optimiser update). For ExCon
 * methods with explanations on, it runs the reference's step (method note, section 1.7) batched: the configured
 * explainer (Grad-CAM by default) on the standard view for the labels, mask, one prediction pass on the masked images,
 * accepted-or-backup first view, rejected masks appended to both views as background samples (ExConB, ExSimCLRB),
 * SupCon (or, for the SimCLR methods, SimCLR) over the concatenated views. The explanation and prediction passes use
 * batch norm in {@link TrainConfig#explanationBatchNorm()}.
 *
 * <p>The explainer runs before the training collector opens (collectors cannot nest) with the parameters frozen, so
 * it leaves no gradient behind. Host reads ({@link HostReads}), each a wait for the GPU: one per step (the loss; for
 * ExCon the loss and the acceptance count together), two for the methods with background (the acceptance vector,
 * which decides the background rows, then the loss). Every array of the step is attached to the images' manager:
 * close that (the batch) after the optimiser step.
 */
public final class EncoderStep {

    private final TrainConfig config;
    private final ExconNetwork net;
    private final SupConLoss supCon;
    private final SupConAugmentation augmentation;
    private final SupConAugmentation classifierAugmentation;
    private final StandardView standard;
    private final ExplanationMasking masking;
    private final Explainer explainer;

    /**
     * @param config the method, loss and mask settings
     * @param net the network whose encoder (or, for CE, backbone and classifier) is trained
     * @param stats the data set's statistics; their mean is the mask fill colour
     */
    public EncoderStep(TrainConfig config, ExconNetwork net, ChannelStats stats) {
        this.config = config;
        this.net = net;
        int size = net.imageSize();
        this.supCon = SupConLoss.builder().optTemperature(config.temperature())
                .optBaseTemperature(config.baseTemperature()).optBackgroundAnchor(config.backgroundAnchor()).build();
        this.augmentation = SupConAugmentation.reference(size);
        this.classifierAugmentation = classifierAugmentation(size);
        this.standard = new StandardView(size);
        this.masking = new ExplanationMasking(config.maskThreshold(), stats.mean());
        this.explainer = Explainers.byName(config.explainer());
    }

    /**
     * The reference's classifier-loader augmentation: random resized crop (scale 0.2-1) and flip for CIFAR-sized
     * images, none for Tiny ImageNet's 64x64.
     */
    static SupConAugmentation classifierAugmentation(int size) {
        boolean large = size > 32;
        return SupConAugmentation.builder().setSize(size).optJitterProbability(0).optGrayscaleProbability(0)
                .optCropScale(large ? 1 : 0.2, 1).optCropRatio(large ? 1 : 3.0 / 4, large ? 1 : 4.0 / 3)
                .optFlipProbability(large ? 0 : 0.5).build();
    }

    /**
     * What a step did.
     *
     * @param loss the loss
     * @param accepted masked views the classifier still recognised
     * @param explained images explained (0 when explanations were off)
     * @param background background samples added (ExConB)
     * @param encodedRows images the encoder ran on (2N, plus the background once or twice)
     */
    public record Outcome(float loss, int accepted, int explained, int background, int encodedRows) {}

    /**
     * Runs the step on a batch: loss forward and backward; the gradients are left in the parameters for the
     * optimiser.
     *
     * @param images (N, C, H, W) float32 in [0, 1] on the network's device
     * @param labels (N) int64
     * @param explain whether this epoch uses explanations ({@link TrainConfig#explainsAt})
     * @param rng the step's generator for the views
     */
    public Outcome run(NDArray images, NDArray labels, boolean explain, SplittableRandom rng) {
        if (config.method() == Method.CE) {
            NDArray v = classifierAugmentation.apply(images, rng);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = CrossEntropy.mean(net.classify(net.features(v, true)), labels);
                gc.backward(loss);
                return new Outcome(HostReads.scalar(loss), 0, 0, 0, (int) v.getShape().get(0));
            }
        }
        NDArray v1 = augmentation.apply(images, rng);
        NDArray v2 = augmentation.apply(images, rng);
        NDArray first = v2;
        NDArray background = null;
        int accepted = 0;
        int explained = 0;
        NDArray acceptance = null; // ExCon: still on the device, counted in the loss's read
        if (explain && config.method().explains()) {
            ExplanationMasking.Result r = masking.apply(net, this::labelMaps, standard.apply(images), labels, v2,
                    config.method().addsBackground(), config.explanationBatchNorm());
            first = r.firstView();
            background = r.background();
            explained = r.total();
            if (config.method().addsBackground()) {
                accepted = r.accepted(); // already on the host: it picked the background rows
            } else {
                acceptance = r.acceptance();
            }
        }
        int b = (int) images.getShape().get(0);
        int k = background == null ? 0 : (int) background.getShape().get(0);
        NDArray allLabels = labels;
        NDArray backgroundMask = null;
        if (k > 0) {
            NDManager m = images.getManager();
            // Background rows form their own class in the loss whatever their label entry says.
            allLabels = NDArrays.concat(new NDList(labels, m.zeros(new Shape(k), DataType.INT64, labels.getDevice())),
                    0);
            boolean[] flags = new boolean[b + k];
            for (int i = b; i < b + k; i++) {
                flags[i] = true;
            }
            backgroundMask = m.create(flags).toDevice(labels.getDevice(), false);
        }
        boolean share = k > 0 && config.shareBackgroundRows();
        NDList rows = new NDList(first, v1);
        if (k > 0) {
            rows.add(background);
            if (!share) {
                rows.add(background); // the reference's batches: view 1 then view 2, each ending with the background
            }
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // All views in one forward pass, so batch norm sees them together as in the reference.
            NDArray batch = NDArrays.concat(reorder(rows, share, k), 0);
            int encoded = (int) batch.getShape().get(0);
            NDArray z = net.embed(batch, true);
            NDArray z1;
            NDArray z2;
            if (k == 0) {
                NDList halves = z.split(2, 0);
                z1 = halves.get(0);
                z2 = halves.get(1);
            } else if (share) {
                NDList parts = z.split(new long[] {b, 2L * b}, 0); // first views, second views, background
                z1 = NDArrays.concat(new NDList(parts.get(0), parts.get(2)), 0);
                z2 = NDArrays.concat(new NDList(parts.get(1), parts.get(2)), 0);
            } else {
                NDList halves = z.split(2, 0);
                z1 = halves.get(0);
                z2 = halves.get(1);
            }
            // SimCLR methods: no labels, each row's positive is its other view; background rows keep their role.
            NDArray loss = supCon.compute(z1, z2, config.method().supervisedLoss() ? allLabels : null, backgroundMask,
                    null);
            gc.backward(loss);
            if (acceptance == null) {
                return new Outcome(HostReads.scalar(loss), accepted, explained, k, encoded);
            }
            // ExCon: the acceptance count rides in the loss's read instead of a read of its own.
            float[] read = HostReads.floats(
                    NDArrays.stack(new NDList(loss, acceptance.toType(DataType.FLOAT32, false).sum())));
            return new Outcome(read[0], Math.round(read[1]), explained, k, encoded);
        }
    }

    /** The explainer's maps for the labels, which the data set checked: no range check, so no host read. */
    private NDArray labelMaps(NDArray images, NDArray labels, BatchNormMode mode) {
        Explanation e = explainer.explain(net, images, Target.classesInRange(labels), mode);
        return e.keepOnly(e.map());
    }

    /** Row order of the encoder batch: [v1' ; v2] without background, [v1' ; bg ; v2 ; bg] unshared, or shared. */
    private static NDList reorder(NDList rows, boolean share, int k) {
        if (k == 0 || share) {
            return rows; // first, second (, background once)
        }
        return new NDList(rows.get(0), rows.get(2), rows.get(1), rows.get(3));
    }
}
