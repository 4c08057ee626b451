package dev.excon.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.excon.ExconRuntime;
import dev.excon.data.ImageDataset;
import dev.excon.model.ImageBatches;
import dev.excon.model.ImageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adversarial robustness over an epsilon grid: clean accuracy, then for each radius the accuracy and the calibration
 * on the attacked images (the reference's only "shifted" data: its ECE is computed on FGSM-perturbed test images).
 *
 * <p>Per batch: the clean logits, then for each radius the attack and one forward pass of the adversarial images;
 * the (1 + E) logit batches go to the host in one transfer. With FGSM the input gradient does not depend on the
 * radius, so it is computed once per batch (one forward and backward pass, whose logits are also the clean ones) and
 * every radius costs a single forward pass. PGD's random start gets an independent stream per batch ({@link
 * Attack#forBatch}).
 *
 * <pre>{@code
 * RobustnessResult fgsm = Robustness.fgsm().evaluate(net, data.test());          // eps 1, 2, 4, 8 /255
 * RobustnessResult pgd = Robustness.builder().optAttack(Attacks.pgd(8)).build().evaluate(net, data.test());
 * fgsm.accuracies();            // top-1 per eps
 * fgsm.calibration().get(2);    // ECE, NLL, Brier, reliability bins at 4/255
 * }</pre>
 */
public final class Robustness {

    /** The default grid, in /255 units. */
    public static final double[] DEFAULT_EPSILONS = {1, 2, 4, 8};

    /** Images per batch by default. */
    public static final int DEFAULT_BATCH_SIZE = 128;

    private final double[] epsilons;
    private final Attack attack;
    private final int batchSize;
    private final Calibration calibration;

    private Robustness(Builder b) {
        this.epsilons = b.epsilons.clone();
        this.attack = b.attack;
        this.batchSize = b.batchSize;
        this.calibration = b.calibration;
    }

    /** FGSM over 1, 2, 4, 8 /255, batches of 128, 10-bin calibration. */
    public static Robustness fgsm() {
        return builder().build();
    }

    /** Starts a builder with the {@link #fgsm()} settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The grid in /255 units. */
    public double[] epsilons() {
        return epsilons.clone();
    }

    /** Evaluates a network over a data set, in its order. */
    public RobustnessResult evaluate(ImageModel net, ImageDataset data) {
        int c = net.numClasses();
        Sums sums = new Sums(c, data.classNames());
        long[] index = {0};
        DatasetPass.forEach(net, data, batchSize,
                (images, batch) -> sums.add(logits(net, images, batch.labels(), index[0]++), c,
                        batch.labelValues()));
        return sums.result();
    }

    /**
     * Evaluates one batch.
     *
     * @param images (N, C, H, W) float32 in [0, 1]; not modified
     * @param labels (N) int64 true classes on the images' device
     */
    public RobustnessResult evaluate(ImageModel model, NDArray images, NDArray labels) {
        ExconRuntime.noGradientRecording();
        ImageBatches.check(model, images);
        Tensors.checkLabels(images, labels);
        float[] all = logits(model, images, labels, 0);
        int[] y = Tensors.ints(labels);
        int c = all.length / ((epsilons.length + 1) * y.length);
        Sums sums = new Sums(c, List.of());
        sums.add(all, c, y);
        return sums.result();
    }

    /** The clean logits and those of every radius, (1 + E) x N x K row-major, one transfer. */
    private float[] logits(ImageModel model, NDArray images, NDArray labels, long batchIndex) {
        NDManager owner = images.getManager();
        try (NDManager scope = owner.newSubManager(images.getDevice())) {
            images.tempAttach(scope);
            labels.tempAttach(scope);
            NDList out = new NDList();
            if (attack instanceof Fgsm) {
                NDArray sign;
                try (AttackSession s = AttackSession.open(model, images, labels)) {
                    AttackSession.LossGradient g = s.lossGradient(s.input());
                    sign = s.keep(g.gradient().sign());
                    out.add(s.keep(g.logits()));
                }
                for (double eps : epsilons) {
                    out.add(model.logits(Fgsm.step(images, sign, (float) (eps / 255))));
                }
            } else {
                out.add(model.logits(images));
                for (double eps : epsilons) {
                    out.add(model.logits(attack.withEpsilon(eps).forBatch(batchIndex).perturb(model, images, labels)));
                }
            }
            return NDArrays.stack(out).toFloatArray();
        }
    }

    /** Accuracy and calibration accumulators for the clean images and every radius. */
    private final class Sums {
        private final Accuracy.Accumulator clean;
        private final Calibration.Accumulator cleanCalibration;
        private final List<Accuracy.Accumulator> adversarial = new ArrayList<>();
        private final List<Calibration.Accumulator> adversarialCalibration = new ArrayList<>();

        Sums(int numClasses, List<String> names) {
            clean = new Accuracy.Accumulator(numClasses, Accuracy.DEFAULT_TOP_K, names);
            cleanCalibration = calibration.accumulator();
            for (int e = 0; e < epsilons.length; e++) {
                adversarial.add(new Accuracy.Accumulator(numClasses, Accuracy.DEFAULT_TOP_K, names));
                adversarialCalibration.add(calibration.accumulator());
            }
        }

        void add(float[] all, int numClasses, int[] labels) {
            int block = labels.length * numClasses;
            for (int e = 0; e <= epsilons.length; e++) {
                float[] part = Arrays.copyOfRange(all, e * block, (e + 1) * block);
                (e == 0 ? clean : adversarial.get(e - 1)).add(part, labels);
                (e == 0 ? cleanCalibration : adversarialCalibration.get(e - 1)).addLogits(part, numClasses, labels);
            }
        }

        RobustnessResult result() {
            List<AccuracyResult> acc = new ArrayList<>();
            List<CalibrationResult> cal = new ArrayList<>();
            for (int e = 0; e < epsilons.length; e++) {
                acc.add(adversarial.get(e).result());
                cal.add(adversarialCalibration.get(e).result());
            }
            return new RobustnessResult(attack.settings(), epsilons.clone(), clean.result(),
                    cleanCalibration.result(), List.copyOf(acc), List.copyOf(cal), null);
        }
    }

    @Override
    public String toString() {
        return "Robustness[" + attack.settings() + " over eps " + Arrays.toString(epsilons) + "/255, batch " + batchSize + ", "
                + calibration + "]";
    }

    /** Options of {@link Robustness}. */
    public static final class Builder {
        private double[] epsilons = DEFAULT_EPSILONS.clone();
        private Attack attack = Attacks.fgsm(4);
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Calibration calibration = Calibration.standard();

        private Builder() {}

        /** The radii in /255 units; default 1, 2, 4, 8. */
        public Builder optEpsilons(double... epsilons255) {
            if (epsilons255.length == 0) {
                throw new IllegalArgumentException("give at least one epsilon (in /255 units)");
            }
            for (double e : epsilons255) {
                Attacks.checkEpsilon(e);
            }
            this.epsilons = epsilons255.clone();
            return this;
        }

        /**
         * The attack, swept over the grid with {@link Attack#withEpsilon} (its own radius is ignored); default FGSM.
         */
        public Builder optAttack(Attack attack) {
            if (attack == null) {
                throw new IllegalArgumentException("attack is null: pass e.g. Attacks.fgsm(4) or Attacks.pgd(8)");
            }
            this.attack = attack;
            return this;
        }

        /** Images per batch for data-set evaluation; default 128. */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = Tensors.positive("batchSize", batchSize);
            return this;
        }

        /** The calibration bins; default {@link Calibration#standard()}. */
        public Builder optCalibration(Calibration calibration) {
            if (calibration == null) {
                throw new IllegalArgumentException("calibration is null: pass e.g. Calibration.standard()");
            }
            this.calibration = calibration;
            return this;
        }

        /** Builds the evaluator. */
        public Robustness build() {
            return new Robustness(this);
        }
    }
}
