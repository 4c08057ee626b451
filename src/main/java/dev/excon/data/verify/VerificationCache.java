package dev.excon.data.verify;

import dev.excon.AtomicFiles;
import dev.excon.data.download.Checksum;
import dev.excon.data.download.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Which files of one data-set directory already matched their expected digest, with the size and modification time
 * they had then: a file whose size and time are unchanged is not hashed again. One line per file, {@code ALGORITHM
 * HEX SIZE MTIME_NANOS HOW PATH}, {@code HOW} being {@code =} for a file that matched as it is and {@code h} for one
 * that matched with the published gzip header put back.
 */
final class VerificationCache {

    /** The cache's name inside a writable data-set directory. */
    static final String FILE_NAME = ".excon-verified";

    /** System property naming the per-user cache directory. */
    static final String CACHE_PROPERTY = "excon.cache";

    /** Environment variable naming the per-user cache directory. */
    static final String CACHE_VARIABLE = "EXCON_CACHE";

    private record Entry(String algorithm, String hex, long size, long mtime, boolean restored) {}

    private final Path file;
    private final Map<String, Entry> entries;
    private boolean changed;

    private VerificationCache(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /**
     * Where results for {@code dir} are kept: inside it when it is writable and not a system directory under
     * {@code /usr} (Debian's {@code /usr/share/datasets} is read-only to users and owned by the package manager),
     * else in the per-user cache.
     */
    static Path location(Path dir) {
        return stateFile(dir, FILE_NAME, ".txt");
    }

    /** Where a manifest made from an archive for {@code dir} is kept: next to the cache, by the same rule. */
    static Path manifestLocation(Path dir) {
        return stateFile(dir, Manifest.FILE_NAME, ".manifest.sha256");
    }

    private static Path stateFile(Path dir, String inDir, String userSuffix) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isWritable(abs) && !abs.startsWith("/usr")) {
            return abs.resolve(inDir);
        }
        String safe = abs.toString().replaceAll("[^A-Za-z0-9._-]+", "_");
        if (safe.length() > 80) {
            safe = safe.substring(safe.length() - 80);
        }
        byte[] h = Checksum.Algorithm.SHA_256.newDigest().digest(abs.toString().getBytes(StandardCharsets.UTF_8));
        return userCacheDirectory().resolve("verified")
                .resolve(safe + "-" + HexFormat.of().formatHex(h, 0, 6) + userSuffix);
    }

    /**
     * {@code -Dexcon.cache}, else {@code EXCON_CACHE}, else {@code $XDG_CACHE_HOME/excon}, else {@code
     * ~/.cache/excon}.
     */
    static Path userCacheDirectory() {
        String prop = System.getProperty(CACHE_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv(CACHE_VARIABLE);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "excon");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "excon");
    }

    /** The cache at {@code file}; empty when it is absent or unreadable (everything is then hashed again). */
    static VerificationCache load(Path file) {
        Map<String, Entry> entries = new HashMap<>();
        try {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.split(" ", 6);
                    if (!line.startsWith("#") && f.length == 6) {
                        entries.put(f[5], new Entry(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                                f[4].equals("h")));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            entries.clear(); // a damaged cache costs a re-check, nothing more
        }
        return new VerificationCache(file, entries);
    }

    /** An empty cache that will be written to {@code file}. */
    static VerificationCache empty(Path file) {
        return new VerificationCache(file, new HashMap<>());
    }

    Path file() {
        return file;
    }

    /**
     * How {@code path} matched {@code expected} when it had the size and modification time it has now: empty when it
     * did not (or was never checked), else whether the published gzip header had to be put back.
     */
    Optional<Boolean> unchanged(String path, Checksum expected, BasicFileAttributes now) {
        Entry e = entries.get(path);
        boolean same = e != null && e.algorithm().equals(expected.algorithm().jcaName())
                && e.hex().equals(expected.hex()) && e.size() == now.size()
                && e.mtime() == now.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        return same ? Optional.of(e.restored()) : Optional.empty();
    }

    /** Records that {@code path}, as {@code attrs} describe it, matched {@code expected}. */
    void put(String path, Checksum expected, BasicFileAttributes attrs, boolean restored) {
        Entry e = new Entry(expected.algorithm().jcaName(), expected.hex(), attrs.size(),
                attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS), restored);
        if (!e.equals(entries.put(path, e))) {
            changed = true;
        }
    }

    /** Keeps only {@code paths}: files no longer expected are forgotten. */
    void retain(List<String> paths) {
        if (entries.keySet().retainAll(new java.util.HashSet<>(paths))) {
            changed = true;
        }
    }

    /** Writes the cache when something changed, whole or not at all. */
    void saveIfChanged(String title, Path dir) throws IOException {
        if (!changed) {
            return;
        }
        StringBuilder s = new StringBuilder();
        s.append("# excon: files of ").append(title).append(" in ").append(dir.toAbsolutePath().normalize())
                .append(" that matched their published checksums, with the size and modification time they had;\n")
                .append("# a file whose size or time changes is checked again. Delete this file to check everything"
                        + " again on the next use.\n");
        for (Map.Entry<String, Entry> e : new TreeMap<>(entries).entrySet()) {
            Entry v = e.getValue();
            s.append(v.algorithm()).append(' ').append(v.hex()).append(' ').append(v.size()).append(' ')
                    .append(v.mtime()).append(' ').append(v.restored() ? 'h' : '=').append(' ').append(e.getKey())
                    .append('\n');
        }
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".excon-verified-", ".tmp");
        try {
            Files.writeString(tmp, s, StandardCharsets.UTF_8);
            Manifest.readableByAll(tmp);
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        changed = false;
    }
}
