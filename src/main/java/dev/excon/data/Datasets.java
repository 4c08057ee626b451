package dev.excon.data;

import java.nio.file.Path;

/**
 * One obvious entry point per data set. Every reader returns uint8 images, C x H x W per image, values 0-255, labels
 * in {@code [0, numClasses())}; errors are {@link DatasetException}s naming the path, what was expected and how to
 * get the data. Default locations come from {@link DataPaths} ({@code -Dexcon.data}, {@code EXCON_DATA} or {@code
 * ./data}, plus one environment variable per data set). These readers check what they read (gzip CRCs, sizes,
 * labels); checking the files against their publishers' checksums is {@code TrainingData.load}'s first step (and
 * {@code excon data verify}'s), through {@code dev.excon.data.verify.DataVerifier}, which sits above this package.
 */
public final class Datasets {

    private Datasets() {}

    /**
     * Fashion-MNIST from {@link DataPaths#fashionMnist()} ({@code EXCON_FASHION_MNIST}, {@code
     * <data>/fashion-mnist}, then Debian's {@code /usr/share/datasets/fashion-mnist}): 60,000 / 10,000 images of 1 x
     * 28 x 28, 10 classes.
     */
    public static TrainTest fashionMnist() {
        return FashionMnist.load();
    }

    /** Fashion-MNIST from the four IDX files (optionally {@code .gz}) in {@code dir}; see {@link FashionMnist}. */
    public static TrainTest fashionMnist(Path dir) {
        return FashionMnist.load(dir);
    }

    /**
     * MNIST from the four IDX files (optionally {@code .gz}) in {@code dir}: 60,000 / 10,000 images of 1 x 28 x 28,
     * classes "0" to "9". There is no default location.
     */
    public static TrainTest mnist(Path dir) {
        return Idx.loadTrainTest(dir, "mnist", "MNIST", ClassNames.MNIST,
                "put the four MNIST IDX files (from http://yann.lecun.com/exdb/mnist/) in this directory");
    }

    /** CIFAR-10 from {@link DataPaths#cifar10()} ({@code EXCON_CIFAR10}, else {@code <data>/cifar-10-batches-bin}). */
    public static TrainTest cifar10() {
        return Cifar.load10();
    }

    /** CIFAR-10 binary version in {@code dir}: 50,000 / 10,000 images of 3 x 32 x 32, 10 classes. */
    public static TrainTest cifar10(Path dir) {
        return Cifar.load10(dir);
    }

    /**
     * CIFAR-100 with the 100 fine labels from {@link DataPaths#cifar100()} ({@code EXCON_CIFAR100}, else {@code
     * <data>/cifar-100-binary}).
     */
    public static TrainTest cifar100() {
        return Cifar.load100();
    }

    /** CIFAR-100 binary version in {@code dir}, fine labels: 50,000 / 10,000 images of 3 x 32 x 32, 100 classes. */
    public static TrainTest cifar100(Path dir) {
        return Cifar.load100(dir);
    }

    /** CIFAR-100 in {@code dir} with {@link Cifar.Labels#FINE} (100) or {@link Cifar.Labels#COARSE} (20) labels. */
    public static TrainTest cifar100(Path dir, Cifar.Labels labels) {
        return Cifar.load100(dir, labels);
    }

    /**
     * Tiny ImageNet from {@link DataPaths#tinyImageNet()} ({@code EXCON_TINY_IMAGENET}, else {@code
     * <data>/tiny-imagenet-200}): 100,000 train / 10,000 val (as test) images of 3 x 64 x 64, 200 classes. For the
     * validation bounding boxes use {@link TinyImageNet#load()}.
     */
    public static TrainTest tinyImageNet() {
        return TinyImageNet.load().trainTest();
    }

    /** Tiny ImageNet in {@code dir} ({@code tiny-imagenet-200}); see {@link #tinyImageNet()}. */
    public static TrainTest tinyImageNet(Path dir) {
        return TinyImageNet.load(dir).trainTest();
    }

    /**
     * A {@code root/<class>/<images>} folder as RGB (3 channels) at the images' own size, which they must share;
     * classes = sorted folder names. For gray images or resizing use {@link ImageFolder#builder()}.
     */
    public static ImageDataset imageFolder(Path root) {
        return ImageFolder.load(root);
    }

    /**
     * A {@code root/<class>/<images>} folder with {@code channels} (1 or 3) channels, every image resized to {@code
     * height x width} (area averaging when shrinking, bilinear when enlarging).
     */
    public static ImageDataset imageFolder(Path root, int channels, int height, int width) {
        return ImageFolder.builder().setRoot(root).optChannels(channels).optSize(height, width).build();
    }

    /**
     * One CIFAR-100-C corruption at one severity (1-5) from {@link DataPaths#cifar100c()} ({@code EXCON_CIFAR100C},
     * else {@code <data>/CIFAR-100-C}): 10,000 images of 3 x 32 x 32, 100 fine classes.
     */
    public static ImageDataset cifar100c(String corruption, int severity) {
        return Cifar100C.load(corruption, severity);
    }

    /** One CIFAR-100-C corruption at one severity (1-5) from {@code dir}; see {@link Cifar100C}. */
    public static ImageDataset cifar100c(Path dir, String corruption, int severity) {
        return Cifar100C.load(dir, corruption, severity);
    }
}
