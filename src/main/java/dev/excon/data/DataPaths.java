package dev.excon.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where data sets live. The data root is {@code -Dexcon.data=DIR} (what the command line's {@code --data} sets), else
 * {@code EXCON_DATA}, else {@code data} in the working directory; each data set has its own override (see
 * {@link #locate}). A root or per-data-set directory that was given but does not exist is an error, never a silent
 * fallback to another copy.
 */
public final class DataPaths {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the four IDX files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** The system property naming the data root; {@code excon --data DIR} sets it. */
    public static final String ROOT_PROPERTY = "excon.data";

    /** The environment variable naming the data root. */
    public static final String ROOT_VARIABLE = "EXCON_DATA";

    private DataPaths() {}

    /** The data root: {@code -Dexcon.data}, else {@code EXCON_DATA}, else {@code ./data}. Need not exist. */
    public static Path dataRoot() {
        return dataRoot(System::getProperty, System::getenv);
    }

    static Path dataRoot(UnaryOperator<String> property, UnaryOperator<String> env) {
        String source = rootSource(property, env);
        if (source == null) {
            return Path.of("data");
        }
        String prop = property.apply(ROOT_PROPERTY);
        return Path.of(prop != null && !prop.isBlank() ? prop : env.apply(ROOT_VARIABLE));
    }

    /** How the root was given, for messages; null for the default {@code ./data}. */
    private static String rootSource(UnaryOperator<String> property, UnaryOperator<String> env) {
        String prop = property.apply(ROOT_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return "given by --data or -D" + ROOT_PROPERTY;
        }
        String value = env.apply(ROOT_VARIABLE);
        if (value != null && !value.isBlank()) {
            return "given by " + ROOT_VARIABLE;
        }
        return null;
    }

    /**
     * Resolves a data set's directory: the environment variable {@code envName} when set, else {@code
     * <dataRoot>/<dirName>} when it exists, else the first existing {@code fallbacks} entry, else {@code
     * <dataRoot>/<dirName>} (so the reader's error names the place the user is expected to fill).
     *
     * @throws DatasetException if {@code envName} names a directory that does not exist, or the data root was given
     *     ({@code -Dexcon.data}, {@code --data}, {@code EXCON_DATA}) and does not exist; the message names the value
     *     and the fix
     */
    public static Path locate(String envName, String dirName, Path... fallbacks) {
        return locate(System::getProperty, System::getenv, envName, dirName, fallbacks);
    }

    /** {@link #locate(String, String, Path...)} with the system properties and environment given, for tests. */
    static Path locate(UnaryOperator<String> property, UnaryOperator<String> env, String envName, String dirName,
            Path... fallbacks) {
        Path root = dataRoot(property, env);
        String rootSource = rootSource(property, env);
        String value = env.apply(envName);
        if (value != null && !value.isBlank()) {
            Path dir = Path.of(value);
            if (!Files.isDirectory(dir)) {
                throw new DatasetException(envName + "=" + value + " " + (Files.exists(dir) ? "is a file" : "does not"
                        + " exist") + ": set " + envName + " to the directory that holds the data set, or unset it to"
                        + " use " + root.resolve(dirName) + orFallbacks(fallbacks));
            }
            return dir;
        }
        if (rootSource != null && !Files.isDirectory(root)) {
            throw new DatasetException("the data root " + root + " (" + rootSource + ") " + (Files.exists(root)
                    ? "is a file, not a directory" : "does not exist") + ": give the directory that holds the data"
                    + " sets (" + dirName + "/ and the others), or leave it out to use ./data" + orFallbacks(fallbacks)
                    + "; to fetch a data set there: " + ROOT_VARIABLE + "=" + root + " make download DATASET=...");
        }
        Path underRoot = root.resolve(dirName);
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

    private static String orFallbacks(Path... fallbacks) {
        StringBuilder s = new StringBuilder();
        for (Path p : fallbacks) {
            s.append(s.length() == 0 ? " (or, when that is absent, " : ", then ").append(p);
        }
        return s.length() == 0 ? "" : s.append(')').toString();
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
