package dev.excon.data.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digests against the published test vectors for "abc" (RFC 1321, FIPS 180-2). */
class ChecksumTest {

    private static final String MD5_ABC = "900150983cd24fb0d6963f7d28e17f72";
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path tmp;

    @Test
    void digestsMatchTheStandardTestVectors() throws IOException {
        Path abc = Files.write(tmp.resolve("abc"), "abc".getBytes(StandardCharsets.US_ASCII));

        assertEquals(MD5_ABC, Checksum.md5(MD5_ABC).digestOf(abc));
        assertEquals(SHA256_ABC, Checksum.sha256(SHA256_ABC).digestOf(abc));
    }

    @Test
    void comparisonIgnoresCaseAndSpaces() {
        Checksum c = Checksum.md5(" " + MD5_ABC.toUpperCase() + "\n");

        assertEquals(MD5_ABC, c.hex());
        assertTrue(c.matches(MD5_ABC.toUpperCase()));
        assertFalse(c.matches(MD5_ABC.replace('9', '8')));
        assertEquals("MD5 " + MD5_ABC, c.toString());
    }

    @Test
    void wrongLengthOrNonHexIsRejectedWithTheValue() {
        IllegalArgumentException shortMd5 = assertThrows(IllegalArgumentException.class,
                () -> Checksum.md5("abc123"));
        assertTrue(shortMd5.getMessage().contains("32 hex digits") && shortMd5.getMessage().contains("abc123"));

        assertThrows(IllegalArgumentException.class, () -> Checksum.sha256(MD5_ABC));
        assertThrows(IllegalArgumentException.class, () -> Checksum.md5("z".repeat(32)));
    }
}
