package dev.excon.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared checks for the readers, so every reader words "not found" and "missing file" the same way. */
final class DataFiles {

    private DataFiles() {}

    /**
     * Fails unless {@code dir} is a directory.
     *
     * @param title the data set's display name, e.g. "CIFAR-10"
     * @param expected what should be in the directory
     * @param fix how to get the data
     */
    static void requireDirectory(Path dir, String title, String expected, String fix) {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new DatasetException(
                    title + ": " + dir + " is a file, but a directory was expected holding " + expected + "; " + fix);
        }
        throw new DatasetException(title + " not found under " + dir + ": expected " + expected + "; " + fix);
    }

    /** Fails unless {@code dir/name} is a regular file; returns it. */
    static Path requireFile(Path dir, String name, String title, String expected, String fix) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(
                    title + " under " + dir + " is missing " + name + ": expected " + expected + "; " + fix);
        }
        return file;
    }

    /** The size of {@code file} in bytes. */
    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a class-name file (one name per line, blank lines ignored).
     *
     * @return the names, or {@code fallback} when the file does not exist
     * @throws DatasetException if the file exists but holds a different number of names than {@code fallback}
     */
    static List<String> readNames(Path file, List<String> fallback) {
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read class names from " + file + ": " + e.getMessage(), e);
        }
        if (names.size() != fallback.size()) {
            throw new DatasetException(
                    file + " lists " + names.size() + " class names, expected " + fallback.size()
                            + " (one per line); restore the original file or delete it to use the official names");
        }
        return List.copyOf(names);
    }

    /**
     * Reads exactly {@code len} bytes into {@code buf}, looping over short reads.
     *
     * @return the number of bytes read: less than {@code len} only at end of stream
     */
    static int readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(buf, off + done, len - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }
}
