package dev.excon.data.download;

import java.util.Locale;

/** How an archive is packed, told by its file name. */
public enum ArchiveFormat {
    /** An uncompressed POSIX/GNU tar ({@code .tar}). */
    TAR,
    /** A gzip-compressed tar ({@code .tar.gz} or {@code .tgz}). */
    TAR_GZ,
    /** A zip ({@code .zip}). */
    ZIP;

    /**
     * The format of {@code fileName} by its extension.
     *
     * @throws IllegalArgumentException if the name ends in none of {@code .tar}, {@code .tar.gz}, {@code .tgz},
     *     {@code .zip}
     */
    public static ArchiveFormat fromFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
            return TAR_GZ;
        }
        if (lower.endsWith(".tar")) {
            return TAR;
        }
        if (lower.endsWith(".zip")) {
            return ZIP;
        }
        throw new IllegalArgumentException("cannot tell the archive format of \"" + fileName
                + "\": expected a name ending in .tar, .tar.gz, .tgz or .zip");
    }
}
