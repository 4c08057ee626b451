package dev.excon.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian magic
 * number {@code 0x0000TTDD} (type {@code TT}, {@code DD} dimensions), {@code DD} big-endian int32 sizes, then the
 * data. Only unsigned bytes ({@code TT = 0x08}) are supported, which is what both data sets use.
 *
 * <p>Files may be gzip-compressed or not; compression is detected from the content (gzip magic {@code 1f 8b}), not
 * the file name. A file is read to its end: a gzip file must pass its CRC-32 and length checks (several gzip members
 * are read as one file, as {@code gzip -d} does), and nothing may follow the payload the header declares.
 */
public final class Idx {

    /** Magic number of an image file: uint8, 3 dimensions (count, rows, columns). */
    public static final int MAGIC_IMAGES = 0x00000803;

    /** Magic number of a label file: uint8, 1 dimension (count). */
    public static final int MAGIC_LABELS = 0x00000801;

    private static final int BUFFER = 1 << 16;

    /** What to do about a damaged file when the caller knows nothing better. */
    private static final String DOWNLOAD_AGAIN = "delete it and download it again";

    /** Standard file names of the four IDX files (without {@code .gz}). */
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";

    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private Idx() {}

    /**
     * Images read from an IDX image file.
     *
     * @param count the number of images
     * @param rows image height
     * @param cols image width
     * @param pixels {@code count * rows * cols} uint8 values, image after image, row-major (so also 1 x H x W)
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    /**
     * Reads an IDX image file ({@link #MAGIC_IMAGES}), gzip-compressed or not.
     *
     * @throws DatasetException if the file is missing, not gzip/IDX, has another magic number, or is truncated
     */
    public static Images readImages(Path file) {
        return readImages(file, DOWNLOAD_AGAIN);
    }

    private static Images readImages(Path file, String fix) {
        int[] dims = new int[3];
        byte[] pixels = read(file, MAGIC_IMAGES, dims, fix);
        return new Images(dims[0], dims[1], dims[2], pixels);
    }

    /**
     * Reads an IDX label file ({@link #MAGIC_LABELS}), gzip-compressed or not.
     *
     * @return the labels as unsigned values 0-255
     * @throws DatasetException if the file is missing, not gzip/IDX, has another magic number, or is truncated
     */
    public static int[] readLabels(Path file) {
        return readLabels(file, DOWNLOAD_AGAIN);
    }

    private static int[] readLabels(Path file, String fix) {
        byte[] raw = read(file, MAGIC_LABELS, new int[1], fix);
        int[] labels = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labels[i] = raw[i] & 0xFF;
        }
        return labels;
    }

    /**
     * Reads an image file and its label file into one data set of 1 x rows x cols uint8 images.
     *
     * @param name the data set's name, e.g. {@code "fashion-mnist/train"}
     * @param classNames class names, index = label
     * @throws DatasetException if either file is unreadable, the counts differ, or a label is not in {@code [0,
     *     classNames.size())}
     */
    public static ImageDataset load(String name, Path imagesFile, Path labelsFile, List<String> classNames) {
        return load(name, imagesFile, labelsFile, classNames, DOWNLOAD_AGAIN);
    }

    private static ImageDataset load(
            String name, Path imagesFile, Path labelsFile, List<String> classNames, String fix) {
        Images images = readImages(imagesFile, fix);
        int[] labels = readLabels(labelsFile, fix);
        if (images.count() != labels.length) {
            throw new DatasetException(
                    name + ": " + imagesFile + " holds " + images.count() + " images but " + labelsFile + " holds "
                            + labels.length + " labels; the two files must come from the same release, re-download"
                            + " the mismatched one");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classNames.size()) {
                throw new DatasetException(
                        name + ": label " + labels[i] + " of record " + i + " in " + labelsFile + " is outside [0, "
                                + classNames.size() + "); the file is corrupt or belongs to another data set");
            }
        }
        return new ArrayImageDataset(name, images.pixels(), labels, 1, images.rows(), images.cols(), classNames);
    }

    /**
     * Loads the standard four files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code
     * t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each optionally {@code .gz}) from {@code dir}. Works
     * for MNIST, Fashion-MNIST and Kuzushiji-MNIST alike.
     *
     * @param dir the directory holding the four files
     * @param id the short name, e.g. {@code "fashion-mnist"}; the parts are named {@code id/train} and {@code id/test}
     * @param title the display name used in errors, e.g. {@code "Fashion-MNIST"}
     * @param classNames class names, index = label
     * @param howToGet what the user should do when files are missing, e.g. the package to install
     * @throws DatasetException naming the directory or file, what was expected and {@code howToGet}
     */
    public static TrainTest loadTrainTest(
            Path dir, String id, String title, List<String> classNames, String howToGet) {
        return loadTrainTest(dir, id, title, classNames, howToGet, DOWNLOAD_AGAIN);
    }

    /**
     * {@link #loadTrainTest(Path, String, String, List, String)} with {@code howToReplace}, what to do about a
     * damaged file, e.g. reinstalling the package it came from; default {@code "delete it and download it again"}.
     */
    static TrainTest loadTrainTest(
            Path dir, String id, String title, List<String> classNames, String howToGet, String howToReplace) {
        String expected = String.join(".gz, ", TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS) + ".gz";
        DataFiles.requireDirectory(dir, title, expected, howToGet);
        Path trainImages = find(dir, TRAIN_IMAGES, title, expected, howToGet);
        Path trainLabels = find(dir, TRAIN_LABELS, title, expected, howToGet);
        Path testImages = find(dir, TEST_IMAGES, title, expected, howToGet);
        Path testLabels = find(dir, TEST_LABELS, title, expected, howToGet);
        ImageDataset train = load(id + "/train", trainImages, trainLabels, classNames, howToReplace);
        ImageDataset test = load(id + "/test", testImages, testLabels, classNames, howToReplace);
        return new TrainTest(train, test);
    }

    /** {@code dir/base.gz}, else {@code dir/base}, else an error naming both. */
    private static Path find(Path dir, String base, String title, String expected, String howToGet) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DatasetException(
                title + " under " + dir + " is missing " + base + ".gz (or the uncompressed " + base + "): expected "
                        + expected + "; " + howToGet);
    }

    /**
     * Reads the header and data of an IDX file whose magic must be {@code magic}; fills {@code dims}. Reads on to the
     * end of the file, so that a gzip file's CRC-32 and length are checked and nothing may follow the payload.
     */
    private static byte[] read(Path file, int magic, int[] dims, String fix) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(
                    "IDX file " + file + " not found: expected " + describe(magic) + "; check the path");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            Tracked in = new Tracked(file, gzip, fix);
            in.open(buffered);

            byte[] head = new byte[4];
            in.readFully(head, 0, 4, 4L + 4L * dims.length, "the header");
            int found = bigEndian(head, 0);
            if (found != magic) {
                throw new DatasetException(file + " has IDX magic number " + hex(found) + " (" + describe(found)
                        + "), expected " + hex(magic) + " (" + describe(magic) + ")" + hint(magic, found));
            }
            byte[] dimBytes = new byte[4 * dims.length];
            in.readFully(dimBytes, 0, dimBytes.length, 4L + dimBytes.length, "the header");
            long total = 1;
            for (int d = 0; d < dims.length; d++) {
                dims[d] = bigEndian(dimBytes, 4 * d);
                if (dims[d] < 0) {
                    throw new DatasetException(
                            file + ": dimension " + d + " is " + Integer.toUnsignedString(dims[d])
                                    + ", too large for an IDX file this reader supports; the file is corrupt");
                }
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new DatasetException(file + ": header declares " + total
                        + " bytes of data, more than one Java array can hold; the file is corrupt");
            }
            byte[] data = new byte[(int) total];
            in.readFully(data, 0, data.length, 4L + dimBytes.length + total, "the data");
            in.requireEnd();
            return data;
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** An input stream that knows how many (decompressed) bytes it has delivered, for error messages. */
    private static final class Tracked {
        private final Path file;
        private final boolean gzip;
        private final String fix;
        private InputStream in;
        private GzipCompressorInputStream gz;
        private long pos;

        Tracked(Path file, boolean gzip, String fix) {
            this.file = file;
            this.gzip = gzip;
            this.fix = fix;
        }

        void open(InputStream buffered) throws IOException {
            if (!gzip) {
                in = buffered;
                return;
            }
            try {
                // Concatenated members are one file (RFC 1952); anything else after the last member is an error.
                gz = GzipCompressorInputStream.builder().setInputStream(buffered).setDecompressConcatenated(true)
                        .get();
                in = gz;
            } catch (IOException e) {
                throw corrupt(e);
            }
        }

        /** Reads {@code len} bytes; {@code expectedEnd} is the offset where this part should end, for messages. */
        void readFully(byte[] buf, int off, int len, long expectedEnd, String part) throws IOException {
            int done = 0;
            try {
                while (done < len) {
                    int n = in.read(buf, off + done, len - done);
                    if (n < 0) {
                        break;
                    }
                    done += n;
                    pos += n;
                }
            } catch (IOException e) {
                throw corrupt(e);
            }
            if (done < len) {
                throw new DatasetException(file + " is truncated: " + part + " ended at byte " + pos + " of the "
                        + (gzip ? "decompressed " : "") + "file, but the header needs " + expectedEnd
                        + " bytes; the download was incomplete: " + fix);
            }
        }

        /**
         * Reads past the declared payload to the end of the file: the gzip layer checks each member's CRC-32 and
         * length only when its end is reached, and bytes after the payload mean a damaged or foreign file.
         */
        void requireEnd() throws IOException {
            long payload = pos;
            long extra = 0;
            byte[] buf = new byte[BUFFER];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    extra += n;
                    pos += n;
                }
            } catch (IOException e) {
                throw corrupt(e);
            }
            if (extra > 0) {
                throw new DatasetException(file + " holds " + extra + " more bytes after the " + payload
                        + " bytes its IDX header declares" + (gzip ? " (decompressed)" : "") + ": the file is"
                        + " corrupt or not the published one: " + fix);
            }
        }

        private DatasetException corrupt(IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (why.contains("CRC32") || why.contains("size mismatch")) {
                // Every byte decompressed, but not the bytes that were compressed: the data are damaged.
                return new DatasetException(file + " is corrupt: the gzip check failed after " + pos
                        + " decompressed bytes (" + why + "), so the data differ from what was compressed;"
                        + " " + fix, e);
            }
            return new DatasetException(file + " is not valid gzip data (corrupt or cut-off download; failed after "
                    + pos + " decompressed bytes" + (gz == null ? "" : " and " + gz.getCompressedCount()
                    + " compressed bytes") + ": " + why + "); " + fix, e);
        }
    }

    private static int bigEndian(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }

    private static String describe(int magic) {
        if ((magic >>> 16) != 0) {
            return "not an IDX file: the first two bytes must be zero";
        }
        int type = (magic >>> 8) & 0xFF;
        int ndim = magic & 0xFF;
        String typeName = switch (type) {
            case 0x08 -> "uint8";
            case 0x09 -> "int8";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            case 0x0E -> "float64";
            default -> "unknown type 0x" + Integer.toHexString(type);
        };
        return typeName + ", " + ndim + (ndim == 1 ? " dimension" : " dimensions");
    }

    private static String hint(int expected, int found) {
        if (expected == MAGIC_IMAGES && found == MAGIC_LABELS) {
            return ": is this a label file? Image and label files may have been swapped";
        }
        if (expected == MAGIC_LABELS && found == MAGIC_IMAGES) {
            return ": is this an image file? Image and label files may have been swapped";
        }
        return ": the file is corrupt or not an IDX file, download it again";
    }
}
