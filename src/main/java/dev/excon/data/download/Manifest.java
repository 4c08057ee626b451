package dev.excon.data.download;

import dev.excon.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The SHA-256 of every file unpacked from an archive whose published checksum matched: publishers give checksums
 * for their archives only, so this is what lets the unpacked files be checked later. Stored as
 * {@value #FILE_NAME} in the data set's directory in {@code sha256sum}'s format (check it by hand there with
 * {@code sha256sum -c .excon-manifest.sha256}), the archive and its checksum in comment lines.
 *
 * @param archive the archive's file name, e.g. {@code cifar-100-binary.tar.gz}
 * @param archiveChecksum the archive's checksum, which matched the published one when this manifest was made
 * @param sha256 lower-case hex SHA-256 of each file, by path relative to the data set's directory ({@code /}
 *     separators), sorted
 */
public record Manifest(String archive, Checksum archiveChecksum, SortedMap<String, String> sha256) {

    /** The manifest's file name inside a data set's directory. */
    public static final String FILE_NAME = ".excon-manifest.sha256";

    private static final String ARCHIVE = "# archive: ";
    private static final String CHECKSUM = "# archive checksum: ";

    /** Copies the map; checks the paths and digests. */
    public Manifest {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(archiveChecksum, "archiveChecksum");
        sha256 = Collections.unmodifiableSortedMap(new TreeMap<>(sha256));
        for (Map.Entry<String, String> e : sha256.entrySet()) {
            requireRelative(e.getKey());
            Checksum.sha256(e.getValue());
        }
    }

    /**
     * The SHA-256 of every regular file under {@code dir} (links are not followed), this manifest itself excepted:
     * what the downloader records for a directory it has just unpacked from a verified archive.
     */
    public static Manifest ofDirectory(Path dir, String archive, Checksum archiveChecksum) throws IOException {
        SortedMap<String, String> sums = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).collect(Collectors.toList());
        }
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if (!rel.equals(FILE_NAME)) {
                sums.put(rel, sha256Of(f));
            }
        }
        return new Manifest(archive, archiveChecksum, sums);
    }

    /**
     * The SHA-256 of every file that {@code archiveFile} holds under {@code source.directory()}/, read from the
     * archive without unpacking it, with the same integrity checks as unpacking (gzip to its end, zip entry CRC-32).
     * The caller checks the archive's own checksum first; this records it as {@code source.checksum()}.
     *
     * @throws IOException if the archive is damaged or an entry name climbs out of the directory
     */
    public static Manifest ofArchive(Path archiveFile, DatasetSource source) throws IOException {
        String prefix = source.directory() + "/";
        SortedMap<String, String> sums = new TreeMap<>();
        switch (source.format()) {
            case TAR -> readTar(archiveFile, false, prefix, sums);
            case TAR_GZ -> readTar(archiveFile, true, prefix, sums);
            case ZIP -> readZip(archiveFile, prefix, sums);
            default -> throw new IllegalArgumentException("unsupported format " + source.format());
        }
        return new Manifest(source.fileName(), source.checksum(), sums);
    }

    private static void readTar(Path archive, boolean gzip, String prefix, Map<String, String> sums)
            throws IOException {
        Map<String, String> byEntry = new HashMap<>(); // for hard links, which name an earlier entry
        ArchiveUnpacker.readTar(archive, gzip, (e, data) -> {
            String name = clean(e.getName());
            String digest;
            if (e.isLink()) {
                digest = byEntry.get(clean(e.getLinkName()));
            } else if (e.isFile()) {
                digest = sha256Of(data);
            } else {
                return; // directories and symbolic links hold no data of their own
            }
            if (digest != null) {
                byEntry.put(name, digest);
                if (name.startsWith(prefix) && name.length() > prefix.length()) {
                    sums.put(requireRelative(name.substring(prefix.length())), digest);
                }
            }
        });
    }

    private static void readZip(Path archive, String prefix, Map<String, String> sums) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            for (Enumeration<ZipArchiveEntry> en = zip.getEntriesInPhysicalOrder(); en.hasMoreElements(); ) {
                ZipArchiveEntry e = en.nextElement();
                String name = clean(e.getName());
                if (e.isDirectory() || e.isUnixSymlink() || !name.startsWith(prefix) || name.equals(prefix)) {
                    continue;
                }
                String digest = ArchiveUnpacker.readZipEntry(zip, e, Manifest::sha256Of);
                sums.put(requireRelative(name.substring(prefix.length())), digest);
            }
        }
    }

    /** Writes the manifest to {@code file}, whole or not at all. */
    public void write(Path file) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# excon: SHA-256 of each file unpacked from an archive whose checksum matched the published one\n");
        s.append(ARCHIVE).append(archive).append('\n');
        s.append(CHECKSUM).append(archiveChecksum).append('\n');
        s.append("# check by hand, in the data set's directory: sha256sum -c ").append(FILE_NAME).append('\n');
        for (Map.Entry<String, String> e : sha256.entrySet()) {
            s.append(e.getValue()).append("  ").append(e.getKey()).append('\n');
        }
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".manifest-", ".tmp");
        try {
            Files.writeString(tmp, s, StandardCharsets.UTF_8);
            readableByAll(tmp);
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a manifest written by {@link #write}.
     *
     * @return empty when {@code file} does not exist
     * @throws IOException if it cannot be read or is not a manifest (the message names the line)
     */
    public static Optional<Manifest> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String archive = null;
        Checksum checksum = null;
        SortedMap<String, String> sums = new TreeMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            try {
                if (line.startsWith(ARCHIVE)) {
                    archive = line.substring(ARCHIVE.length()).strip();
                } else if (line.startsWith(CHECKSUM)) {
                    String[] parts = line.substring(CHECKSUM.length()).strip().split(" ");
                    checksum = new Checksum(parts[0].equals("MD5") ? Checksum.Algorithm.MD5
                            : Checksum.Algorithm.SHA_256, parts[1]);
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    int gap = line.indexOf("  ");
                    sums.put(requireRelative(line.substring(gap + 2)), Checksum.sha256(line.substring(0, gap)).hex());
                }
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a manifest line: \"" + line + "\"", e);
            }
        }
        if (archive == null || checksum == null) {
            throw new IOException(file + " does not name its archive and checksum (\"" + ARCHIVE + "\" and \""
                    + CHECKSUM + "\" lines)");
        }
        try {
            return Optional.of(new Manifest(archive, checksum, sums));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Makes a new temporary file {@code rw-r--r--}: it is created owner-only, and a shared data directory's other
     * users must be able to read its manifest.
     */
    public static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the default access is already inherited from the directory
        }
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256Of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256Of(in);
        }
    }

    /** Digests {@code in} to its end without closing it: a tar entry's stream is the whole archive's. */
    private static String sha256Of(InputStream in) throws IOException {
        MessageDigest digest = Checksum.Algorithm.SHA_256.newDigest();
        new DigestInputStream(in, digest).transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String clean(String entryName) {
        String s = entryName.replace('\\', '/');
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        return s;
    }

    private static String requireRelative(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\n") || ("/" + path + "/").contains("/../")) {
            throw new IllegalArgumentException("manifest path \"" + path + "\" is not a plain relative path");
        }
        return path;
    }
}
