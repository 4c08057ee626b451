package dev.excon.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.excon.ExconRuntime;
import dev.excon.data.ChannelStats;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The networks of one ExCon run: the encoder ({@link ResNet} backbone + {@link ProjectionHead}) and the {@link
 * LinearClassifier} on the backbone's features, initialised from a seed on one device, with their parameters in one
 * native manager. Close it to free them.
 *
 * <pre>{@code
 * try (ExconNetwork net = ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.FASHION_MNIST)
 *         .setImageSize(28).setNumClasses(10).optSeed(1).build()) {
 *     NDArray logits = net.logits(images);   // (N, 10)
 * }
 * }</pre>
 */
public final class ExconNetwork implements ImageModel, AutoCloseable {

    private final NDManager manager;
    private ParameterStore store;
    private final ResNet backbone;
    private final ProjectionHead head;
    private final LinearClassifier classifier;
    private final int imageSize;
    private final Tap tap;
    private final long seed;

    private ExconNetwork(Builder b) {
        Device device = b.device != null ? b.device : ExconRuntime.defaultDevice();
        this.manager = NDManager.newBaseManager(device);
        this.store = new ParameterStore(manager, false);
        this.backbone = new ResNet(b.spec, b.stats);
        this.head = new ProjectionHead(b.spec.featureDim(), b.projectionDim);
        this.classifier = new LinearClassifier(b.numClasses);
        this.imageSize = b.imageSize;
        this.tap = b.tap != null ? b.tap : defaultTap(b.spec, b.imageSize);
        this.seed = b.seed;
        SplittableRandom rng = new SplittableRandom(b.seed);
        backbone.setInitializer(SeededInit.kaimingNormalFanOut(rng), Parameter.Type.WEIGHT);
        int d = b.spec.featureDim();
        for (Block linear : new Block[] {head, classifier}) {
            linear.setInitializer(SeededInit.torchLinear(d, rng), Parameter.Type.WEIGHT);
            linear.setInitializer(SeededInit.torchLinear(d, rng), Parameter.Type.BIAS);
        }
        int c = b.stats.channels();
        backbone.initialize(manager, DataType.FLOAT32, new Shape(1, c, imageSize, imageSize));
        head.initialize(manager, DataType.FLOAT32, new Shape(1, d));
        classifier.initialize(manager, DataType.FLOAT32, new Shape(1, d));
    }

    /** Starts a builder; spec, stats, image size and number of classes are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reference's Grad-CAM layer: the last convolution of stage 2 for inputs up to 32 pixels (CIFAR's 16x16 map),
     * of the last stage for larger inputs (Tiny ImageNet's 8x8 map); stage 2 of a 3-stage network.
     */
    public static Tap defaultTap(ResNetSpec spec, int imageSize) {
        return Tap.lastConv(imageSize <= 32 ? Math.min(2, spec.stages()) : spec.stages());
    }

    /** Features (N, d) of images (N, C, H, W) in [0, 1]; {@code training} selects batch-statistics batch norm. */
    public NDArray features(NDArray images, boolean training) {
        return backbone.forward(store, new NDList(images), training).singletonOrThrow();
    }

    /** Unit-length embeddings (N, 128) of images: backbone then projection head. */
    public NDArray embed(NDArray images, boolean training) {
        return head.forward(store, new NDList(features(images, training)), training).singletonOrThrow();
    }

    /** Projection of given features: (N, d) -> unit-length (N, 128). */
    public NDArray project(NDArray features, boolean training) {
        return head.forward(store, new NDList(features), training).singletonOrThrow();
    }

    /** Classifier logits (N, C) of given features (N, d). */
    public NDArray classify(NDArray features) {
        return classifier.forward(store, new NDList(features), false).singletonOrThrow();
    }

    /** Logits (N, C) of images in evaluation mode (running batch-norm statistics). */
    @Override
    public NDArray logits(NDArray images) {
        return classify(features(images, false));
    }

    /**
     * Logits (N, C) of images with batch norm in the given mode: {@link BatchNormMode#TRAIN} uses the batch's
     * statistics and updates the running ones, as the reference's passes with the encoder in {@code train()} mode.
     */
    @Override
    public NDArray logits(NDArray images, BatchNormMode mode) {
        return classify(features(images, mode.training()));
    }

    /** The backbone's features (N, d), evaluation mode: what the protocol's t-SNE embeds. */
    @Override
    public NDArray features(NDArray images) {
        return features(images, false);
    }

    @Override
    public int numClasses() {
        return classifier.numClasses();
    }

    @Override
    public int channels() {
        return backbone.stats().channels();
    }

    /** The data set's mean colour of the normalisation block. */
    @Override
    public float[] meanColour() {
        return backbone.stats().mean();
    }

    /** The backbone: layer paths such as {@code "layer2_1/conv2"} are relative to it. */
    @Override
    public Block layerRoot() {
        return backbone;
    }

    @Override
    public String description() {
        return "ExconNetwork " + backbone.spec().name() + " (" + classifier.numClasses() + " classes, " + imageSize
                + "x" + imageSize + ", seed " + seed + (precision() == Precision.BF16 ? ", bf16 convolutions" : "")
                + ")";
    }

    /** The number format of the backbone's convolutions ({@link Precision#FP32} unless set). */
    public Precision precision() {
        return backbone.precision();
    }

    /**
     * Runs the backbone's convolutions in {@code p} from now on, for training, explanations and evaluation alike;
     * parameters stay fp32, so a network can switch back and forth (see {@link Precision#choose} for whether bf16
     * pays on a device).
     */
    public void setPrecision(Precision p) {
        backbone.setPrecision(p);
    }

    /** The backbone. */
    public ResNet backbone() {
        return backbone;
    }

    /** The projection head. */
    public ProjectionHead head() {
        return head;
    }

    /** The linear classifier. */
    public LinearClassifier classifier() {
        return classifier;
    }

    /** The parameter store every forward pass of this network uses. */
    public ParameterStore store() {
        return store;
    }

    /** The manager holding the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** The device the parameters live on. */
    @Override
    public Device device() {
        return manager.getDevice();
    }

    /** Height and width of the images the network was built for. */
    public int imageSize() {
        return imageSize;
    }

    /** The Grad-CAM layer of this network. */
    public Tap tap() {
        return tap;
    }

    /** The initialisation seed. */
    public long seed() {
        return seed;
    }

    /** Trainable parameters of the encoder (backbone + head), in a fixed order. */
    public List<Parameter> encoderParameters() {
        List<Parameter> out = trainable(backbone);
        out.addAll(trainable(head));
        return out;
    }

    /** Every trainable parameter: the encoder's, then the classifier's (what an explanation or attack freezes). */
    @Override
    public List<Parameter> trainableParameters() {
        List<Parameter> out = encoderParameters();
        out.addAll(classifierParameters());
        return out;
    }

    /** Trainable parameters of the classifier. */
    public List<Parameter> classifierParameters() {
        return trainable(classifier);
    }

    /** Trainable parameters of the backbone only (the CE baseline trains these with the classifier). */
    public List<Parameter> backboneParameters() {
        return trainable(backbone);
    }

    /** The number of trainable values in a block (batch-norm running statistics excluded, as PyTorch counts). */
    public static long countParameters(Block block) {
        return Layers.countParameters(block);
    }

    private static List<Parameter> trainable(Block block) {
        return Layers.trainableParameters(block);
    }

    /** Freezes or unfreezes every parameter (explainers and attacks run frozen: no gradient left behind). */
    public void freeze(boolean frozen) {
        // Not Block.freezeParameters: unfreezing that way would also mark batch-norm running statistics as trainable.
        for (Block b : new Block[] {backbone, head, classifier}) {
            for (Parameter p : trainable(b)) {
                p.freeze(frozen);
            }
        }
    }

    /** Whether every trainable parameter is frozen (no gradients are recorded for any of them). */
    public boolean isFrozen() {
        for (Block b : new Block[] {backbone, head, classifier}) {
            for (Parameter p : trainable(b)) {
                if (p.requiresGradient()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes every parameter and batch-norm statistic (DJL's parameter format, backbone, head, classifier). */
    public void saveParameters(DataOutputStream out) throws IOException {
        backbone.saveParameters(out);
        head.saveParameters(out);
        classifier.saveParameters(out);
    }

    /** Reads what {@link #saveParameters} wrote, into a network built with the same configuration. */
    public void loadParameters(DataInputStream in) throws IOException, MalformedModelException {
        backbone.loadParameters(manager, in);
        head.loadParameters(manager, in);
        classifier.loadParameters(manager, in);
        // DJL's store caches parameter arrays and loading replaces them: start a fresh one. The loaded arrays do
        // not record gradients yet, so mark the trainable ones again.
        store = new ParameterStore(manager, false);
        freeze(false);
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "ExconNetwork[" + backbone.spec() + ", head " + head.outDim() + ", " + classifier.numClasses()
                + " classes, " + imageSize + "x" + imageSize + ", Grad-CAM at " + tap + ", seed " + seed + ", "
                + device() + "]";
    }

    /** Configuration of an {@link ExconNetwork}. */
    public static final class Builder {
        private ResNetSpec spec;
        private ChannelStats stats;
        private int imageSize;
        private int numClasses;
        private int projectionDim = ProjectionHead.DEFAULT_DIM;
        private long seed = 1;
        private Device device;
        private Tap tap;

        private Builder() {}

        /** Required: the backbone architecture, e.g. {@link ResNetSpec#RESNET18}. */
        public Builder setSpec(ResNetSpec spec) {
            this.spec = spec;
            return this;
        }

        /** Required: the data set's normalisation statistics (their channel count is the input's). */
        public Builder setStats(ChannelStats stats) {
            this.stats = stats;
            return this;
        }

        /** Required: input height and width (32 for CIFAR, 64 for Tiny ImageNet, 28 for Fashion-MNIST). */
        public Builder setImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /** Required: the number of real classes C. */
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Embedding dimension of the projection head; default 128. */
        public Builder optProjectionDim(int projectionDim) {
            this.projectionDim = projectionDim;
            return this;
        }

        /** Initialisation seed; default 1 (the reference's seed). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Device; default the first GPU when DJL sees one, else the CPU. */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Grad-CAM layer; default {@link ExconNetwork#defaultTap}. */
        public Builder optTap(Tap tap) {
            this.tap = tap;
            return this;
        }

        /** Validates and builds the initialised network. */
        public ExconNetwork build() {
            if (spec == null || stats == null) {
                throw new IllegalArgumentException("call setSpec(...) and setStats(...) before build()");
            }
            if (imageSize < 8) {
                throw new IllegalArgumentException("imageSize=" + imageSize + ": call setImageSize(n), n >= 8");
            }
            if (numClasses < 2) {
                throw new IllegalArgumentException("numClasses=" + numClasses + ": call setNumClasses(C), C >= 2");
            }
            if (projectionDim < 1) {
                throw new IllegalArgumentException("projectionDim=" + projectionDim + " must be positive");
            }
            if (tap != null && tap.stage() > spec.stages()) {
                throw new IllegalArgumentException(
                        "tap " + tap + " but " + spec.name() + " has " + spec.stages() + " stages");
            }
            ExconRuntime.init();
            return new ExconNetwork(this);
        }
    }
}
