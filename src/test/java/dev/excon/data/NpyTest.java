package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path tmp;

    /** A file saved by numpy itself (numpy.save), copied from the test resources. */
    private Path numpyFile(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "test resource " + name + " missing");
            return Fixtures.write(tmp.resolve(name), in.readAllBytes());
        }
    }

    /** Values 0, 7, 14, ... (i * 7 mod 256), as in numpy_u1_nhwc.npy. */
    private static byte[] sevens(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (i * 7 % 256);
        }
        return out;
    }

    @Test
    void readsFileWrittenByNumpyAndOurWriterMatchesItByteForByte() throws IOException {
        Path p = numpyFile("numpy_u1_nhwc.npy");
        Npy.Header h = Npy.header(p);
        assertEquals("1.0", h.version());
        assertEquals("|u1", h.dtype());
        assertArrayEquals(new long[] {2, 2, 3, 3}, h.shape());
        assertEquals(128, h.dataOffset());
        assertEquals("(2, 2, 3, 3)", h.shapeString());
        assertArrayEquals(sevens(36), Npy.readBytes(p));
        assertArrayEquals(Files.readAllBytes(p), Fixtures.npy(1, "|u1", false, new long[] {2, 2, 3, 3}, sevens(36)));

        assertArrayEquals(new int[] {3, 0, 99, 42}, Npy.readInts(numpyFile("numpy_i8_labels.npy")));
        assertEquals("(4,)", Npy.header(numpyFile("numpy_i8_labels.npy")).shapeString());
    }

    @Test
    void versionsOneTwoAndThreeAllRead() throws IOException {
        for (int major = 1; major <= 3; major++) {
            Path p = Fixtures.write(tmp.resolve("v" + major + ".npy"),
                    Fixtures.npy(major, "<i4", false, new long[] {3}, Fixtures.littleEndianInts(-5, 0, 70000)));
            assertEquals(major + ".0", Npy.header(p).version());
            assertArrayEquals(new int[] {-5, 0, 70000}, Npy.readInts(p), "version " + major);
        }
    }

    @Test
    void everyDtypeReads() throws IOException {
        Path u1 = Fixtures.write(tmp.resolve("u1.npy"),
                Fixtures.npy(1, "<u1", false, new long[] {3}, Fixtures.bytes(0, 128, 255)));
        assertArrayEquals(new int[] {0, 128, 255}, Npy.readInts(u1));
        Path i1 = Fixtures.write(tmp.resolve("i1.npy"),
                Fixtures.npy(1, "|i1", false, new long[] {3}, Fixtures.bytes(0, 128, 255)));
        assertArrayEquals(new int[] {0, -128, -1}, Npy.readInts(i1));
        assertArrayEquals(new float[] {0, -128, -1}, Npy.readFloats(i1));
        Path i8 = Fixtures.write(tmp.resolve("i8.npy"),
                Fixtures.npy(1, "<i8", false, new long[] {2}, Fixtures.littleEndianLongs(-3, 1L << 30)));
        assertArrayEquals(new int[] {-3, 1 << 30}, Npy.readInts(i8));
        Path f4 = Fixtures.write(tmp.resolve("f4.npy"), Fixtures.npy(1, "<f4", false, new long[] {2, 2},
                Fixtures.littleEndianFloats(0.5f, -1.25f, 3e9f, Float.MIN_VALUE)));
        assertArrayEquals(new float[] {0.5f, -1.25f, 3e9f, Float.MIN_VALUE}, Npy.readFloats(f4));
        assertArrayEquals(new float[] {3e9f, Float.MIN_VALUE}, Npy.readFloats(f4, 1, 1));
    }

    @Test
    void readsARowRangeOnly() throws IOException {
        // 5 rows of 2 x 3: row r holds values 6r .. 6r+5.
        byte[] data = new byte[30];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Path p = Fixtures.write(tmp.resolve("rows.npy"), Fixtures.npy(2, "|u1", false, new long[] {5, 2, 3}, data));
        assertArrayEquals(Arrays.copyOfRange(data, 12, 24), Npy.readBytes(p, 2, 2));
        assertArrayEquals(new byte[0], Npy.readBytes(p, 5, 0));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Npy.readBytes(p, 4, 2));
        assertTrue(e.getMessage().contains("rows [4, 6) are outside the 5 rows of shape (5, 2, 3)"), e.getMessage());
    }

    @Test
    void fortranOrderIsRejected() throws IOException {
        Path p = numpyFile("numpy_f4_fortran.npy");
        DatasetException e = assertThrows(DatasetException.class, () -> Npy.readFloats(p));
        assertTrue(e.getMessage().contains(p + " is stored in Fortran (column-major) order, but only C order is"
                + " supported"), e.getMessage());
        assertTrue(e.getMessage().contains("ascontiguousarray"), e.getMessage());
    }

    @Test
    void unsupportedAndMismatchedDtypes() throws IOException {
        Path f8 = Fixtures.write(tmp.resolve("f8.npy"),
                Fixtures.npy(1, "<f8", false, new long[] {1}, Fixtures.littleEndianLongs(0)));
        DatasetException e = assertThrows(DatasetException.class, () -> Npy.header(f8));
        assertTrue(e.getMessage().contains(f8 + " has dtype '<f8', which is not supported: expected one of [|u1,"
                + " <u1, |i1, <i4, <i8, <f4]"), e.getMessage());

        Path bigEndian = Fixtures.write(tmp.resolve("be.npy"),
                Fixtures.npy(1, ">i4", false, new long[] {1}, Fixtures.littleEndianInts(1)));
        assertThrows(DatasetException.class, () -> Npy.readInts(bigEndian));

        Path i4 = Fixtures.write(tmp.resolve("i4.npy"),
                Fixtures.npy(1, "<i4", false, new long[] {1}, Fixtures.littleEndianInts(1)));
        DatasetException e2 = assertThrows(DatasetException.class, () -> Npy.readBytes(i4));
        assertTrue(e2.getMessage().contains("has dtype '<i4', expected a one-byte dtype"), e2.getMessage());

        Path f4 = Fixtures.write(tmp.resolve("f4.npy"),
                Fixtures.npy(1, "<f4", false, new long[] {1}, Fixtures.littleEndianFloats(1)));
        DatasetException e3 = assertThrows(DatasetException.class, () -> Npy.readInts(f4));
        assertTrue(e3.getMessage().contains("has dtype '<f4', expected an integer dtype"), e3.getMessage());

        Path huge = Fixtures.write(tmp.resolve("huge.npy"),
                Fixtures.npy(1, "<i8", false, new long[] {2}, Fixtures.littleEndianLongs(1, 1L << 40)));
        DatasetException e4 = assertThrows(DatasetException.class, () -> Npy.readInts(huge));
        assertTrue(e4.getMessage().contains("value 1099511627776 at element 1 does not fit"), e4.getMessage());
    }

    @Test
    void truncatedDataGivesWhereItEnded() throws IOException {
        byte[] full = Fixtures.npy(1, "<i4", false, new long[] {4}, Fixtures.littleEndianInts(1, 2, 3, 4));
        Path p = Fixtures.write(tmp.resolve("cut.npy"), Arrays.copyOf(full, full.length - 6));
        DatasetException e = assertThrows(DatasetException.class, () -> Npy.readInts(p));
        assertTrue(e.getMessage().contains(p + " is truncated: shape (4,) of <i4 needs 16 data bytes from byte 128"),
                e.getMessage());
        assertTrue(e.getMessage().contains("data ends at byte 138 after 10 bytes (2 whole elements)"),
                e.getMessage());

        Path header = Fixtures.write(tmp.resolve("head.npy"), Arrays.copyOf(full, 30));
        DatasetException e2 = assertThrows(DatasetException.class, () -> Npy.header(header));
        assertTrue(e2.getMessage().contains("the .npy header needs 128 bytes but the file is 30 bytes"),
                e2.getMessage());
    }

    @Test
    void notNpyAndUnknownVersion() throws IOException {
        Path txt = Fixtures.write(tmp.resolve("x.npy"), "PK\u0003\u0004 a zip file".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> Npy.header(txt));
        assertTrue(e.getMessage().contains(txt + " is not a .npy file"), e.getMessage());

        byte[] v4 = Fixtures.npy(1, "|u1", false, new long[] {1}, Fixtures.bytes(1));
        v4[6] = 4;
        Path p = Fixtures.write(tmp.resolve("v4.npy"), v4);
        DatasetException e2 = assertThrows(DatasetException.class, () -> Npy.header(p));
        assertTrue(e2.getMessage().contains("is .npy format version 4.0"), e2.getMessage());

        Path absent = tmp.resolve("absent.npy");
        DatasetException e3 = assertThrows(DatasetException.class, () -> Npy.header(absent));
        assertTrue(e3.getMessage().contains(absent + " not found"), e3.getMessage());
    }

    @Test
    void scalarShape() throws IOException {
        Path p = Fixtures.write(tmp.resolve("s.npy"),
                Fixtures.npy(1, "<i4", false, new long[0], Fixtures.littleEndianInts(17)));
        assertArrayEquals(new long[0], Npy.header(p).shape());
        assertArrayEquals(new int[] {17}, Npy.readInts(p));
    }
}
