package dev.excon.eval.corruption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.data.ArrayImageDataset;
import dev.excon.data.ImageDataset;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptionSuiteTest {

    @Test
    void theGeneratedSuiteIsTheCatalogueUnderOneSeed() {
        byte[] px = new byte[2 * 3 * 4 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 5);
        }
        ImageDataset clean = new ArrayImageDataset("toy/test", px, new int[] {0, 1}, 3, 4, 4, List.of("a", "b"));
        CorruptionSuite suite = CorruptionSuite.generated(clean, 7);
        assertEquals(Corruptions.names(), suite.corruptions());
        assertEquals(5, suite.severities());
        assertTrue(suite.description().contains("CIFAR-C-like") && suite.description().contains("toy/test"));
        ImageDataset d = suite.load("shot_noise", 2);
        assertEquals("cifar-c-like/shot_noise/2", d.name());
        assertArrayEquals(Corruptions.corrupt(clean, "shot_noise", 2, 7).image(1), d.image(1));
        assertThrows(IllegalArgumentException.class, () -> suite.load("fog", 1));
    }

    /** A minimal version-1 .npy file. */
    private static byte[] npy(String descr, long[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (long s : shape) {
            dims.append(s).append(", ");
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xFF);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void theOfficialSuiteReadsCifar100CFiles(@TempDir Path dir) throws Exception {
        int n = 5; // one image per severity, 2 x 2 RGB
        byte[] nhwc = new byte[n * 2 * 2 * 3];
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = (byte) i;
        }
        Files.write(dir.resolve("gaussian_noise.npy"), npy("|u1", new long[] {n, 2, 2, 3}, nhwc));
        ByteBuffer labels = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            labels.putLong(i * 10L);
        }
        Files.write(dir.resolve("labels.npy"), npy("<i8", new long[] {n}, labels.array()));
        CorruptionSuite suite = CorruptionSuite.official(dir);
        assertEquals(List.of("gaussian_noise"), suite.corruptions());
        ImageDataset d = suite.load("gaussian_noise", 3);
        assertEquals("cifar100-c/gaussian_noise/3", d.name());
        assertEquals(1, d.size());
        assertEquals(20, d.label(0));
        // image of severity 3 = the third block: NHWC bytes 24..35 reordered to CHW
        assertArrayEquals(new byte[] {24, 27, 30, 33, 25, 28, 31, 34, 26, 29, 32, 35}, d.image(0));
        assertThrows(IllegalArgumentException.class, () -> suite.load("shot_noise", 1));
        assertThrows(IllegalArgumentException.class, () -> suite.load("gaussian_noise", 6));
    }
}
