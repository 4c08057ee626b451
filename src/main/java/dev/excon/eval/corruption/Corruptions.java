package dev.excon.eval.corruption;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.excon.ExconRuntime;
import dev.excon.Scalars;
import dev.excon.data.ArrayImageDataset;
import dev.excon.data.ImageDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CIFAR-C-like corruption catalogue (Hendrycks and Dietterich 2019, arXiv 1903.12261): eleven corruptions of
 * their CIFAR generator, each at severities 1-5 with its published parameters, and the corruption of a whole data
 * set.
 *
 * <pre>{@code
 * Corruption noise = Corruptions.byName("gaussian_noise");
 * NDArray x3 = noise.apply(images, 3, 42);                       // float32 (N, C, H, W) in [0, 1]
 * ImageDataset c = Corruptions.corrupt(test, noise, 3, 42);      // named cifar-c-like/gaussian_noise/3
 * }</pre>
 *
 * <p>The generator's 19 corruptions also include motion, zoom and glass blur, snow, frost, fog, spatter and elastic
 * transform; they are not made here (frost needs the generator's photographs, motion blur and snow ImageMagick). For
 * the full official set read the CIFAR-100-C files with {@link dev.excon.data.Cifar100C}.
 */
public final class Corruptions {

    /** The number of severities (1 = mildest ... 5 = strongest). */
    public static final int SEVERITIES = 5;

    /** The prefix of every data set made here: these are CIFAR-C-like, not the official CIFAR-100-C. */
    public static final String NAME_PREFIX = "cifar-c-like";

    /** The default seed of {@link #corrupt(ImageDataset, Corruption, int)}. */
    public static final long DEFAULT_SEED = 42;

    /** Images per batch when corrupting a data set. */
    public static final int BATCH_SIZE = 256;

    private static final List<Corruption> ALL = List.of(
            new GaussianNoise(), new ShotNoise(), new ImpulseNoise(), new SpeckleNoise(), new GaussianBlur(),
            new DefocusBlur(), new Brightness(), new Contrast(), new Saturate(), new Pixelate(),
            new JpegCompression());

    private Corruptions() {}

    /**
     * All eleven, in this order: gaussian_noise, shot_noise, impulse_noise, speckle_noise, gaussian_blur,
     * defocus_blur, brightness, contrast, saturate, pixelate, jpeg_compression (noise, blur, digital).
     */
    public static List<Corruption> all() {
        return ALL;
    }

    /** The names of {@link #all()}, in that order. */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Corruption c : ALL) {
            n.add(c.name());
        }
        return List.copyOf(n);
    }

    /**
     * The corruption with the generator's name (case-insensitive, {@code -} or space read as {@code _}).
     *
     * @throws IllegalArgumentException naming the known corruptions if there is none by that name
     */
    public static Corruption byName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (Corruption c : ALL) {
            if (c.name().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no CIFAR-C-like corruption named '" + name + "'; known: "
                + String.join(", ", names()));
    }

    /** Additive Gaussian noise, sigma 0.04, 0.06, 0.08, 0.09, 0.10. */
    public static Corruption gaussianNoise() {
        return ALL.get(0);
    }

    /** Poisson noise, lambda 500, 250, 100, 75, 50. */
    public static Corruption shotNoise() {
        return ALL.get(1);
    }

    /** Salt-and-pepper noise, amount 0.01, 0.02, 0.03, 0.05, 0.07. */
    public static Corruption impulseNoise() {
        return ALL.get(2);
    }

    /** Multiplicative Gaussian noise, sigma 0.06, 0.1, 0.12, 0.16, 0.2. */
    public static Corruption speckleNoise() {
        return ALL.get(3);
    }

    /** Gaussian blur, sigma 0.4, 0.6, 0.7, 0.8, 1. */
    public static Corruption gaussianBlur() {
        return ALL.get(4);
    }

    /** Anti-aliased disk blur, (radius, alias blur) (0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1). */
    public static Corruption defocusBlur() {
        return ALL.get(5);
    }

    /** HSV value + 0.05, 0.1, 0.15, 0.2, 0.3. */
    public static Corruption brightness() {
        return ALL.get(6);
    }

    /** Per-channel contrast factor 0.75, 0.5, 0.4, 0.3, 0.15. */
    public static Corruption contrast() {
        return ALL.get(7);
    }

    /** HSV saturation {@code s * a + b}, (a, b) (0.3, 0), (0.1, 0), (1.5, 0), (2, 0.1), (2.5, 0.2); no-op on gray. */
    public static Corruption saturate() {
        return ALL.get(8);
    }

    /** Box down- and up-sampling by 0.95, 0.9, 0.85, 0.75, 0.65. */
    public static Corruption pixelate() {
        return ALL.get(9);
    }

    /** JPEG at quality 80, 65, 58, 50, 40. */
    public static Corruption jpegCompression() {
        return ALL.get(10);
    }

    /** {@link #corrupt(ImageDataset, Corruption, int, long)} with {@link #DEFAULT_SEED}. */
    public static ImageDataset corrupt(ImageDataset data, Corruption corruption, int severity) {
        return corrupt(data, corruption, severity, DEFAULT_SEED);
    }

    /** {@link #corrupt(ImageDataset, Corruption, int, long)} by name. */
    public static ImageDataset corrupt(ImageDataset data, String corruption, int severity, long seed) {
        return corrupt(data, byName(corruption), severity, seed);
    }

    /**
     * Corrupts every image of a data set at one severity, on the CPU in batches of {@link #BATCH_SIZE}, into a new
     * uint8 data set named {@code cifar-c-like/<corruption>/<severity>} with the same labels and class names. Pixels
     * are rounded to the nearest level (the generator truncates; the difference is below one level). The result
     * depends only on the data, corruption, severity and seed.
     *
     * @throws IllegalArgumentException if severity is not 1-5
     */
    public static ImageDataset corrupt(ImageDataset data, Corruption corruption, int severity, long seed) {
        AbstractCorruption.checkSeverity(severity);
        ExconRuntime.init();
        int n = data.size();
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int per = data.imageBytes();
        byte[] out = new byte[n * per];
        byte[] raw = new byte[Math.min(BATCH_SIZE, Math.max(n, 1)) * per];
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (int from = 0; from < n; from += BATCH_SIZE) {
                int b = Math.min(BATCH_SIZE, n - from);
                for (int i = 0; i < b; i++) {
                    data.copyImage(from + i, raw, i * per);
                }
                try (NDManager batch = m.newSubManager()) {
                    NDArray x = Scalars.divi(batch.create(java.nio.ByteBuffer.wrap(raw, 0, b * per), new Shape(b, c, h, w),
                            DataType.UINT8).toType(DataType.FLOAT32, false), 255f);
                    NDArray y = corruption.apply(x, severity, seed, from);
                    float[] v = y.toFloatArray();
                    for (int k = 0; k < v.length; k++) {
                        out[from * per + k] = (byte) Math.round(v[k] * 255f);
                    }
                }
            }
        }
        return new ArrayImageDataset(datasetName(corruption.name(), severity), out, data.labels(), c, h, w,
                data.classNames());
    }

    /** {@code cifar-c-like/<corruption>/<severity>}. */
    public static String datasetName(String corruption, int severity) {
        return NAME_PREFIX + "/" + corruption + "/" + severity;
    }
}
