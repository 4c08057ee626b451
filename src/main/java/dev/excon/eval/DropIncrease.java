package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.ExconRuntime;
import dev.excon.data.ImageDataset;
import dev.excon.model.ImageBatches;
import dev.excon.model.ImageModel;
import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explanation;
import dev.excon.saliency.Target;
import java.util.Arrays;

/**
 * Explanation quality by masking, the reference's {@code util.eval_drop_increase}: explain each image's predicted
 * class c, keep only the {@code k = int(keepFraction * H * W)} pixels with the highest raw saliency (15% by default:
 * 153 of 1024 pixels at 32x32), fill the others with the data set's mean colour (the reference zeroes them in
 * normalised space), and compare the softmax confidence of c on the original image, Y, with the one on the masked
 * image, O:
 *
 * <pre>
 *   Average Drop               mean_i max(0, Y_i - O_i) / Y_i      lower is better
 *   increase rate              mean_i 1[O_i > Y_i]                  higher is better
 *   average relative increase  mean_i max(0, O_i - Y_i) / Y_i
 *   drop rate                  mean_i 1[Y_i > O_i]
 * </pre>
 *
 * <p>Batched: one explanation pass per batch (its logits give Y and the predicted classes, no extra forward), one
 * ranking of the raw maps (ties by row-major pixel index, lower first: see {@link PixelRanking}), one forward pass
 * of the masked batch, and one transfer of (3, N) numbers to the host. The reference spends about ten forward passes
 * per image, one image at a time. The same mask applies to every channel; evaluation mode throughout.
 *
 * <pre>{@code
 * DropIncreaseResult r = DropIncrease.reference().evaluate(net, data.test());   // Grad-CAM, 15%, mean colour
 * System.out.println(r.averageDrop() + " " + r.increaseRate());
 * }</pre>
 */
public final class DropIncrease {

    /** The reference's keep fraction ({@code --threshold 0.15}). */
    public static final double DEFAULT_KEEP_FRACTION = 0.15;

    /** Images per batch by default. */
    public static final int DEFAULT_BATCH_SIZE = 128;

    private final Explainer explainer;
    private final double keepFraction;
    private final float[] fill;
    private final int batchSize;

    private DropIncrease(Builder b) {
        this.explainer = b.explainer;
        this.keepFraction = b.keepFraction;
        this.fill = b.fill == null ? null : b.fill.clone();
        this.batchSize = b.batchSize;
    }

    /** The reference's settings: signed Grad-CAM, keep 15%, the network's mean colour, batches of 128. */
    public static DropIncrease reference() {
        return builder().build();
    }

    /** Starts a builder with the reference's settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The explainer. */
    public Explainer explainer() {
        return explainer;
    }

    /** The share of pixels kept. */
    public double keepFraction() {
        return keepFraction;
    }

    /** The number of pixels kept in an image of {@code height x width}: {@code int(keepFraction * H * W)}. */
    public int keptPixels(long height, long width) {
        return (int) (keepFraction * height * width); // Python's int(0.15 * H * W), same evaluation order
    }

    /** The four scores over a data set, in its order, {@link Builder#optBatchSize} images per batch. */
    public DropIncreaseResult evaluate(ImageModel net, ImageDataset data) {
        Collector c = new Collector(data.size());
        int[] shape = new int[2];
        DatasetPass.forEach(net, data, batchSize, (images, batch) -> {
            c.add(scores(net, images));
            shape[0] = (int) images.getShape().get(2);
            shape[1] = (int) images.getShape().get(3);
        });
        return c.result(keptPixels(shape[0], shape[1]));
    }

    /**
     * The four scores of one batch.
     *
     * @param images (N, C, H, W) float32 in [0, 1] on the network's device; not modified
     */
    public DropIncreaseResult evaluate(ImageModel net, NDArray images) {
        ExconRuntime.noGradientRecording();
        Collector c = new Collector((int) images.getShape().get(0));
        c.add(scores(net, images));
        return c.result(keptPixels(images.getShape().get(2), images.getShape().get(3)));
    }

    /** Y, O and the class of each image of a batch: three host arrays. */
    record Scores(float[] original, float[] masked, int[] classes) {}

    Scores scores(ImageModel net, NDArray images) {
        ImageBatches.check(net, images);
        Shape s = images.getShape();
        int n = (int) s.get(0);
        NDManager owner = images.getManager();
        try (NDManager scope = owner.newSubManager(images.getDevice())) {
            images.tempAttach(scope);
            Explanation e = explainer.explain(net, images, Target.predicted());
            NDArray classes = e.classes();
            NDArray y = Tensors.confidence(e.logits(), classes);
            NDArray keep = PixelRanking.topMask(PixelRanking.ranks(e.raw()), keptPixels(s.get(2), s.get(3)),
                    new Shape(n, 1, s.get(2), s.get(3)));
            NDArray masked = Tensors.masking(fillFor(net)).mask(images, keep);
            NDArray o = Tensors.confidence(net.logits(masked), classes);
            float[] host = NDArrays.stack(new NDList(y, o, classes.toType(DataType.FLOAT32, false))).toFloatArray();
            int[] c = new int[n];
            for (int i = 0; i < n; i++) {
                c[i] = (int) host[2 * n + i];
            }
            return new Scores(Arrays.copyOfRange(host, 0, n), Arrays.copyOfRange(host, n, 2 * n), c);
        }
    }

    private float[] fillFor(ImageModel net) {
        return fill != null ? fill : Tensors.meanColour(net);
    }

    /** Concatenates the batches' per-image numbers. */
    private final class Collector {
        private final double[] original;
        private final double[] masked;
        private final int[] classes;
        private int count;

        Collector(int capacity) {
            original = new double[capacity];
            masked = new double[capacity];
            classes = new int[capacity];
        }

        void add(Scores s) {
            for (int i = 0; i < s.classes().length; i++) {
                original[count] = s.original()[i];
                masked[count] = s.masked()[i];
                classes[count] = s.classes()[i];
                count++;
            }
        }

        DropIncreaseResult result(int kept) {
            return DropIncreaseResult.of(Arrays.copyOf(original, count), Arrays.copyOf(masked, count),
                    Arrays.copyOf(classes, count), keepFraction, kept, explainer.toString());
        }
    }

    @Override
    public String toString() {
        return "DropIncrease[" + explainer + ", keep " + keepFraction + ", fill "
                + (fill == null ? "the network's mean colour" : Arrays.toString(fill)) + ", batch " + batchSize + "]";
    }

    /** Options of {@link DropIncrease}. */
    public static final class Builder extends ExplanationMeasureBuilder<Builder> {
        private double keepFraction = DEFAULT_KEEP_FRACTION;

        private Builder() {
            super(DEFAULT_BATCH_SIZE);
        }

        /** The share of pixels kept, in [0, 1]; default 0.15. 0 fills the whole image, 1 keeps it whole. */
        public Builder optKeepFraction(double keepFraction) {
            this.keepFraction = Tensors.fraction("keepFraction", keepFraction);
            return this;
        }

        /** Builds the evaluator. */
        public DropIncrease build() {
            return new DropIncrease(this);
        }
    }
}
