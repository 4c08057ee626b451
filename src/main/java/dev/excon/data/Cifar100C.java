package dev.excon.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CIFAR-100-C (Hendrycks and Dietterich 2019, arXiv 1903.12261): the CIFAR-100 test set under 19 corruptions at 5
 * severities. The directory holds one {@code <corruption>.npy} per corruption, shape (50000, 32, 32, 3) uint8
 * (N x H x W x C; severity 1 first, 10,000 images each), and {@code labels.npy} with the 50,000 fine labels.
 * One severity is read by seeking, not by loading the 150 MB file, and transposed to C x H x W.
 */
public final class Cifar100C {

    /** The number of severities, 1 to 5. */
    public static final int SEVERITIES = 5;

    static final String FIX = "run make download DATASET=cifar100-c, or download CIFAR-100-C.tar from https://zenodo.org/record/3555552 and unpack it so that"
            + " this directory exists, or set EXCON_CIFAR100C to the unpacked CIFAR-100-C directory";
    private static final String EXPECTED = "<corruption>.npy files (e.g. gaussian_noise.npy) and labels.npy";
    private static final String LABELS = "labels.npy";

    private Cifar100C() {}

    /** The corruptions present under {@link DataPaths#cifar100c()}; see {@link #corruptions(Path)}. */
    public static List<String> corruptions() {
        return corruptions(DataPaths.cifar100c());
    }

    /**
     * The corruptions present in {@code dir}: the names of its {@code .npy} files other than {@code labels.npy},
     * without the extension, sorted.
     *
     * @throws DatasetException if {@code dir} does not exist or cannot be listed
     */
    public static List<String> corruptions(Path dir) {
        DataFiles.requireDirectory(dir, "CIFAR-100-C", EXPECTED, FIX);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".npy") && !n.equals(LABELS) && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads one corruption and severity from {@link DataPaths#cifar100c()}; see {@link #load(Path, String, int)}. */
    public static ImageDataset load(String corruption, int severity) {
        return load(DataPaths.cifar100c(), corruption, severity);
    }

    /**
     * Loads the images of one corruption at one severity: {@code N / 5} (10,000) images, 3 x H x W (3 x 32 x 32)
     * uint8, fine labels and {@link ClassNames#CIFAR100_FINE}, named e.g. {@code cifar100-c/gaussian_noise/3}.
     *
     * @param corruption a name from {@link #corruptions(Path)}, e.g. {@code "gaussian_noise"}
     * @param severity 1 (mildest) to 5
     * @throws DatasetException if the directory, corruption or labels are missing, the severity is not 1-5, or a
     *     file has the wrong dtype, shape or length
     */
    public static ImageDataset load(Path dir, String corruption, int severity) {
        if (severity < 1 || severity > SEVERITIES) {
            throw new DatasetException("CIFAR-100-C severity " + severity + " is outside 1-" + SEVERITIES
                    + " (1 = mildest, 5 = strongest)");
        }
        List<String> available = corruptions(dir);
        if (!available.contains(corruption)) {
            throw new DatasetException("CIFAR-100-C under " + dir + " has no corruption '" + corruption
                    + "' (no " + corruption + ".npy); available: " + String.join(", ", available)
                    + (available.isEmpty() ? "(none); " + FIX : ""));
        }
        Path file = dir.resolve(corruption + ".npy");
        Path labelsFile = DataFiles.requireFile(dir, LABELS, "CIFAR-100-C", EXPECTED, FIX);

        Npy.Header h = Npy.header(file);
        long[] shape = h.shape();
        if (!h.dtype().equals("|u1") && !h.dtype().equals("<u1")) {
            throw new DatasetException(file + " has dtype '" + h.dtype() + "', expected uint8 images ('|u1'); the"
                    + " file is not from CIFAR-100-C, download it again");
        }
        if (shape.length != 4 || shape[3] != 3 || shape[0] % SEVERITIES != 0 || shape[0] == 0) {
            throw new DatasetException(file + " has shape " + h.shapeString() + ", expected (N, H, W, 3) with N a"
                    + " positive multiple of " + SEVERITIES + " (one block per severity; CIFAR-100-C: (50000, 32,"
                    + " 32, 3)); the file is not from CIFAR-100-C, download it again");
        }
        int perSeverity = (int) (shape[0] / SEVERITIES);
        int height = (int) shape[1];
        int width = (int) shape[2];

        Npy.Header lh = Npy.header(labelsFile);
        if (lh.elements() != shape[0] || lh.shape().length != 1) {
            throw new DatasetException(labelsFile + " has shape " + lh.shapeString() + ", expected (" + shape[0]
                    + ",), one label per image of " + file.getFileName() + "; restore the original labels.npy");
        }
        int[] all = Npy.readInts(labelsFile);
        int from = (severity - 1) * perSeverity;
        int[] labels = Arrays.copyOfRange(all, from, from + perSeverity);
        List<String> names = ClassNames.CIFAR100_FINE;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new DatasetException(labelsFile + ": label " + labels[i] + " at index " + (from + i)
                        + " is outside [0, " + names.size() + "); restore the original labels.npy");
            }
        }

        byte[] nhwc = Npy.readBytes(file, from, perSeverity);
        byte[] chw = nhwcToChw(nhwc, perSeverity, height, width, 3);
        return new ArrayImageDataset("cifar100-c/" + corruption + "/" + severity, chw, labels, 3, height, width,
                names);
    }

    /** Reorders {@code n} images from H x W x C (interleaved) to C x H x W (planar). */
    static byte[] nhwcToChw(byte[] src, int n, int h, int w, int c) {
        byte[] dst = new byte[src.length];
        int plane = h * w;
        int image = plane * c;
        for (int i = 0; i < n; i++) {
            int base = i * image;
            for (int p = 0; p < plane; p++) {
                int s = base + p * c;
                for (int k = 0; k < c; k++) {
                    dst[base + k * plane + p] = src[s + k];
                }
            }
        }
        return dst;
    }
}
