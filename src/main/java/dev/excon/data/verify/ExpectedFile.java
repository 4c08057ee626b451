package dev.excon.data.verify;

import dev.excon.data.download.Checksum;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One file of a data set and the digest it must have.
 *
 * @param path relative to the data set's directory, {@code /} separators
 * @param expected the digest it must have
 * @param basis where {@code expected} comes from, for the summary
 * @param publishedGzipHeader for a gzip file whose header a repackager may have rewritten: the published file's
 *     header, which the file also matches with in place of its own; else null
 * @param restoredBasis the basis when the file matched only with the published header put back
 */
record ExpectedFile(String path, Checksum expected, String basis, byte[] publishedGzipHeader, String restoredBasis) {

    /** A file checked as it is. */
    static ExpectedFile plain(String path, Checksum expected, String basis) {
        return new ExpectedFile(path, expected, basis, null, null);
    }

    /**
     * What hashing found.
     *
     * @param matches whether the file matched
     * @param found the file's own digest (as it is)
     * @param basis how it matched
     * @param restored whether it matched only with the published gzip header put back
     */
    record Outcome(boolean matches, String found, String basis, boolean restored) {}

    /** Hashes {@code file} (one pass) and compares. */
    Outcome check(Path file) throws IOException {
        if (publishedGzipHeader == null) {
            String found = expected.digestOf(file);
            return new Outcome(expected.matches(found), found, basis, false);
        }
        MessageDigest asIs = expected.algorithm().newDigest();
        MessageDigest restored = expected.algorithm().newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int first = in.readNBytes(buf, 0, buf.length);
            asIs.update(buf, 0, first);
            int header = gzipHeaderLength(buf, first);
            if (header > 0) {
                restored.update(publishedGzipHeader);
                restored.update(buf, header, first - header);
            }
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                asIs.update(buf, 0, n);
                restored.update(buf, 0, n);
            }
            String found = HexFormat.of().formatHex(asIs.digest());
            if (expected.matches(found)) {
                return new Outcome(true, found, basis, false);
            }
            boolean restoredMatches = header > 0 && expected.matches(HexFormat.of().formatHex(restored.digest()));
            return new Outcome(restoredMatches, found, restoredMatches ? restoredBasis : basis, restoredMatches);
        }
    }

    /**
     * The length of the gzip header at the start of {@code b} (RFC 1952, 2.3: ten fixed bytes, then the optional
     * extra field, file name, comment and header CRC the flags announce), or -1 when {@code b} does not start with
     * a whole gzip header.
     */
    static int gzipHeaderLength(byte[] b, int len) {
        if (len < 10 || (b[0] & 0xFF) != 0x1f || (b[1] & 0xFF) != 0x8b || b[2] != 8) {
            return -1;
        }
        int flags = b[3] & 0xFF;
        int pos = 10;
        if ((flags & 4) != 0) { // FEXTRA: a two-byte little-endian length, then that many bytes
            if (pos + 2 > len) {
                return -1;
            }
            pos += 2 + ((b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8);
        }
        for (int zeroTerminated : new int[] {8, 16}) { // FNAME, then FCOMMENT
            if ((flags & zeroTerminated) != 0) {
                while (pos < len && b[pos] != 0) {
                    pos++;
                }
                pos++;
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            pos += 2;
        }
        return pos <= len ? pos : -1;
    }
}
