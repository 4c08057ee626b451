package dev.excon.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.HostReads;
import dev.excon.model.BatchNormMode;
import dev.excon.model.ExconNetwork;

/**
 * ExCon's explanation-masked view (reference {@code data_aug.aug_no_bbox_mc}), batched: explain the standard view
 * {@code v0} for the true label, keep the pixels whose min-max-normalised saliency exceeds the threshold (0.5), fill
 * the rest with the data set's mean colour (the reference zeroes them in normalised space), and accept the masked
 * image as the first contrastive view when the classifier still predicts the label on it; otherwise the backup view
 * {@code v2} takes its place and, for ExConB, the rejected masked image becomes a background sample.
 *
 * <p>One saliency pass and one prediction pass on the masked images per batch; the reference's unused prediction on
 * {@code v0} is made only in {@link BatchNormMode#TRAIN}, where it changes the running statistics. The only host
 * read is the (N) acceptance vector, and only when the background is collected (it picks the background rows).
 */
public final class ExplanationMasking {

    /**
     * Saliency maps for a batch: images (N, C, H, W) in [0, 1], targets (N) int64 -> (N, 1, H, W) in [0, 1], with the
     * network's batch norm in the given mode.
     */
    @FunctionalInterface
    public interface Saliency {
        /** The min-max-normalised maps of {@code images} for classes {@code targets}. */
        NDArray maps(NDArray images, NDArray targets, BatchNormMode mode);
    }

    private final float threshold;
    private final float[] fill;

    /**
     * @param threshold keep pixels whose normalised saliency is strictly above this (0.5 in the reference)
     * @param fill the colour of removed pixels, one value per channel in [0, 1]: the data set's mean colour to match
     *     the reference, zeros for black
     */
    public ExplanationMasking(float threshold, float[] fill) {
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold=" + threshold + " must be in [0, 1)");
        }
        this.threshold = threshold;
        this.fill = fill.clone();
    }

    /** The keep threshold. */
    public float threshold() {
        return threshold;
    }

    /**
     * Masks images with maps: pixels where {@code map > threshold} are kept, the others take the fill colour; the
     * same mask for every channel.
     *
     * @param images (N, C, H, W) in [0, 1]
     * @param maps (N, 1, H, W) in [0, 1]
     * @return the masked images (N, C, H, W), attached to the images' manager
     */
    public NDArray mask(NDArray images, NDArray maps) {
        Shape s = images.getShape();
        Shape ms = maps.getShape();
        if (ms.dimension() != 4 || ms.get(0) != s.get(0) || ms.get(1) != 1 || ms.get(2) != s.get(2)
                || ms.get(3) != s.get(3)) {
            throw new IllegalArgumentException("maps " + ms + " do not fit images " + s + ": expected (" + s.get(0)
                    + ", 1, " + s.get(2) + ", " + s.get(3) + ")");
        }
        if (s.get(1) != fill.length) {
            throw new IllegalArgumentException(
                    "images have " + s.get(1) + " channels but the fill colour has " + fill.length);
        }
        NDManager m = images.getManager();
        try (NDManager scope = m.newSubManager()) {
            images.tempAttach(scope);
            NDArray keep = maps.gt(threshold).toType(DataType.FLOAT32, false);
            NDArray colour = scope.create(fill, new Shape(1, fill.length, 1, 1)).toDevice(images.getDevice(), false);
            // keep * x + (1 - keep) * colour: exact for a 0/1 mask.
            NDArray out = images.mul(keep).addi(keep.neg().addi(1f).mul(colour));
            out.attach(m);
            return out;
        }
    }

    /**
     * Builds the first contrastive view of a batch.
     *
     * @param net the current encoder and classifier (explained and queried with batch norm in {@code mode})
     * @param saliency the explainer (Grad-CAM in the reference) applied to {@code standard} for {@code labels}
     * @param standard the standard views v0 (N, C, H, W) in [0, 1]
     * @param labels the labels (N) int64
     * @param backup the backup random views v2 (N, C, H, W)
     * @param collectBackground whether to return the rejected masked images (ExConB)
     * @return the first views, the background samples, and the acceptance vector; arrays attached to {@code
     *     standard}'s manager
     */
    public Result apply(ExconNetwork net, Saliency saliency, NDArray standard, NDArray labels, NDArray backup,
            boolean collectBackground) {
        return apply(net, saliency, standard, labels, backup, collectBackground, BatchNormMode.EVAL);
    }

    /**
     * As {@link #apply(ExconNetwork, Saliency, NDArray, NDArray, NDArray, boolean)} with the explanation and the
     * predictions in batch-norm {@code mode}. In {@link BatchNormMode#TRAIN} the passes are the reference's three, in
     * its order: the saliency pass on {@code standard}, the prediction on the masked images, and the prediction on
     * {@code standard} (unused for the decision), each updating the running statistics.
     */
    public Result apply(ExconNetwork net, Saliency saliency, NDArray standard, NDArray labels, NDArray backup,
            boolean collectBackground, BatchNormMode mode) {
        NDManager m = standard.getManager();
        try (NDManager scope = m.newSubManager()) {
            standard.tempAttach(scope);
            NDArray maps = saliency.maps(standard, labels, mode);
            NDArray masked = mask(standard, maps);
            NDArray predicted = net.logits(masked, mode).argMax(1);
            if (mode.training()) {
                net.features(standard, true); // only for its effect on the running statistics, as in the reference
            }
            NDArray ok = predicted.eq(labels.toType(predicted.getDataType(), false));
            int n = (int) ok.getShape().get(0);
            NDArray okf = ok.toType(DataType.FLOAT32, false).reshape(n, 1, 1, 1);
            NDArray first = masked.mul(okf).addi(backup.mul(okf.neg().addi(1f)));
            NDArray background = null;
            boolean[] accepted = null;
            if (collectBackground) {
                // The one read of the step besides the loss: the number of background rows depends on the data, and
                // the encoder's batch norm sees them, so padding to N rows would change the loss.
                accepted = HostReads.booleans(ok);
                int k = 0;
                for (boolean a : accepted) {
                    k += a ? 0 : 1;
                }
                if (k > 0) {
                    long[] rejected = new long[k];
                    k = 0;
                    for (int i = 0; i < n; i++) {
                        if (!accepted[i]) {
                            rejected[k++] = i;
                        }
                    }
                    background = masked.get(
                            new NDIndex("{}", scope.create(rejected).toDevice(masked.getDevice(), false)));
                    background.attach(m);
                }
            }
            NDArray kept = maps.gt(threshold).toType(DataType.FLOAT32, false).mean();
            for (NDArray a : new NDArray[] {first, masked, ok, kept}) {
                a.attach(m);
            }
            return new Result(first, background, masked, ok, accepted, kept);
        }
    }

    /**
     * The outcome for one batch. Nothing is read to the host until asked for, except the acceptance vector when the
     * background was collected (it decides the background's rows).
     */
    public static final class Result {
        private final NDArray firstView;
        private final NDArray background;
        private final NDArray masked;
        private final NDArray acceptance;
        private final NDArray kept;
        private boolean[] accepted;

        Result(NDArray firstView, NDArray background, NDArray masked, NDArray acceptance, boolean[] accepted,
                NDArray kept) {
            this.firstView = firstView;
            this.background = background;
            this.masked = masked;
            this.acceptance = acceptance;
            this.accepted = accepted;
            this.kept = kept;
        }

        /** (N, C, H, W): accepted masked images, backups elsewhere. */
        public NDArray firstView() {
            return firstView;
        }

        /** (K, C, H, W) rejected masked images when collected and K > 0, else null. */
        public NDArray background() {
            return background;
        }

        /** (N, C, H, W) every masked image, for display. */
        public NDArray masked() {
            return masked;
        }

        /** (N) boolean on the images' device: whether the classifier still recognised each masked image. */
        public NDArray acceptance() {
            return acceptance;
        }

        /** How many masked images the classifier still recognised (reads the acceptance vector once if needed). */
        public int accepted() {
            if (accepted == null) {
                accepted = HostReads.booleans(acceptance);
            }
            int count = 0;
            for (boolean a : accepted) {
                count += a ? 1 : 0;
            }
            return count;
        }

        /** N. */
        public int total() {
            return (int) acceptance.getShape().get(0);
        }

        /** Mean share of pixels kept by the masks (one read). */
        public double keptFraction() {
            return HostReads.scalar(kept);
        }

        /** accepted / total. */
        public double acceptanceRate() {
            return total() == 0 ? 0 : (double) accepted() / total();
        }

        /** The number of background samples K. */
        public int backgroundCount() {
            return background == null ? 0 : (int) background.getShape().get(0);
        }
    }
}
