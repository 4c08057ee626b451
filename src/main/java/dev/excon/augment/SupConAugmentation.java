package dev.excon.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * The SupCon augmentation of the reference code (SupContrast / ExCon {@code TwoCropTransform}), batched: {@code
 * RandomResizedCrop(size, scale=(0.2, 1), ratio=(3/4, 4/3))}, {@code RandomHorizontalFlip(0.5)}, {@code
 * RandomApply([ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8)}, {@code RandomGrayscale(0.2)}.
 *
 * <p>{@link #apply(NDArray, SplittableRandom)} draws one parameter set per image on the host ({@link #sample}) and
 * applies them to the whole batch on its device: the crop, resize and flip are two batched matrix products with
 * PIL-bilinear interpolation weights; the jitter runs its four operations in a random order per image, as
 * torchvision does. Input and output: float32 (N, C, H, W) in [0, 1], C = 1 or 3; output (N, C, size, size).
 * Saturation, hue and grayscale leave 1-channel images unchanged, as torchvision does.
 *
 * <pre>{@code
 * SupConAugmentation aug = SupConAugmentation.reference(32);
 * NDArray view = aug.apply(batch.images(), new SplittableRandom(42));
 * }</pre>
 */
public final class SupConAugmentation {

    private final int size;
    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;
    private final double flipProbability;
    private final double jitterProbability;
    private final float brightness;
    private final float contrast;
    private final float saturation;
    private final float hue;
    private final double grayscaleProbability;

    private SupConAugmentation(Builder b) {
        this.size = b.size;
        this.minScale = b.minScale;
        this.maxScale = b.maxScale;
        this.minRatio = b.minRatio;
        this.maxRatio = b.maxRatio;
        this.flipProbability = b.flipProbability;
        this.jitterProbability = b.jitterProbability;
        this.brightness = b.brightness;
        this.contrast = b.contrast;
        this.saturation = b.saturation;
        this.hue = b.hue;
        this.grayscaleProbability = b.grayscaleProbability;
    }

    /** The reference pipeline producing {@code size x size} views (32 for CIFAR and Fashion-MNIST, 64 for Tiny). */
    public static SupConAugmentation reference(int size) {
        return builder().setSize(size).build();
    }

    /** A builder starting from the reference settings; {@code size} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Output height and width. */
    public int size() {
        return size;
    }

    /** Draws parameters from {@code rng} and applies them: one augmented view per image. */
    public NDArray apply(NDArray images, SplittableRandom rng) {
        Shape s = checkImages(images);
        return apply(images, sample((int) s.get(0), (int) s.get(2), (int) s.get(3), rng));
    }

    /** One augmented view per image from a fresh generator seeded with {@code seed}: same seed, same views. */
    public NDArray apply(NDArray images, long seed) {
        return apply(images, new SplittableRandom(seed));
    }

    /**
     * Draws the parameters for {@code n} images of {@code height x width}, in torchvision's order per image: crop,
     * flip, whether to jitter, the jitter's order and factors, grayscale.
     */
    public ViewParams sample(int n, int height, int width, SplittableRandom rng) {
        int[] top = new int[n];
        int[] left = new int[n];
        int[] ch = new int[n];
        int[] cw = new int[n];
        boolean[] flip = new boolean[n];
        boolean[] jitter = new boolean[n];
        float[] fb = new float[n];
        float[] fc = new float[n];
        float[] fs = new float[n];
        float[] fh = new float[n];
        int[][] order = new int[n][];
        boolean[] gray = new boolean[n];
        int[] crop = new int[4];
        for (int i = 0; i < n; i++) {
            sampleCrop(height, width, rng, crop);
            top[i] = crop[0];
            left[i] = crop[1];
            ch[i] = crop[2];
            cw[i] = crop[3];
            flip[i] = rng.nextDouble() < flipProbability;
            jitter[i] = rng.nextDouble() < jitterProbability;
            order[i] = new int[] {0, 1, 2, 3};
            fb[i] = 1f;
            fc[i] = 1f;
            fs[i] = 1f;
            fh[i] = 0f;
            if (jitter[i]) {
                for (int k = 3; k > 0; k--) {
                    int j = rng.nextInt(k + 1);
                    int t = order[i][k];
                    order[i][k] = order[i][j];
                    order[i][j] = t;
                }
                fb[i] = factor(brightness, rng);
                fc[i] = factor(contrast, rng);
                fs[i] = factor(saturation, rng);
                fh[i] = hue == 0 ? 0f : (float) (-hue + 2 * hue * rng.nextDouble());
            }
            gray[i] = rng.nextDouble() < grayscaleProbability;
        }
        return new ViewParams(top, left, ch, cw, flip, jitter, fb, fc, fs, fh, order, gray);
    }

    /** Applies drawn parameters to a batch: crop + resize + flip, then jitter, then grayscale. */
    public NDArray apply(NDArray images, ViewParams p) {
        Shape s = checkImages(images);
        int n = (int) s.get(0);
        if (p.size() != n) {
            throw new IllegalArgumentException("parameters for " + p.size() + " images but the batch has " + n);
        }
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDManager m = images.getManager();
        try (NDManager scope = m.newSubManager(images.getDevice())) {
            NDArray x = images;
            x.tempAttach(scope);
            NDArray out = cropResizeFlip(scope, x, p, h, w);
            out = jitter(scope, out, p);
            out = grayscale(scope, out, p);
            out.attach(m);
            return out;
        }
    }

    private static Shape checkImages(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || (s.get(1) != 1 && s.get(1) != 3)) {
            throw new IllegalArgumentException(
                    "images must be (N, C, H, W) with C = 1 or 3, got " + s + "; add a batch axis with expandDims(0)");
        }
        return s;
    }

    private NDArray cropResizeFlip(NDManager scope, NDArray x, ViewParams p, int h, int w) {
        int n = p.size();
        float[] wy = new float[n * size * h];
        float[] wx = new float[n * size * w];
        for (int i = 0; i < n; i++) {
            ResampleWeights.fill(wy, i * size * h, h, p.cropTop()[i], p.cropHeight()[i], size, false);
            ResampleWeights.fill(wx, i * size * w, w, p.cropLeft()[i], p.cropWidth()[i], size, p.flip()[i]);
        }
        // Two batched products with one matrix per image: rows (N,S,H) x (N,H,C*W), then (N,S*C,W) x (N,W,S).
        long c = x.getShape().get(1);
        NDArray rows = scope.create(wy, new Shape(n, size, h));
        NDArray colsT = scope.create(wx, new Shape(n, size, w)).transpose(0, 2, 1);
        NDArray byRow = x.transpose(0, 2, 1, 3).reshape(n, h, c * w);
        NDArray resized = rows.matMul(byRow).reshape(n, (long) size * c, w).matMul(colsT);
        return resized.reshape(n, size, c, size).transpose(0, 2, 1, 3);
    }

    private NDArray jitter(NDManager scope, NDArray x, ViewParams p) {
        int n = p.size();
        boolean rgb = x.getShape().get(1) == 3;
        for (int pos = 0; pos < 4; pos++) {
            // At each position every jittered image runs exactly one operation. Brightness, contrast and saturation
            // are all clamp(a x + b luma + c mean luma), so one pass covers them, with (1, 0, 0) for the images
            // whose operation here is hue or that are not jittered.
            float[] a = new float[n];
            float[] b = new float[n];
            float[] c = new float[n];
            boolean anyLinear = false;
            int hueCount = 0;
            for (int i = 0; i < n; i++) {
                a[i] = 1f;
                int op = p.jitter()[i] ? p.jitterOrder()[i][pos] : -1;
                if (op == ViewParams.BRIGHTNESS) {
                    a[i] = p.brightness()[i];
                } else if (op == ViewParams.CONTRAST) {
                    a[i] = p.contrast()[i];
                    c[i] = 1f - a[i];
                } else if (op == ViewParams.SATURATION && rgb) {
                    a[i] = p.saturation()[i];
                    b[i] = 1f - a[i];
                } else if (op == ViewParams.HUE && p.hue()[i] != 0f) {
                    hueCount++;
                }
                anyLinear |= a[i] != 1f;
            }
            if (anyLinear) {
                x = ColorOps.linearJitter(x, scope.create(a), scope.create(b), scope.create(c));
            }
            if (hueCount > 0 && rgb) {
                x = hueSubset(scope, x, p, pos, hueCount);
            }
        }
        return x;
    }

    /** Hue costs the most, so it runs only on the images whose operation at {@code pos} is hue. */
    private static NDArray hueSubset(NDManager scope, NDArray x, ViewParams p, int pos, int count) {
        int n = p.size();
        long[] rows = new long[count];
        float[] shifts = new float[count];
        long[] gather = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (p.jitter()[i] && p.jitterOrder()[i][pos] == ViewParams.HUE && p.hue()[i] != 0f) {
                rows[k] = i;
                shifts[k] = p.hue()[i];
                gather[i] = n + k;
                k++;
            } else {
                gather[i] = i;
            }
        }
        if (count == n) {
            return ColorOps.hue(x, scope.create(shifts));
        }
        NDArray sub = x.get(new NDIndex("{}", scope.create(rows)));
        NDArray shifted = ColorOps.hue(sub, scope.create(shifts));
        // Put the shifted images back in their rows: gather from [x ; shifted].
        return NDArrays.concat(new NDList(x, shifted), 0).get(new NDIndex("{}", scope.create(gather)));
    }

    private static NDArray grayscale(NDManager scope, NDArray x, ViewParams p) {
        if (x.getShape().get(1) == 1) {
            return x;
        }
        int n = p.size();
        float[] g = new float[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            g[i] = p.grayscale()[i] ? 1f : 0f;
            any |= p.grayscale()[i];
        }
        if (!any) {
            return x;
        }
        return ColorOps.select(scope.create(g), ColorOps.grayscale(x), x);
    }

    /**
     * torchvision's {@code RandomResizedCrop.get_params}: up to ten tries of a random area fraction and log-uniform
     * aspect ratio; if none fits, the central crop with the ratio clamped to the allowed range.
     */
    private void sampleCrop(int height, int width, SplittableRandom rng, int[] out) {
        double area = (double) height * width;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + (maxScale - minScale) * rng.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (cw > 0 && cw <= width && ch > 0 && ch <= height) {
                out[0] = rng.nextInt(height - ch + 1);
                out[1] = rng.nextInt(width - cw + 1);
                out[2] = ch;
                out[3] = cw;
                return;
            }
        }
        double inRatio = (double) width / height;
        int cw;
        int ch;
        if (inRatio < minRatio) {
            cw = width;
            ch = (int) Math.round(cw / minRatio);
        } else if (inRatio > maxRatio) {
            ch = height;
            cw = (int) Math.round(ch * maxRatio);
        } else {
            cw = width;
            ch = height;
        }
        out[0] = (height - ch) / 2;
        out[1] = (width - cw) / 2;
        out[2] = ch;
        out[3] = cw;
    }

    /** torchvision's factor range for an amount a: uniform on [max(0, 1 - a), 1 + a]. */
    private static float factor(float amount, SplittableRandom rng) {
        if (amount == 0) {
            return 1f;
        }
        double lo = Math.max(0, 1 - amount);
        double hi = 1 + amount;
        return (float) (lo + (hi - lo) * rng.nextDouble());
    }

    @Override
    public String toString() {
        return "SupConAugmentation[size=" + size + ", scale=(" + minScale + ", " + maxScale + "), ratio=(" + minRatio
                + ", " + maxRatio + "), flip=" + flipProbability + ", jitter=" + jitterProbability + " x ColorJitter("
                + brightness + ", " + contrast + ", " + saturation + ", " + hue + "), grayscale="
                + grayscaleProbability + "]";
    }

    /** Options of the SupCon augmentation; defaults are the reference's. */
    public static final class Builder {
        private int size;
        private double minScale = 0.2;
        private double maxScale = 1.0;
        private double minRatio = 3.0 / 4.0;
        private double maxRatio = 4.0 / 3.0;
        private double flipProbability = 0.5;
        private double jitterProbability = 0.8;
        private float brightness = 0.4f;
        private float contrast = 0.4f;
        private float saturation = 0.4f;
        private float hue = 0.1f;
        private double grayscaleProbability = 0.2;

        private Builder() {}

        /** Required: the output height and width in pixels. */
        public Builder setSize(int size) {
            this.size = size;
            return this;
        }

        /** Range of the crop's area as a fraction of the image; default (0.2, 1.0). */
        public Builder optCropScale(double min, double max) {
            this.minScale = min;
            this.maxScale = max;
            return this;
        }

        /** Range of the crop's aspect ratio (width / height); default (3/4, 4/3). */
        public Builder optCropRatio(double min, double max) {
            this.minRatio = min;
            this.maxRatio = max;
            return this;
        }

        /** Probability of a left-right flip; default 0.5. */
        public Builder optFlipProbability(double p) {
            this.flipProbability = p;
            return this;
        }

        /**
         * ColorJitter strengths: factors drawn from [1 - a, 1 + a] for brightness, contrast and saturation, hue shift
         * from [-h, h] turns; default (0.4, 0.4, 0.4, 0.1).
         */
        public Builder optColorJitter(float brightness, float contrast, float saturation, float hue) {
            this.brightness = brightness;
            this.contrast = contrast;
            this.saturation = saturation;
            this.hue = hue;
            return this;
        }

        /** Probability that colour jitter is applied at all; default 0.8. */
        public Builder optJitterProbability(double p) {
            this.jitterProbability = p;
            return this;
        }

        /** Probability of turning the view to grayscale; default 0.2. */
        public Builder optGrayscaleProbability(double p) {
            this.grayscaleProbability = p;
            return this;
        }

        /** Validates and builds. */
        public SupConAugmentation build() {
            if (size < 1) {
                throw new IllegalArgumentException("size=" + size + ": call setSize(n), e.g. 32 for CIFAR");
            }
            if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
                throw new IllegalArgumentException(
                        "crop scale (" + minScale + ", " + maxScale + ") must satisfy 0 < min <= max <= 1");
            }
            if (!(minRatio > 0 && minRatio <= maxRatio)) {
                throw new IllegalArgumentException(
                        "crop ratio (" + minRatio + ", " + maxRatio + ") must satisfy 0 < min <= max");
            }
            checkProbability("flip", flipProbability);
            checkProbability("jitter", jitterProbability);
            checkProbability("grayscale", grayscaleProbability);
            if (brightness < 0 || contrast < 0 || saturation < 0) {
                throw new IllegalArgumentException(
                        "ColorJitter(" + brightness + ", " + contrast + ", " + saturation + ", ...) needs amounts >= 0");
            }
            if (hue < 0 || hue > 0.5f) {
                throw new IllegalArgumentException("hue=" + hue + " must be in [0, 0.5] turns");
            }
            return new SupConAugmentation(this);
        }

        private static void checkProbability(String name, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + " probability " + p + " must be in [0, 1]");
            }
        }
    }
}
