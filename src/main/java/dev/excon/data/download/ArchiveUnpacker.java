package dev.excon.data.download;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Enumeration;
import java.util.regex.Pattern;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks tar, tar.gz and zip archives into a directory, refusing any entry that would land outside it: absolute
 * names, names with {@code ..} that climb out, symbolic links whose target lies outside, and writes through a link
 * that would end up outside. Entries are plain files, directories and links only; devices and pipes are refused.
 * Damage is refused too: a tar.gz is read to the end of its gzip stream (CRC-32, length, nothing after it), and
 * every zip entry's CRC-32 is checked.
 */
final class ArchiveUnpacker {

    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private ArchiveUnpacker() {}

    /** An archive entry that would escape the target directory or is of a refused kind. */
    static final class UnsafeEntryException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String entry;
        private final String reason;

        UnsafeEntryException(String entry, String reason) {
            super("entry \"" + entry + "\" " + reason);
            this.entry = entry;
            this.reason = reason;
        }

        /** The entry's name as stored in the archive. */
        String entry() {
            return entry;
        }

        /** Why it was refused, e.g. {@code "would be written outside the target directory"}. */
        String reason() {
            return reason;
        }
    }

    /**
     * Unpacks {@code archive} into the existing directory {@code into}.
     *
     * @throws UnsafeEntryException at the first entry that would escape {@code into}; what was unpacked before it
     *     stays in {@code into} (the caller removes the directory)
     * @throws IOException if the archive is damaged or a file cannot be written
     */
    static void unpack(Path archive, ArchiveFormat format, Path into) throws IOException {
        Path root = into.toRealPath();
        switch (format) {
            case TAR -> unpackTar(archive, false, root);
            case TAR_GZ -> unpackTar(archive, true, root);
            case ZIP -> unpackZip(archive, root);
            default -> throw new IllegalArgumentException("unsupported format " + format);
        }
    }

    /** What to do with one tar entry; {@code data} reads the entry's content. */
    interface TarEntryReader {
        void read(TarArchiveEntry entry, InputStream data) throws IOException;
    }

    /**
     * Reads a tar (gzip-compressed or not) entry by entry, then the gzip stream to its end: tar stops at its
     * end-of-archive blocks, and gzip checks its CRC-32 and length only at its own end.
     */
    static void readTar(Path archive, boolean gzip, TarEntryReader reader) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                InputStream raw = gzip
                        ? GzipCompressorInputStream.builder().setInputStream(file).setDecompressConcatenated(true).get()
                        : file;
                TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                reader.read(e, tar);
            }
            if (gzip) {
                raw.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    /** What to do with one zip entry's content. */
    interface ZipEntryReader<T> {
        T read(InputStream data) throws IOException;
    }

    /** Reads a zip entry's content through {@code reader}, then checks its CRC-32 (commons-compress does not). */
    static <T> T readZipEntry(ZipFile zip, ZipArchiveEntry e, ZipEntryReader<T> reader) throws IOException {
        CRC32 crc = new CRC32();
        T result;
        try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
            result = reader.read(in);
        }
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw new IOException(String.format(Locale.ROOT, "entry \"%s\" fails its CRC-32 check (stored %08x, "
                    + "found %08x): the archive is damaged", e.getName(), e.getCrc(), crc.getValue()));
        }
        return result;
    }

    private static void unpackTar(Path archive, boolean gzip, Path root) throws IOException {
        readTar(archive, gzip, (e, data) -> {
            String name = e.getName();
            Path dest = destination(root, name);
            if (e.isDirectory()) {
                makeDirectory(root, name, dest);
            } else if (e.isSymbolicLink()) {
                makeSymbolicLink(root, name, dest, e.getLinkName());
            } else if (e.isLink()) {
                Path source = destination(root, e.getLinkName());
                if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw new UnsafeEntryException(name, "is a hard link to \"" + e.getLinkName()
                            + "\", which is not a file unpacked before it");
                }
                prepareFile(root, name, dest);
                Files.copy(source, dest);
            } else if (e.isFile()) {
                prepareFile(root, name, dest);
                Files.copy(data, dest);
            } else {
                throw new UnsafeEntryException(name, "is a device, pipe or other special file");
            }
        });
    }

    private static void unpackZip(Path archive, Path root) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            for (Enumeration<ZipArchiveEntry> en = zip.getEntriesInPhysicalOrder(); en.hasMoreElements(); ) {
                ZipArchiveEntry e = en.nextElement();
                String name = e.getName();
                Path dest = destination(root, name);
                if (e.isDirectory()) {
                    makeDirectory(root, name, dest);
                } else if (e.isUnixSymlink()) {
                    makeSymbolicLink(root, name, dest, zip.getUnixSymlink(e));
                } else {
                    prepareFile(root, name, dest);
                    readZipEntry(zip, e, in -> Files.copy(in, dest));
                }
            }
        }
    }

    /** Where {@code name} goes under {@code root}; refuses absolute names and names that climb out. */
    static Path destination(Path root, String name) throws UnsafeEntryException {
        String slashed = name.replace('\\', '/');
        if (slashed.isEmpty()) {
            throw new UnsafeEntryException(name, "has an empty name");
        }
        if (slashed.startsWith("/") || WINDOWS_DRIVE.matcher(slashed).matches()) {
            throw new UnsafeEntryException(name, "has an absolute path");
        }
        Path dest = root.resolve(slashed).normalize();
        if (!dest.startsWith(root)) {
            throw new UnsafeEntryException(name, "would be written outside the target directory (its '..' climbs out)");
        }
        return dest;
    }

    private static void makeDirectory(Path root, String name, Path dest) throws IOException {
        requireInsideOnDisk(root, name, dest);
        Files.createDirectories(dest);
        requireInsideOnDisk(root, name, dest);
    }

    private static void makeSymbolicLink(Path root, String name, Path dest, String linkName) throws IOException {
        if (dest.equals(root)) {
            throw new UnsafeEntryException(name, "is a link in place of the target directory itself");
        }
        String slashed = linkName.replace('\\', '/');
        if (slashed.startsWith("/") || WINDOWS_DRIVE.matcher(slashed).matches()) {
            throw new UnsafeEntryException(name, "is a symbolic link to the absolute path \"" + linkName
                    + "\", outside the target directory");
        }
        Path resolved = dest.getParent().resolve(slashed).normalize();
        if (!resolved.startsWith(root)) {
            throw new UnsafeEntryException(name, "is a symbolic link to \"" + linkName
                    + "\", which points outside the target directory");
        }
        prepareFile(root, name, dest);
        Files.createSymbolicLink(dest, Path.of(slashed));
    }

    /** Makes the parent directory and clears the way for a new file at {@code dest}, all inside {@code root}. */
    private static void prepareFile(Path root, String name, Path dest) throws IOException {
        if (dest.equals(root)) {
            throw new UnsafeEntryException(name, "names the target directory itself as a file");
        }
        Path parent = dest.getParent();
        makeDirectory(root, name, parent);
        // A later entry of the same name replaces the earlier one (tar semantics); never write through a link.
        Files.deleteIfExists(dest);
    }

    /**
     * Checks that the deepest existing ancestor of {@code path}, with links followed, is inside {@code root}: a
     * link unpacked earlier must not carry later entries out.
     */
    private static void requireInsideOnDisk(Path root, String name, Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new UnsafeEntryException(name, "has no existing ancestor inside the target directory");
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UnsafeEntryException(name, "would be written through a dangling symbolic link");
        }
        if (!real.startsWith(root)) {
            throw new UnsafeEntryException(name, "would be written through a symbolic link to " + real
                    + ", outside the target directory");
        }
    }

    /** Deletes {@code dir} and everything under it without following links; missing is fine. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
