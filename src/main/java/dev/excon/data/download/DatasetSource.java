package dev.excon.data.download;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a data set's archive comes from and what it must unpack to.
 *
 * <p>The catalogue of known sources is the constants {@link #CIFAR_10}, {@link #CIFAR_100}, {@link #TINY_IMAGENET}
 * and {@link #CIFAR_100_C} ({@link #known()} lists them). Each directory name is the one the readers in
 * {@code dev.excon.data} look for under the data root (see {@link dev.excon.data.DataPaths}).
 *
 * @param name a short key for the command line, e.g. {@code "cifar100"}
 * @param url where the archive is published
 * @param fileName the archive's file name, e.g. {@code "cifar-100-binary.tar.gz"}; its extension gives the format
 * @param checksum the archive's published checksum
 * @param directory the single top-level directory the archive unpacks to, e.g. {@code "cifar-100-binary"}
 * @param proofFiles paths relative to {@code directory} whose presence shows a complete unpack
 */
public record DatasetSource(
        String name, URI url, String fileName, Checksum checksum, String directory, List<String> proofFiles) {

    /**
     * CIFAR-10, binary version (suitable for C programs), about 162 MB.
     *
     * <p>MD5 from the download table of the dataset page, https://www.cs.toronto.edu/~kriz/cifar.html (checked
     * against a stored copy of that page).
     */
    public static final DatasetSource CIFAR_10 = new DatasetSource(
            "cifar10",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
            "cifar-10-binary.tar.gz",
            Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530"),
            "cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                    "data_batch_5.bin", "test_batch.bin", "batches.meta.txt"));

    /**
     * CIFAR-100, binary version (suitable for C programs), about 161 MB.
     *
     * <p>MD5 from the CIFAR-100 download table of https://www.cs.toronto.edu/~kriz/cifar.html. The stored copy of
     * the page available when this was written was cut off before that table; the value was checked against
     * third-party quotations of the table and independent loaders that verify real downloads with it.
     */
    public static final DatasetSource CIFAR_100 = new DatasetSource(
            "cifar100",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"),
            "cifar-100-binary.tar.gz",
            Checksum.md5("03b5dce01913d631647c71ecec9e9cb8"),
            "cifar-100-binary",
            List.of("train.bin", "test.bin", "fine_label_names.txt", "coarse_label_names.txt"));

    /**
     * Tiny ImageNet (200 classes, 64x64), the Stanford CS231n release, about 237 MiB.
     *
     * <p>Stanford publishes no checksum for this zip. The MD5 is the one the common loaders (e.g. Avalanche and
     * many torchvision-style datasets) verify downloads with; a community value, not an official one.
     */
    public static final DatasetSource TINY_IMAGENET = new DatasetSource(
            "tiny-imagenet",
            URI.create("http://cs231n.stanford.edu/tiny-imagenet-200.zip"),
            "tiny-imagenet-200.zip",
            Checksum.md5("90528d7ca1a48142e341f4ef8d21d0de"),
            "tiny-imagenet-200",
            List.of("wnids.txt", "words.txt", "train", "val/val_annotations.txt", "test"));

    /**
     * CIFAR-100-C (Hendrycks and Dietterich, ICLR 2019, https://arxiv.org/abs/1903.12261): 19 corruptions at 5
     * severities as {@code .npy} arrays plus {@code labels.npy}, about 2.9 GB, from Zenodo record 3555552.
     *
     * <p>MD5 as listed for {@code CIFAR-100-C.tar} in the Zenodo record (https://zenodo.org/records/3555552); the
     * record page itself was not in the stored material, so the value was checked against several independent
     * loaders that verify real downloads with it.
     */
    public static final DatasetSource CIFAR_100_C = new DatasetSource(
            "cifar100-c",
            URI.create("https://zenodo.org/records/3555552/files/CIFAR-100-C.tar?download=1"),
            "CIFAR-100-C.tar",
            Checksum.md5("11f0ed0f1191edbf9fa23466ae6021d3"),
            "CIFAR-100-C",
            List.of("labels.npy", "brightness.npy", "contrast.npy", "defocus_blur.npy", "elastic_transform.npy",
                    "fog.npy", "frost.npy", "gaussian_blur.npy", "gaussian_noise.npy", "glass_blur.npy",
                    "impulse_noise.npy", "jpeg_compression.npy", "motion_blur.npy", "pixelate.npy", "saturate.npy",
                    "shot_noise.npy", "snow.npy", "spatter.npy", "speckle_noise.npy", "zoom_blur.npy"));

    /** Validates the names: single path segments, relative proof files, a known archive extension. */
    public DatasetSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(checksum, "checksum");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (!url.isAbsolute()) {
            throw new IllegalArgumentException("url must be absolute, received " + url);
        }
        requireSegment("fileName", fileName);
        requireSegment("directory", directory);
        ArchiveFormat.fromFileName(fileName);
        proofFiles = List.copyOf(proofFiles);
        if (proofFiles.isEmpty()) {
            throw new IllegalArgumentException("proofFiles must name at least one file under " + directory);
        }
        for (String p : proofFiles) {
            Path path = Path.of(p);
            if (p.isBlank() || path.isAbsolute() || !path.normalize().equals(path) || path.startsWith("..")) {
                throw new IllegalArgumentException(
                        "proof file must be a plain relative path under " + directory + ", received \"" + p + "\"");
            }
        }
    }

    /** The four known sources, in catalogue order. */
    public static List<DatasetSource> known() {
        return List.of(CIFAR_10, CIFAR_100, TINY_IMAGENET, CIFAR_100_C);
    }

    /**
     * The known source called {@code name}, ignoring case and punctuation: {@code "cifar100"}, {@code "CIFAR-100"}
     * and {@code "cifar_100"} all find {@link #CIFAR_100}.
     */
    public static Optional<DatasetSource> byName(String name) {
        String key = squash(name);
        return known().stream().filter(s -> squash(s.name()).equals(key)).findFirst();
    }

    /** How the archive is packed, from {@link #fileName()}. */
    public ArchiveFormat format() {
        return ArchiveFormat.fromFileName(fileName);
    }

    /** The proof files missing under {@code dir} (empty when the unpack there is complete). */
    public List<String> missingProofFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String p : proofFiles) {
            if (!Files.exists(dir.resolve(p))) {
                missing.add(p);
            }
        }
        return missing;
    }

    /** This source with another URL (a mirror), everything else unchanged. */
    public DatasetSource withUrl(URI newUrl) {
        return new DatasetSource(name, newUrl, fileName, checksum, directory, proofFiles);
    }

    /** This source with another expected checksum (e.g. a re-packed archive), everything else unchanged. */
    public DatasetSource withChecksum(Checksum newChecksum) {
        return new DatasetSource(name, url, fileName, newChecksum, directory, proofFiles);
    }

    private static void requireSegment(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank() || value.equals(".") || value.equals("..") || value.startsWith(".")
                || value.contains("/") || value.contains("\\")) {
            throw new IllegalArgumentException(
                    what + " must be a single file or directory name not starting with '.', received \"" + value
                            + "\"");
        }
    }

    private static String squash(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
