package dev.excon.saliency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.excon.Scalars;
import java.util.SplittableRandom;

/**
 * SmoothGrad (Smilkov et al., <a href="https://arxiv.org/abs/1706.03825">arXiv 1706.03825</a>): the input gradient
 * averaged over noisy copies of each image,
 *
 * <pre>
 *   a = (1/n) sum_{s=1..n} d f_c / d x ( x + eps_s ),   eps_s ~ N(0, sigma^2 I),   sigma = noiseLevel * (max x - min x)
 * </pre>
 *
 * with n = {@code samples}, and {@code max x - min x} the value range of each image (so {@code noiseLevel} is the
 * paper's sigma / (x_max - x_min), 0.1-0.2 being its recommendation). Noisy images are not clipped to [0, 1]. The map
 * is the {@link ChannelReduction} of the averaged gradient (default the signed channel sum); with noise level 0 it is
 * the {@link InputGradient} map.
 *
 * <p>The noise is drawn on the host from {@code new SplittableRandom(seed)} in a fixed order (sample, then image,
 * channel, row, column) and copied to the device: the same seed gives the same maps on every call, device and
 * internal batch size, and the engine's global random state is left alone. Samples run {@code max(1,
 * internalBatchSize / N)} per forward/backward pass, so a pass holds at most {@code max(N, internalBatchSize)} images.
 * The explanation's logits (and a predicted target) come from one extra forward pass of the clean images.
 */
public final class SmoothGrad extends GradientExplainer {

    private final int samples;
    private final float noiseLevel;
    private final long seed;
    private final int internalBatchSize;

    private SmoothGrad(Builder b) {
        super(b.reduction);
        this.samples = b.samples;
        this.noiseLevel = b.noiseLevel;
        this.seed = b.seed;
        this.internalBatchSize = b.internalBatchSize;
    }

    /** Starts a builder; defaults: 50 samples, noise level 0.15, seed 1, internal batch 64, signed channel sum. */
    public static Builder builder() {
        return new Builder();
    }

    /** n, the number of noisy copies per image. */
    public int samples() {
        return samples;
    }

    /** The noise standard deviation relative to each image's value range. */
    public float noiseLevel() {
        return noiseLevel;
    }

    /** The noise seed. */
    public long seed() {
        return seed;
    }

    /** The number of images per forward/backward pass (at least one sample of the whole batch). */
    public int internalBatchSize() {
        return internalBatchSize;
    }

    @Override
    Attribution attribute(ExplainSession s) {
        NDArray x = s.input();
        Shape shape = x.getShape();
        long n = shape.get(0);
        NDArray logits = s.logits(x);
        NDArray classes = s.classes(logits);
        NDArray oneHot = s.oneHot(classes);
        NDArray flat = x.reshape(n, -1);
        NDArray sigma = Scalars.muli(flat.max(new int[] {1}).sub(flat.min(new int[] {1})), noiseLevel).reshape(1, n, 1, 1, 1);
        NDArray clean = x.expandDims(0);
        SplittableRandom random = new SplittableRandom(seed);
        int imageSize = Math.toIntExact(shape.size());
        NDArray sum = sumOfGradients(s, oneHot, samples, internalBatchSize, (pass, first, k) -> {
            float[] noise = new float[Math.multiplyExact(k, imageSize)];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) random.nextGaussian();
            }
            Shape variants = new Shape(k, n, shape.get(1), shape.get(2), shape.get(3));
            return pass.create(noise, variants).mul(sigma).add(clean);
        });
        return new Attribution(Scalars.divi(sum, samples), logits, classes);
    }

    @Override
    public String toString() {
        return "SmoothGrad[samples " + samples + ", noise level " + noiseLevel + " of each image's range, seed " + seed
                + ", internal batch " + internalBatchSize + ", reduction " + reduction() + "]";
    }

    /** Options of {@link SmoothGrad}. */
    public static final class Builder {
        private int samples = 50;
        private float noiseLevel = 0.15f;
        private long seed = 1;
        private int internalBatchSize = 64;
        private ChannelReduction reduction = ChannelReduction.SUM;

        private Builder() {}

        /** Noisy copies per image; default 50 (the paper's). */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Noise standard deviation relative to each image's value range; default 0.15 (the paper's 10-20%). */
        public Builder optNoiseLevel(float noiseLevel) {
            this.noiseLevel = noiseLevel;
            return this;
        }

        /** Noise seed; default 1. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Images per forward/backward pass; default 64. A pass always holds at least one sample of the batch. */
        public Builder optInternalBatchSize(int internalBatchSize) {
            this.internalBatchSize = internalBatchSize;
            return this;
        }

        /** Channel reduction of the averaged gradient; default {@link ChannelReduction#SUM}. */
        public Builder optReduction(ChannelReduction reduction) {
            this.reduction = reduction;
            return this;
        }

        /** Validates and builds. */
        public SmoothGrad build() {
            if (samples < 1) {
                throw new IllegalArgumentException("samples=" + samples + ": need at least 1 (50 is usual)");
            }
            if (!(noiseLevel >= 0) || Float.isInfinite(noiseLevel)) {
                throw new IllegalArgumentException("noiseLevel=" + noiseLevel + " must be finite and >= 0 (0.1-0.2)");
            }
            if (internalBatchSize < 1) {
                throw new IllegalArgumentException("internalBatchSize=" + internalBatchSize + " must be positive");
            }
            return new SmoothGrad(this);
        }
    }
}
