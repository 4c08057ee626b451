package dev.excon.data.verify;

import dev.excon.data.DataPaths;
import dev.excon.data.FashionMnist;
import dev.excon.data.download.DatasetSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The data sets whose publishers give checksums, with where each lives and how to replace a damaged copy. */
public enum KnownDataset {
    /** Fashion-MNIST, four gzip-compressed IDX files; the published MD5s cover each file. */
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST", null),
    /** CIFAR-10 binary version; the published MD5 covers the archive. */
    CIFAR10("cifar10", "CIFAR-10", DatasetSource.CIFAR_10),
    /** CIFAR-100 binary version; the published MD5 covers the archive. */
    CIFAR100("cifar100", "CIFAR-100", DatasetSource.CIFAR_100),
    /** Tiny ImageNet; the (community) MD5 covers the zip. */
    TINY_IMAGENET("tiny-imagenet", "Tiny ImageNet", DatasetSource.TINY_IMAGENET),
    /** CIFAR-100-C; Zenodo's MD5 covers the tar. */
    CIFAR100_C("cifar100-c", "CIFAR-100-C", DatasetSource.CIFAR_100_C);

    private final String key;
    private final String title;
    private final DatasetSource source;

    KnownDataset(String key, String title, DatasetSource source) {
        this.key = key;
        this.title = title;
        this.source = source;
    }

    /** The name on the command line, e.g. {@code cifar100} (as for {@code make download DATASET=...}). */
    public String key() {
        return key;
    }

    /** The display name, e.g. {@code CIFAR-100}. */
    public String title() {
        return title;
    }

    /** The archive and its published checksum; empty for Fashion-MNIST, whose files are published one by one. */
    public Optional<DatasetSource> source() {
        return Optional.ofNullable(source);
    }

    /**
     * Where the readers look by default ({@link DataPaths}).
     *
     * @throws dev.excon.data.DatasetException if a data root or variable was given and does not exist
     */
    public Path defaultDirectory() {
        return switch (this) {
            case FASHION_MNIST -> DataPaths.fashionMnist();
            case CIFAR10 -> DataPaths.cifar10();
            case CIFAR100 -> DataPaths.cifar100();
            case TINY_IMAGENET -> DataPaths.tinyImageNet();
            case CIFAR100_C -> DataPaths.cifar100c();
        };
    }

    /** What to do when the copy in {@code dir} does not match: where to get the published files again. */
    public String howToReplace(Path dir) {
        if (source == null) {
            return FashionMnist.howToReplace(dir);
        }
        return "move " + dir + " away and run make download DATASET=" + key + " (it unpacks "
                + Path.of(DataPaths.dataRoot().toString(), ".downloads", source.fileName())
                + " again without network when that is still there), or unpack " + source.fileName() + " ("
                + source.checksum() + ", from " + source.url() + ") there again";
    }

    /** The data set called {@code name}, ignoring case and punctuation ({@code CIFAR-100}, {@code cifar_100}). */
    public static Optional<KnownDataset> byName(String name) {
        String k = squash(name);
        return Arrays.stream(values()).filter(d -> squash(d.key).equals(k)).findFirst();
    }

    private static String squash(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
