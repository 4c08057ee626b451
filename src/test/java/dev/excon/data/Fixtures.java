package dev.excon.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Writers for tiny test files in the real on-disk formats. */
final class Fixtures {

    private Fixtures() {}

    /** An IDX file: big-endian magic {@code 0x0000 08 <dims.length>}, dims, then {@code data}. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    /**
     * gzip with stored (uncompressed) deflate blocks: a changed byte in the compressed file is the same change in the
     * decompressed data, so only the gzip CRC-32 can notice it.
     */
    static byte[] gzipStored(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bos) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, data);
    }

    /** Deterministic pixel values that differ from image to image and position to position. */
    static byte[] pattern(int n, int seed) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (i * 31 + seed * 7 + (i >> 8));
        }
        return out;
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** Writes a Fashion-MNIST style directory: 28x28 is not needed, any rows x cols works. */
    static void writeIdxSet(Path dir, int rows, int cols, int[] trainLabels, int[] testLabels, boolean gz)
            throws IOException {
        String ext = gz ? ".gz" : "";
        writeIdxPair(dir, "train", rows, cols, trainLabels, 1, gz, ext);
        writeIdxPair(dir, "t10k", rows, cols, testLabels, 2, gz, ext);
    }

    private static void writeIdxPair(Path dir, String prefix, int rows, int cols, int[] labels, int seed,
            boolean gz, String ext) throws IOException {
        byte[] images = idx(Idx.MAGIC_IMAGES, new int[] {labels.length, rows, cols},
                pattern(labels.length * rows * cols, seed));
        byte[] lab = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            lab[i] = (byte) labels[i];
        }
        byte[] labelFile = idx(Idx.MAGIC_LABELS, new int[] {labels.length}, lab);
        write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gz ? gzip(images) : images);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gz ? gzip(labelFile) : labelFile);
    }

    /**
     * A {@code .npy} file, version {@code major}.0, with the given header fields and raw little-endian data. The
     * header is padded with spaces to a multiple of 64 bytes and ends in a newline, as numpy writes it.
     */
    static byte[] npy(int major, String descr, boolean fortran, long[] shape, byte[] data) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        s.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + s + ", }";
        int prefix = 6 + 2 + (major == 1 ? 2 : 4);
        int total = prefix + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        b.put(h).put(data);
        return b.array();
    }

    static byte[] littleEndianInts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] littleEndianLongs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    static byte[] littleEndianFloats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
