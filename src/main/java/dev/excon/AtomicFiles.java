package dev.excon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that are either wholly the old version or wholly the new one: written to a temporary sibling, flushed to
 * disk, then renamed over the target. A failure or a kill mid-write leaves the previous file (and no temporary).
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** The temporary sibling a write goes through: {@code NAME.tmp} in the same directory (same file system). */
    public static Path temporaryFor(Path file) {
        return file.toAbsolutePath().resolveSibling(file.getFileName() + ".tmp");
    }

    /**
     * Writes text as UTF-8, creating parent directories.
     *
     * @throws UncheckedIOException naming the file when it cannot be written; the previous file is untouched
     */
    public static void writeString(Path file, String text) {
        Path tmp = temporaryFor(file);
        try {
            Files.createDirectories(tmp.getParent());
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            moveIntoPlace(tmp, file);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write already failed; that error is the one to report
            }
            throw new UncheckedIOException("cannot write " + file + ": " + IoErrors.explain(e, file.toAbsolutePath()
                    .getParent()), e);
        }
    }

    /** Flushes a finished temporary file to disk and renames it over {@code file} (atomically where supported). */
    public static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
