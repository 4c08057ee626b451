package dev.excon.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where data sets live. The data root is {@code -Dexcon.data=DIR}, else {@code EXCON_DATA}, else {@code data} in
 * the working directory; each data set has its own override (see {@link #locate}).
 */
public final class DataPaths {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the four IDX files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private DataPaths() {}

    /** The data root: {@code -Dexcon.data}, else {@code EXCON_DATA}, else {@code ./data}. */
    public static Path dataRoot() {
        String prop = System.getProperty("excon.data");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("EXCON_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of("data");
    }

    /**
     * Resolves a data set's directory: the environment variable {@code envName} when set, else {@code
     * <dataRoot>/<dirName>} when it exists, else the first existing {@code fallbacks} entry, else {@code
     * <dataRoot>/<dirName>} (so the reader's error names the place the user is expected to fill).
     */
    public static Path locate(String envName, String dirName, Path... fallbacks) {
        String env = System.getenv(envName);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path underRoot = dataRoot().resolve(dirName);
        if (Files.isDirectory(underRoot)) {
            return underRoot;
        }
        for (Path p : fallbacks) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return underRoot;
    }

    /** Fashion-MNIST: {@code EXCON_FASHION_MNIST}, {@code <dataRoot>/fashion-mnist}, then the Debian package. */
    public static Path fashionMnist() {
        return locate("EXCON_FASHION_MNIST", "fashion-mnist", DEBIAN_FASHION_MNIST);
    }

    /** CIFAR-10 binary: {@code EXCON_CIFAR10}, else {@code <dataRoot>/cifar-10-batches-bin}. */
    public static Path cifar10() {
        return locate("EXCON_CIFAR10", "cifar-10-batches-bin");
    }

    /** CIFAR-100 binary: {@code EXCON_CIFAR100}, else {@code <dataRoot>/cifar-100-binary}. */
    public static Path cifar100() {
        return locate("EXCON_CIFAR100", "cifar-100-binary");
    }

    /** Tiny ImageNet: {@code EXCON_TINY_IMAGENET}, else {@code <dataRoot>/tiny-imagenet-200}. */
    public static Path tinyImageNet() {
        return locate("EXCON_TINY_IMAGENET", "tiny-imagenet-200");
    }

    /** CIFAR-100-C: {@code EXCON_CIFAR100C}, else {@code <dataRoot>/CIFAR-100-C}. */
    public static Path cifar100c() {
        return locate("EXCON_CIFAR100C", "CIFAR-100-C");
    }
}
