package dev.excon.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html) from the official "binary
 * version" files. Images are 3 x 32 x 32 uint8: each record stores the R, G and B planes of 1024 bytes one after the
 * other, which is already the C x H x W layout, so pixels are copied as they are.
 *
 * <ul>
 *   <li>CIFAR-10 ({@code cifar-10-batches-bin/}): {@code data_batch_1.bin} to {@code data_batch_5.bin} (train, in
 *       that order) and {@code test_batch.bin}; record = 1 label byte + 3072 pixel bytes. 50,000 / 10,000 images.
 *   <li>CIFAR-100 ({@code cifar-100-binary/}): {@code train.bin} and {@code test.bin}; record = coarse label byte,
 *       fine label byte, 3072 pixel bytes. 50,000 / 10,000 images; 100 fine or 20 coarse classes.
 * </ul>
 *
 * <p>Class names come from {@code batches.meta.txt}, {@code fine_label_names.txt} or {@code coarse_label_names.txt}
 * when present, else from {@link ClassNames}.
 */
public final class Cifar {

    /** Which CIFAR-100 labelling to use. */
    public enum Labels {
        /** The 100 fine classes ({@link ClassNames#CIFAR100_FINE}), used by most papers and the default. */
        FINE,
        /** The 20 superclasses ({@link ClassNames#CIFAR100_COARSE}). */
        COARSE
    }

    /** Image side in pixels. */
    public static final int SIDE = 32;

    /** Bytes of one image: 3 x 32 x 32. */
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    private static final String CIFAR10_FIX = "run make download DATASET=cifar10, or download the CIFAR-10 binary version (cifar-10-binary.tar.gz) from"
            + " https://www.cs.toronto.edu/~kriz/cifar.html and unpack it so that this directory exists, or set"
            + " EXCON_CIFAR10 to the unpacked cifar-10-batches-bin directory";
    private static final String CIFAR100_FIX = "run make download DATASET=cifar100, or download the CIFAR-100 binary version (cifar-100-binary.tar.gz)"
            + " from https://www.cs.toronto.edu/~kriz/cifar.html and unpack it so that this directory exists, or set"
            + " EXCON_CIFAR100 to the unpacked cifar-100-binary directory";
    private static final String[] CIFAR10_TRAIN = {
        "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"
    };
    private static final int READ_RECORDS = 1024;

    private Cifar() {}

    /** Loads CIFAR-10 from {@link DataPaths#cifar10()}. */
    public static TrainTest load10() {
        return load10(DataPaths.cifar10());
    }

    /**
     * Loads CIFAR-10 from {@code dir} ({@code cifar-10-batches-bin}): parts {@code cifar10/train} (the five data
     * batches in order) and {@code cifar10/test}, 3 x 32 x 32 uint8, 10 classes.
     *
     * @throws DatasetException if a file is missing, not a whole number of records, or holds a label outside [0, 10)
     */
    public static TrainTest load10(Path dir) {
        String expected = String.join(", ", CIFAR10_TRAIN) + ", test_batch.bin (and batches.meta.txt)";
        DataFiles.requireDirectory(dir, "CIFAR-10", expected, CIFAR10_FIX);
        List<Path> train = new ArrayList<>();
        for (String name : CIFAR10_TRAIN) {
            train.add(DataFiles.requireFile(dir, name, "CIFAR-10", expected, CIFAR10_FIX));
        }
        Path test = DataFiles.requireFile(dir, "test_batch.bin", "CIFAR-10", expected, CIFAR10_FIX);
        List<String> names = DataFiles.readNames(dir.resolve("batches.meta.txt"), ClassNames.CIFAR10);
        return new TrainTest(
                read("cifar10/train", "CIFAR-10", train, 1, 0, names),
                read("cifar10/test", "CIFAR-10", List.of(test), 1, 0, names));
    }

    /** Loads CIFAR-100 with fine labels from {@link DataPaths#cifar100()}. */
    public static TrainTest load100() {
        return load100(DataPaths.cifar100(), Labels.FINE);
    }

    /** Loads CIFAR-100 with the 100 fine labels from {@code dir}; see {@link #load100(Path, Labels)}. */
    public static TrainTest load100(Path dir) {
        return load100(dir, Labels.FINE);
    }

    /**
     * Loads CIFAR-100 from {@code dir} ({@code cifar-100-binary}): parts {@code cifar100/train} and {@code
     * cifar100/test} (fine) or {@code cifar100-coarse/...} (coarse), 3 x 32 x 32 uint8.
     *
     * @param labels {@link Labels#FINE} (100 classes) or {@link Labels#COARSE} (20 superclasses)
     * @throws DatasetException if a file is missing, not a whole number of records, or holds a label out of range
     */
    public static TrainTest load100(Path dir, Labels labels) {
        String expected = "train.bin, test.bin (and fine_label_names.txt, coarse_label_names.txt)";
        DataFiles.requireDirectory(dir, "CIFAR-100", expected, CIFAR100_FIX);
        Path train = DataFiles.requireFile(dir, "train.bin", "CIFAR-100", expected, CIFAR100_FIX);
        Path test = DataFiles.requireFile(dir, "test.bin", "CIFAR-100", expected, CIFAR100_FIX);
        boolean fine = labels == Labels.FINE;
        List<String> names = fine
                ? DataFiles.readNames(dir.resolve("fine_label_names.txt"), ClassNames.CIFAR100_FINE)
                : DataFiles.readNames(dir.resolve("coarse_label_names.txt"), ClassNames.CIFAR100_COARSE);
        String id = fine ? "cifar100" : "cifar100-coarse";
        int labelAt = fine ? 1 : 0;
        return new TrainTest(
                read(id + "/train", "CIFAR-100", List.of(train), 2, labelAt, names),
                read(id + "/test", "CIFAR-100", List.of(test), 2, labelAt, names));
    }

    /**
     * Reads the records of {@code files}, in order, into one data set.
     *
     * @param labelBytes label bytes before the pixels of each record (1 for CIFAR-10, 2 for CIFAR-100)
     * @param labelAt which of those bytes is the label to keep
     */
    private static ImageDataset read(
            String name, String title, List<Path> files, int labelBytes, int labelAt, List<String> classNames) {
        int record = labelBytes + IMAGE_BYTES;
        long total = 0;
        long[] counts = new long[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            long size = DataFiles.size(file);
            if (size % record != 0) {
                long whole = size / record;
                throw new DatasetException(title + " file " + file + " is " + size + " bytes, not a multiple of the "
                        + record + "-byte record (" + labelBytes + " label byte" + (labelBytes > 1 ? "s" : "")
                        + " + " + IMAGE_BYTES + " pixels): the incomplete record " + whole + " starts at byte "
                        + whole * record + " and has only " + (size - whole * record)
                        + " bytes; the file is truncated or not a " + title + " binary file, download it again");
            }
            if (size == 0) {
                throw new DatasetException(title + " file " + file + " is empty; download it again");
            }
            counts[f] = size / record;
            total += counts[f];
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 16) {
            throw new DatasetException(name + ": " + total + " images do not fit in one array; files " + files);
        }
        byte[] pixels = new byte[(int) total * IMAGE_BYTES];
        int[] labels = new int[(int) total];
        int image = 0;
        byte[] buf = new byte[READ_RECORDS * record];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                for (long r = 0; r < counts[f]; ) {
                    int n = (int) Math.min(READ_RECORDS, counts[f] - r);
                    int got = DataFiles.readFully(in, buf, 0, n * record);
                    if (got < n * record) {
                        throw new DatasetException(file + " ended at byte " + (r * record + got) + " while reading, "
                                + "expected " + counts[f] * record + " bytes; was it changed while being read?");
                    }
                    for (int k = 0; k < n; k++, r++, image++) {
                        int at = k * record;
                        int label = buf[at + labelAt] & 0xFF;
                        if (label >= classNames.size()) {
                            throw new DatasetException(title + " file " + file + ": label " + label + " of record "
                                    + r + " (byte " + r * record + ") is outside [0, " + classNames.size()
                                    + "); the file is corrupt or not a " + title + " binary file");
                        }
                        labels[image] = label;
                        System.arraycopy(buf, at + labelBytes, pixels, image * IMAGE_BYTES, IMAGE_BYTES);
                    }
                }
            } catch (IOException e) {
                throw new DatasetException("cannot read " + title + " file " + file + ": " + e.getMessage(), e);
            }
        }
        return new ArrayImageDataset(name, pixels, labels, 3, SIDE, SIDE, classNames);
    }
}
