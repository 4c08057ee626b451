package dev.excon.data;

import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv 1708.07747): 60,000 training and 10,000 test images of 10
 * clothing classes ({@link ClassNames#FASHION_MNIST}), each 1 x 28 x 28 uint8, read from the four official IDX files
 * (gzip-compressed or not) with {@link Idx}.
 */
public final class FashionMnist {

    /** What to do when the files are missing. */
    static final String HOW_TO_GET = "install Debian's dataset-fashion-mnist (sudo apt-get install"
            + " dataset-fashion-mnist) or set EXCON_FASHION_MNIST to a directory holding these files";

    /** Where Zalando publishes the four files. */
    public static final String PUBLISHED_AT = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    private FashionMnist() {}

    /** Loads Fashion-MNIST from {@link DataPaths#fashionMnist()}. */
    public static TrainTest load() {
        return load(DataPaths.fashionMnist());
    }

    /**
     * Loads Fashion-MNIST from {@code dir}: parts {@code fashion-mnist/train} and {@code fashion-mnist/test}, 1 x 28 x
     * 28 uint8 (the image size is whatever the files declare).
     *
     * @throws DatasetException if a file is missing, truncated, corrupt or inconsistent; the message says which
     */
    public static TrainTest load(Path dir) {
        return Idx.loadTrainTest(dir, "fashion-mnist", "Fashion-MNIST", ClassNames.FASHION_MNIST, HOW_TO_GET,
                howToReplace(dir));
    }

    /**
     * What to do about a damaged file in {@code dir}: reinstall Debian's package for its copy, else fetch the
     * published files again.
     */
    public static String howToReplace(Path dir) {
        if (dir.toAbsolutePath().normalize().startsWith(DataPaths.DEBIAN_FASHION_MNIST)) {
            return "reinstall Debian's package: sudo apt-get install --reinstall dataset-fashion-mnist";
        }
        return "download it again from " + PUBLISHED_AT + " (the published MD5s are in "
                + "https://github.com/zalandoresearch/fashion-mnist#get-the-data), or use Debian's copy in "
                + DataPaths.DEBIAN_FASHION_MNIST + " (sudo apt-get install dataset-fashion-mnist)";
    }
}
