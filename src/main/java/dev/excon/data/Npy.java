package dev.excon.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal reader for numpy's {@code .npy} format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html),
 * versions 1.0, 2.0 and 3.0, C order only, dtypes {@code |u1}, {@code <u1}, {@code |i1}, {@code <i4}, {@code <i8} and
 * {@code <f4}. A "row" is one index of the first axis; {@link #readBytes(Path, long, int)} reads a range of rows by
 * seeking, so a 150 MB CIFAR-100-C file need not be read whole to get one severity.
 */
public final class Npy {

    /** The dtypes this reader supports. */
    public static final List<String> DTYPES = List.of("|u1", "<u1", "|i1", "<i4", "<i8", "<f4");

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** The parsed header of a {@code .npy} file. */
    public static final class Header {
        private final Path file;
        private final String version;
        private final String dtype;
        private final long[] shape;
        private final long dataOffset;

        Header(Path file, String version, String dtype, long[] shape, long dataOffset) {
            this.file = file;
            this.version = version;
            this.dtype = dtype;
            this.shape = shape;
            this.dataOffset = dataOffset;
        }

        /** The format version, e.g. {@code "1.0"}. */
        public String version() {
            return version;
        }

        /** The dtype descriptor, one of {@link #DTYPES}. */
        public String dtype() {
            return dtype;
        }

        /** A copy of the shape; empty for a scalar. */
        public long[] shape() {
            return shape.clone();
        }

        /** The byte offset where the data starts. */
        public long dataOffset() {
            return dataOffset;
        }

        /** Bytes per element: 1, 4 or 8. */
        public int itemSize() {
            return switch (dtype) {
                case "<i4", "<f4" -> 4;
                case "<i8" -> 8;
                default -> 1;
            };
        }

        /** The length of the first axis (1 for a scalar). */
        public long rows() {
            return shape.length == 0 ? 1 : shape[0];
        }

        /** Elements per row: the product of all axes but the first. */
        public long rowElements() {
            long n = 1;
            for (int i = 1; i < shape.length; i++) {
                n *= shape[i];
            }
            return n;
        }

        /** All elements: the product of the shape. */
        public long elements() {
            return rows() * rowElements();
        }

        /** The shape as numpy prints it, e.g. {@code (50000, 32, 32, 3)}. */
        public String shapeString() {
            if (shape.length == 1) {
                return "(" + shape[0] + ",)";
            }
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                s.append(i > 0 ? ", " : "").append(shape[i]);
            }
            return s.append(')').toString();
        }

        @Override
        public String toString() {
            return file + ": npy " + version + ", dtype " + dtype + ", shape " + shapeString();
        }
    }

    /**
     * Reads and checks the header of {@code file}.
     *
     * @throws DatasetException if the file is missing, not {@code .npy}, of another version, Fortran-ordered, of an
     *     unsupported dtype, or shorter than its header says
     */
    public static Header header(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(".npy file " + file + " not found");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Header header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0);
        pre.flip();
        byte[] magic = new byte[6];
        if (pre.remaining() >= 6) {
            pre.get(magic);
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new DatasetException(file + " is not a .npy file (it does not start with \\x93NUMPY); the file is"
                    + " corrupt or of another format, download it again");
        }
        if (pre.remaining() < 2) {
            throw truncatedHeader(file, size, 8);
        }
        int major = pre.get() & 0xFF;
        int minor = pre.get() & 0xFF;
        String version = major + "." + minor;
        if (minor != 0 || major < 1 || major > 3) {
            throw new DatasetException(file + " is .npy format version " + version + ", but only 1.0, 2.0 and 3.0"
                    + " are supported; re-save it with numpy.save");
        }
        int lenBytes = major == 1 ? 2 : 4;
        if (pre.remaining() < lenBytes) {
            throw truncatedHeader(file, size, 8 + lenBytes);
        }
        long headerLen = major == 1 ? pre.getShort() & 0xFFFF : pre.getInt() & 0xFFFFFFFFL;
        long dataOffset = 8 + lenBytes + headerLen;
        if (size < dataOffset || headerLen > 1 << 20) {
            throw truncatedHeader(file, size, dataOffset);
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, 8 + lenBytes);
        Charset cs = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        String dict = new String(hb.array(), cs);

        Matcher d = DESCR.matcher(dict);
        if (!d.find()) {
            throw new DatasetException(file + ": header has no simple 'descr' (structured dtypes are not supported):"
                    + " " + dict.strip() + "; save a plain array of one of " + DTYPES);
        }
        String dtype = d.group(1);
        if (!DTYPES.contains(dtype)) {
            throw new DatasetException(file + " has dtype '" + dtype + "', which is not supported: expected one of "
                    + DTYPES + "; convert it with array.astype(...) and save it again");
        }
        Matcher f = FORTRAN.matcher(dict);
        if (!f.find()) {
            throw new DatasetException(file + ": header has no 'fortran_order': " + dict.strip());
        }
        if (f.group(1).equals("True")) {
            throw new DatasetException(file + " is stored in Fortran (column-major) order, but only C order is"
                    + " supported; save numpy.ascontiguousarray(array) instead");
        }
        Matcher s = SHAPE.matcher(dict);
        if (!s.find()) {
            throw new DatasetException(file + ": header has no 'shape': " + dict.strip());
        }
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::strip).filter(t -> !t.isEmpty())
                .mapToLong(t -> parseDim(file, t)).toArray();
        Header h = new Header(file, version, dtype, shape, dataOffset);
        long need = dataOffset + h.elements() * h.itemSize();
        if (size < need) {
            long bytes = size - dataOffset;
            throw new DatasetException(file + " is truncated: shape " + h.shapeString() + " of " + dtype + " needs "
                    + h.elements() * h.itemSize() + " data bytes from byte " + dataOffset + " (a file of " + need
                    + " bytes), but the data ends at byte " + size + " after " + bytes + " bytes (" + bytes / h.itemSize()
                    + " whole elements); the download was incomplete, download it again");
        }
        return h;
    }

    /**
     * Reads rows {@code [firstRow, firstRow + rowCount)} of a one-byte file ({@code |u1}, {@code <u1}, {@code |i1})
     * without reading the rest.
     *
     * @return the raw bytes, {@code rowCount * rowElements} of them, in C order
     * @throws DatasetException if the dtype is not one byte wide or the range is outside the file's rows
     */
    public static byte[] readBytes(Path file, long firstRow, int rowCount) {
        Header h = header(file);
        if (h.itemSize() != 1) {
            throw new DatasetException(file + " has dtype '" + h.dtype() + "', expected a one-byte dtype (|u1, <u1"
                    + " or |i1); convert it with array.astype(numpy.uint8) and save it again");
        }
        return readRows(h, file, firstRow, rowCount).array();
    }

    /** Reads a whole one-byte file; see {@link #readBytes(Path, long, int)}. */
    public static byte[] readBytes(Path file) {
        return readBytes(file, 0, toInt(file, header(file).rows()));
    }

    /**
     * Reads a whole integer file ({@code |u1}, {@code <u1}, {@code |i1}, {@code <i4}, {@code <i8}) as ints, e.g.
     * labels. {@code u1} values are 0-255.
     *
     * @throws DatasetException if the dtype is {@code <f4} or an {@code <i8} value does not fit in an int
     */
    public static int[] readInts(Path file) {
        Header h = header(file);
        if (h.dtype().equals("<f4")) {
            throw new DatasetException(file + " has dtype '<f4', expected an integer dtype (" + integerDtypes()
                    + "); convert it with array.astype(numpy.int64) and save it again");
        }
        ByteBuffer b = readRows(h, file, 0, toInt(file, h.rows()));
        int n = toInt(file, h.elements());
        int[] out = new int[n];
        switch (h.dtype()) {
            case "|u1", "<u1" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i) & 0xFF;
                }
            }
            case "|i1" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
            case "<i4" -> b.asIntBuffer().get(out);
            default -> {
                for (int i = 0; i < n; i++) {
                    long v = b.getLong(8 * i);
                    if (v != (int) v) {
                        throw new DatasetException(file + ": value " + v + " at element " + i
                                + " does not fit in a 32-bit int");
                    }
                    out[i] = (int) v;
                }
            }
        }
        return out;
    }

    /**
     * Reads rows {@code [firstRow, firstRow + rowCount)} of any supported dtype as floats (integers converted
     * exactly up to 2^24).
     */
    public static float[] readFloats(Path file, long firstRow, int rowCount) {
        Header h = header(file);
        ByteBuffer b = readRows(h, file, firstRow, rowCount);
        int n = toInt(file, rowCount * h.rowElements());
        float[] out = new float[n];
        switch (h.dtype()) {
            case "|u1", "<u1" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i) & 0xFF;
                }
            }
            case "|i1" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
            case "<i4" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(4 * i);
                }
            }
            case "<i8" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getLong(8 * i);
                }
            }
            default -> b.asFloatBuffer().get(out);
        }
        return out;
    }

    /** Reads a whole file as floats; see {@link #readFloats(Path, long, int)}. */
    public static float[] readFloats(Path file) {
        return readFloats(file, 0, toInt(file, header(file).rows()));
    }

    /** The raw little-endian bytes of the given rows. */
    private static ByteBuffer readRows(Header h, Path file, long firstRow, int rowCount) {
        if (firstRow < 0 || rowCount < 0 || firstRow + rowCount > h.rows()) {
            throw new IndexOutOfBoundsException(file + ": rows [" + firstRow + ", " + (firstRow + rowCount)
                    + ") are outside the " + h.rows() + " rows of shape " + h.shapeString());
        }
        long bytes = rowCount * h.rowElements() * h.itemSize();
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new DatasetException(file + ": " + rowCount + " rows are " + bytes
                    + " bytes, more than one Java array holds; read fewer rows at a time");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        long at = h.dataOffset() + firstRow * h.rowElements() * h.itemSize();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, b, at);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (b.hasRemaining()) {
            throw new DatasetException(file + " is truncated: the data ended at byte " + (at + b.position())
                    + ", but rows up to " + (firstRow + rowCount) + " need bytes up to " + (at + bytes)
                    + "; was it changed while being read? download it again");
        }
        b.flip();
        return b;
    }

    /** Reads from {@code pos} until {@code b} is full or the file ends. */
    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                return;
            }
            pos += n;
        }
    }

    private static DatasetException truncatedHeader(Path file, long size, long need) {
        return new DatasetException(file + " is truncated: the .npy header needs " + need + " bytes but the file is "
                + size + " bytes; download it again");
    }

    private static long parseDim(Path file, String t) {
        try {
            long v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DatasetException(file + ": shape entry '" + t + "' is not a non-negative integer", e);
        }
    }

    private static int toInt(Path file, long n) {
        if (n > Integer.MAX_VALUE - 16) {
            throw new DatasetException(file + ": " + n + " elements are more than one Java array holds");
        }
        return (int) n;
    }

    private static String integerDtypes() {
        return String.join(", ", DTYPES.subList(0, 5));
    }
}
