package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.ExconRuntime;
import dev.excon.augment.ExplanationMasking;
import dev.excon.data.ImageDataset;
import dev.excon.model.ImageBatches;
import dev.excon.model.ImageModel;
import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explanation;
import dev.excon.saliency.Target;
import java.util.Arrays;

/**
 * Deletion and insertion curves (Petsiuk et al., RISE, <a href="https://arxiv.org/abs/1806.07421">arXiv
 * 1806.07421</a>) of the explanation of each image's predicted class c. Pixels are ordered by decreasing raw
 * saliency (ties by row-major index, lower first); with P = H * W pixels and T steps, step t (0..T) concerns the
 * first {@code m_t = floor(t * P / T)} pixels of that order:
 *
 * <ul>
 *   <li><b>deletion</b>: those m_t pixels are replaced by the fill colour (the data set's mean by default), the rest
 *       is the original; the curve starts at the clean confidence and ends at the all-filled image's;
 *   <li><b>insertion</b>: those m_t pixels are the original, the rest the fill colour; the curve starts at the
 *       all-filled image's confidence and ends at the clean one.
 * </ul>
 *
 * <p>Each point is the softmax confidence of c; the x axis is the fraction {@code m_t / P}; the area under each curve
 * is the trapezoid rule over those fractions, per image, then averaged (equal to the area of the mean curve). A good
 * explanation has a small deletion area and a large insertion area.
 *
 * <p>Batched: one explanation pass per batch gives the clean confidences and classes, the all-filled image is one
 * forward pass of a single image shared by the batch, and each inner step is one forward pass of the batch's deletion
 * and insertion images together (2N images); (2, T + 1, N) confidences go to the host once per batch.
 */
public final class DeletionInsertion {

    /** Steps by default: points at 0%, 10%, ..., 100% of the pixels. */
    public static final int DEFAULT_STEPS = 10;

    /** Images per batch by default (each inner forward pass holds twice as many). */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final Explainer explainer;
    private final int steps;
    private final float[] fill;
    private final int batchSize;

    private DeletionInsertion(Builder b) {
        this.explainer = b.explainer;
        this.steps = b.steps;
        this.fill = b.fill == null ? null : b.fill.clone();
        this.batchSize = b.batchSize;
    }

    /** Grad-CAM, 10 steps, the network's mean colour, batches of 64. */
    public static DeletionInsertion standard() {
        return builder().build();
    }

    /** Starts a builder with the {@link #standard()} settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of steps T (the curves have T + 1 points). */
    public int steps() {
        return steps;
    }

    /** The curves over a data set, in its order. */
    public DeletionInsertionResult evaluate(ImageModel net, ImageDataset data) {
        int n = data.size();
        double[][] deletion = new double[n][];
        double[][] insertion = new double[n][];
        int[] classes = new int[n];
        int[] done = {0};
        long[] pixels = {0};
        DatasetPass.forEach(net, data, batchSize, (images, batch) -> {
            Curves c = curves(net, images);
            for (int i = 0; i < c.classes.length; i++) {
                deletion[done[0]] = c.deletion[i];
                insertion[done[0]] = c.insertion[i];
                classes[done[0]] = c.classes[i];
                done[0]++;
            }
            pixels[0] = images.getShape().get(2) * images.getShape().get(3);
        });
        return DeletionInsertionResult.of(fractions(pixels[0]), deletion, insertion, classes, explainer.toString());
    }

    /**
     * The curves of one batch.
     *
     * @param images (N, C, H, W) float32 in [0, 1] on the network's device; not modified
     */
    public DeletionInsertionResult evaluate(ImageModel net, NDArray images) {
        ExconRuntime.noGradientRecording();
        Curves c = curves(net, images);
        Shape s = images.getShape();
        return DeletionInsertionResult.of(fractions(s.get(2) * s.get(3)), c.deletion, c.insertion, c.classes,
                explainer.toString());
    }

    /** The x axis: {@code floor(t * P / T) / P} for t = 0..T. */
    public double[] fractions(long pixels) {
        double[] x = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            x[t] = (double) removed(t, pixels) / pixels;
        }
        return x;
    }

    private long removed(int t, long pixels) {
        return t * pixels / steps;
    }

    private record Curves(double[][] deletion, double[][] insertion, int[] classes) {}

    private Curves curves(ImageModel net, NDArray images) {
        ImageBatches.check(net, images);
        Shape s = images.getShape();
        int n = (int) s.get(0);
        long p = s.get(2) * s.get(3);
        Shape maskShape = new Shape(n, 1, s.get(2), s.get(3));
        NDManager owner = images.getManager();
        try (NDManager scope = owner.newSubManager(images.getDevice())) {
            images.tempAttach(scope);
            Explanation e = explainer.explain(net, images, Target.predicted());
            NDArray classes = e.classes();
            NDArray clean = Tensors.confidence(e.logits(), classes);
            NDArray rank = PixelRanking.ranks(e.raw());
            ExplanationMasking masking = Tensors.masking(fillFor(net));
            // Two copies of the filled image: libtorch convolves a batch of one on a slow path that also prints an
            // NNPACK warning on CPUs without it.
            NDArray filledImage = scope.zeros(new Shape(2, s.get(1), s.get(2), s.get(3)), DataType.FLOAT32,
                    images.getDevice()).add(Tensors.colour(scope, fillFor(net), images));
            NDArray filledLogits = net.logits(filledImage).get("0:1");
            NDArray filled = Tensors.confidence(filledLogits.broadcast(new Shape(n, filledLogits.getShape().get(1))),
                    classes);
            NDArray both = classes.concat(classes);
            NDList deletion = new NDList(clean);
            NDList insertion = new NDList(filled);
            for (int t = 1; t < steps; t++) {
                long m = removed(t, p);
                try (NDManager step = scope.newSubManager()) {
                    for (NDArray a : new NDArray[] {images, rank, both}) {
                        a.tempAttach(step);
                    }
                    NDArray deleted = masking.mask(images, PixelRanking.withoutTopMask(rank, m, maskShape));
                    NDArray inserted = masking.mask(images, PixelRanking.topMask(rank, m, maskShape));
                    NDArray conf = Tensors.confidence(net.logits(deleted.concat(inserted)), both);
                    NDArray d = conf.get("0:" + n);
                    NDArray i = conf.get(n + ":");
                    d.attach(scope);
                    i.attach(scope);
                    deletion.add(d);
                    insertion.add(i);
                }
            }
            deletion.add(filled);
            insertion.add(clean);
            NDList all = new NDList(deletion);
            all.addAll(insertion);
            all.add(classes.toType(DataType.FLOAT32, false));
            float[] host = NDArrays.stack(all).toFloatArray(); // (2 (T + 1) + 1, N)
            double[][] del = new double[n][steps + 1];
            double[][] ins = new double[n][steps + 1];
            int[] c = new int[n];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t <= steps; t++) {
                    del[i][t] = host[t * n + i];
                    ins[i][t] = host[(steps + 1 + t) * n + i];
                }
                c[i] = (int) host[2 * (steps + 1) * n + i];
            }
            return new Curves(del, ins, c);
        }
    }

    private float[] fillFor(ImageModel net) {
        return fill != null ? fill : Tensors.meanColour(net);
    }

    @Override
    public String toString() {
        return "DeletionInsertion[" + explainer + ", " + steps + " steps, fill "
                + (fill == null ? "the network's mean colour" : Arrays.toString(fill)) + ", batch " + batchSize + "]";
    }

    /** Options of {@link DeletionInsertion}. */
    public static final class Builder extends ExplanationMeasureBuilder<Builder> {
        private int steps = DEFAULT_STEPS;

        private Builder() {
            super(DEFAULT_BATCH_SIZE);
        }

        /** The number of steps T (each inner step is one forward pass of 2N images); default 10. */
        public Builder optSteps(int steps) {
            this.steps = Tensors.positive("steps", steps);
            return this;
        }

        /** Builds the evaluator. */
        public DeletionInsertion build() {
            return new DeletionInsertion(this);
        }
    }
}
