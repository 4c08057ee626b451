package dev.excon.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A published checksum of a file: the algorithm and the expected digest as lower-case hex.
 *
 * @param algorithm MD5 or SHA-256
 * @param hex the expected digest, lower-case hex ({@code 32} digits for MD5, {@code 64} for SHA-256)
 */
public record Checksum(Algorithm algorithm, String hex) {

    /** The digest algorithms data-set publishers use. */
    public enum Algorithm {
        /** MD5, 128 bits; what the CIFAR page, Zenodo and most loaders publish. */
        MD5("MD5", 32),
        /** SHA-256, 256 bits. */
        SHA_256("SHA-256", 64);

        private final String jcaName;
        private final int hexDigits;

        Algorithm(String jcaName, int hexDigits) {
            this.jcaName = jcaName;
            this.hexDigits = hexDigits;
        }

        /** The name {@link MessageDigest#getInstance(String)} takes, and the one printed in messages. */
        public String jcaName() {
            return jcaName;
        }

        /** Hex digits in a digest: 32 for MD5, 64 for SHA-256. */
        public int hexDigits() {
            return hexDigits;
        }

        /** A fresh digest for this algorithm (both are mandatory in every Java runtime). */
        public MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jcaName + " is missing from this Java runtime", e);
            }
        }
    }

    /** Checks the digest length and normalises it to lower case. */
    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        hex = hex.strip().toLowerCase(Locale.ROOT);
        if (hex.length() != algorithm.hexDigits() || !hex.chars().allMatch(Checksum::isHexDigit)) {
            throw new IllegalArgumentException(algorithm.jcaName() + " checksum must be " + algorithm.hexDigits()
                    + " hex digits, received \"" + hex + "\" (" + hex.length() + " characters)");
        }
    }

    /** An MD5 checksum from its 32 hex digits. */
    public static Checksum md5(String hex) {
        return new Checksum(Algorithm.MD5, hex);
    }

    /** A SHA-256 checksum from its 64 hex digits. */
    public static Checksum sha256(String hex) {
        return new Checksum(Algorithm.SHA_256, hex);
    }

    /** Digests {@code file} with this checksum's algorithm; returns lower-case hex. */
    public String digestOf(Path file) throws IOException {
        MessageDigest digest = algorithm.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether {@code actualHex} (any case) equals the expected digest. */
    public boolean matches(String actualHex) {
        return hex.equalsIgnoreCase(actualHex.strip());
    }

    /** E.g. {@code "MD5 03b5dce01913d631647c71ecec9e9cb8"}. */
    @Override
    public String toString() {
        return algorithm.jcaName() + " " + hex;
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
