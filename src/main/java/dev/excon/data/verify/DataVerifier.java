package dev.excon.data.verify;

import dev.excon.data.DataPaths;
import dev.excon.data.DatasetException;
import dev.excon.data.download.Checksum;
import dev.excon.data.download.DatasetSource;
import dev.excon.data.download.Downloader;
import dev.excon.data.download.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a data set's files against their publishers' checksums (what that means per data set: see the package
 * documentation).
 *
 * <p>Two uses: {@link #onFirstUse} before a data set is loaded from its default location ({@code
 * Datasets.fashionMnist()}, {@code TrainingData.load}, the command line), which reuses cached results and refuses a
 * mismatch; and {@link #verify} for {@code excon data verify}, which hashes everything again. Loading from an
 * explicit path ({@code Datasets.fashionMnist(dir)}) checks nothing: that is how tests and own copies are read.
 *
 * <p>{@code EXCON_VERIFY=off} (or {@code -Dexcon.verify=off}) turns the check on first use off, with a warning each
 * time: for generated stand-ins of a known data set, as the command line tests use.
 */
public final class DataVerifier {

    /** System property that turns the check on first use off ({@code off}) or on ({@code on}, the default). */
    public static final String ENABLED_PROPERTY = "excon.verify";

    /** Environment variable with the same meaning as {@link #ENABLED_PROPERTY}; the property wins. */
    public static final String ENABLED_VARIABLE = "EXCON_VERIFY";

    private static final Logger LOG = LoggerFactory.getLogger(DataVerifier.class);

    private DataVerifier() {}

    /**
     * Checks {@code dir} before {@code dataset} is loaded from it: files unchanged since a cached check are not hashed
     * again. Logs the result with its time when something was hashed (INFO), warns when the data set is not
     * verifiable, and does nothing when {@code dir} does not exist (the reader then says what is missing).
     *
     * @throws DatasetException naming each file, the expected and the found digest and the fix, when a file does not
     *     match or is missing; or when {@code EXCON_VERIFY} has a value other than on or off
     */
    public static Verification onFirstUse(KnownDataset dataset, Path dir) {
        if (!enabled()) {
            LOG.warn("{} in {} is not checked against its published checksums: {}=off", dataset.title(), dir,
                    ENABLED_VARIABLE);
            return null;
        }
        if (!Files.isDirectory(dir)) {
            return null;
        }
        Verification v = check(dataset, dir, true);
        switch (v.status()) {
            case VERIFIED -> {
                if (v.unchanged() < v.files()) {
                    LOG.info(v.summary());
                } else {
                    LOG.debug(v.summary());
                }
            }
            case NOT_VERIFIABLE -> LOG.warn(v.summary());
            case FAILED -> throw new DatasetException(v.summary() + " (To load it unchecked anyway: "
                    + ENABLED_VARIABLE + "=off.)");
            default -> { }
        }
        return v;
    }

    /** Checks every file of {@code dataset} in {@code dir} again, ignoring cached results, and caches the outcome. */
    public static Verification verify(KnownDataset dataset, Path dir) {
        return check(dataset, dir, false);
    }

    /**
     * Whether the check on first use is on: {@code -Dexcon.verify}, else {@code EXCON_VERIFY}, else on.
     *
     * @throws DatasetException for a value other than on/off (true/false, 1/0, yes/no)
     */
    public static boolean enabled() {
        String prop = System.getProperty(ENABLED_PROPERTY);
        String value = prop != null && !prop.isBlank() ? prop : System.getenv(ENABLED_VARIABLE);
        if (value == null || value.isBlank()) {
            return true;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on", "true", "1", "yes" -> true;
            case "off", "false", "0", "no" -> false;
            default -> throw new DatasetException(ENABLED_VARIABLE + "=" + value + " (or -D" + ENABLED_PROPERTY
                    + "): write on or off; off loads known data sets without checking them against their published"
                    + " checksums");
        };
    }

    static Verification check(KnownDataset dataset, Path dir, boolean useCache) {
        return check(dataset, dataset.source().orElse(null), dir, useCache);
    }

    /** {@link #check(KnownDataset, Path, boolean)} against {@code source}'s checksum (tests use a fixture's). */
    static Verification check(KnownDataset dataset, DatasetSource source, Path dir, boolean useCache) {
        long start = System.nanoTime();
        if (!Files.isDirectory(dir)) {
            String get = dataset.source().map(s -> "make download DATASET=" + dataset.key())
                    .orElse("sudo apt-get install dataset-fashion-mnist");
            return new Verification(dataset, dir, Verification.Status.ABSENT, 0, 0, 0, Duration.ZERO, List.of(),
                    List.of(), get, null);
        }
        Plan plan = source == null ? fashionMnistPlan(dir) : archivePlan(source, dir);
        if (plan.notVerifiable != null) {
            return new Verification(dataset, dir, Verification.Status.NOT_VERIFIABLE, 0, 0, plan.bytesRead,
                    elapsed(start), List.of(), List.of(plan.notVerifiable), plan.advice, null);
        }
        Path cacheFile = VerificationCache.location(dir);
        VerificationCache cache = useCache ? VerificationCache.load(cacheFile) : VerificationCache.empty(cacheFile);
        List<String> problems = new ArrayList<>(plan.problems);
        Set<String> basis = new LinkedHashSet<>();
        List<String> paths = new ArrayList<>();
        int unchanged = 0;
        long bytes = plan.bytesRead;
        for (ExpectedFile f : plan.files) {
            Path file = dir.resolve(f.path());
            paths.add(f.path());
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                Optional<Boolean> restored = cache.unchanged(f.path(), f.expected(), attrs);
                if (restored.isPresent()) {
                    unchanged++;
                    basis.add(restored.get() ? f.restoredBasis() : f.basis());
                    continue;
                }
                ExpectedFile.Outcome o = f.check(file);
                bytes += attrs.size();
                if (o.matches()) {
                    basis.add(o.basis());
                    cache.put(f.path(), f.expected(), attrs, o.restored());
                } else {
                    Checksum.Algorithm a = f.expected().algorithm();
                    problems.add(file + ": expected " + a.jcaName() + " " + f.expected().hex() + ", found "
                            + a.jcaName() + " " + o.found());
                }
            } catch (NoSuchFileException e) {
                problems.add(file + " is missing");
            } catch (IOException e) {
                problems.add("cannot read " + file + ": " + e.getMessage());
            }
        }
        cache.retain(paths);
        Path cachedIn = cacheFile;
        try {
            cache.saveIfChanged(dataset.title(), dir);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot cache the verification of {} in {}: {}", dataset.title(), cacheFile, e.toString());
            cachedIn = null;
        }
        Verification.Status status = problems.isEmpty() ? Verification.Status.VERIFIED : Verification.Status.FAILED;
        return new Verification(dataset, dir, status, plan.files.size(), unchanged, bytes, elapsed(start),
                new ArrayList<>(basis), problems, dataset.howToReplace(dir), cachedIn);
    }

    /** The files to check and what they must match, or why nothing can be checked. */
    private static final class Plan {
        final List<ExpectedFile> files = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        String notVerifiable;
        String advice;
        long bytesRead;
    }

    private static Plan fashionMnistPlan(Path dir) {
        Plan p = new Plan();
        List<String> missing = new ArrayList<>();
        p.files.addAll(FashionMnistChecksums.expected(dir, missing));
        for (String m : missing) {
            p.problems.add(dir.resolve(m) + " is missing (nor is its uncompressed form there)");
        }
        return p;
    }

    /**
     * For a data set published as an archive: its manifest (written by the downloader, or earlier from the archive),
     * else the archive itself when it is in {@code .downloads} and matches the published checksum.
     */
    private static Plan archivePlan(DatasetSource source, Path dir) {
        Plan p = new Plan();
        Manifest manifest;
        String basis;
        try {
            Optional<Manifest> m = Manifest.read(dir.resolve(Manifest.FILE_NAME));
            if (m.isEmpty()) {
                m = Manifest.read(VerificationCache.manifestLocation(dir));
            }
            if (m.isPresent()) {
                manifest = m.get();
                if (!manifest.archiveChecksum().equals(source.checksum())) {
                    p.notVerifiable = "its manifest records " + manifest.archive() + " with " + manifest
                            .archiveChecksum() + ", not the published " + source.checksum();
                    p.advice = "To verify it, " + howToVerify(source, dir) + ".";
                    return p;
                }
                basis = "the SHA-256 recorded when " + manifest.archive() + " (" + manifest.archiveChecksum()
                        + ", as published) was unpacked";
            } else {
                Optional<Path> archive = archiveFor(source, dir);
                if (archive.isEmpty()) {
                    p.notVerifiable = source.fileName() + " has a published checksum but the files unpacked from it"
                            + " have none, and this directory has no manifest (" + Manifest.FILE_NAME + ", written by"
                            + " make download) and " + archiveCandidates(source, dir).get(0) + " is absent";
                    p.advice = "To verify it, " + howToVerify(source, dir) + ".";
                    return p;
                }
                Path a = archive.get();
                String found = source.checksum().digestOf(a);
                p.bytesRead += Files.size(a);
                if (!source.checksum().matches(found)) {
                    p.notVerifiable = a + " has " + source.checksum().algorithm().jcaName() + " " + found + ", not the"
                            + " published " + source.checksum();
                    p.advice = "Replace it with the published archive from " + source.url() + " and run excon data"
                            + " verify again.";
                    return p;
                }
                manifest = Manifest.ofArchive(a, source);
                p.bytesRead += Files.size(a);
                if (manifest.sha256().isEmpty()) {
                    p.notVerifiable = a + " holds no files under " + source.directory() + "/";
                    p.advice = "Replace it with the published archive from " + source.url() + ".";
                    return p;
                }
                Path saved = VerificationCache.manifestLocation(dir);
                try {
                    Files.createDirectories(saved.getParent());
                    manifest.write(saved);
                } catch (IOException e) {
                    LOG.debug("cannot keep the manifest made from {} at {}: {}", a, saved, e.toString());
                }
                basis = "the files of " + a + " (" + source.checksum() + ", as published)";
            }
        } catch (IOException e) {
            p.notVerifiable = "its manifest or archive cannot be read: " + e.getMessage();
            p.advice = "To verify it, " + howToVerify(source, dir) + ".";
            return p;
        }
        for (Map.Entry<String, String> e : manifest.sha256().entrySet()) {
            p.files.add(ExpectedFile.plain(e.getKey(), Checksum.sha256(e.getValue()), basis));
        }
        return p;
    }

    /** The archive in {@code .downloads} next to {@code dir}, else in the data root's. */
    private static Optional<Path> archiveFor(DatasetSource source, Path dir) {
        return archiveCandidates(source, dir).stream().filter(Files::isRegularFile).findFirst();
    }

    private static List<Path> archiveCandidates(DatasetSource source, Path dir) {
        Set<Path> c = new LinkedHashSet<>();
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            c.add(parent.resolve(Downloader.DOWNLOADS).resolve(source.fileName()));
        }
        c.add(DataPaths.dataRoot().toAbsolutePath().normalize().resolve(Downloader.DOWNLOADS)
                .resolve(source.fileName()));
        return new ArrayList<>(c);
    }

    private static String howToVerify(DatasetSource source, Path dir) {
        return "put " + source.fileName() + " (" + source.checksum() + ", from " + source.url() + ") at "
                + archiveCandidates(source, dir).get(0) + " and run: excon data verify " + source.name() + "; or move "
                + dir + " away and run: make download DATASET=" + source.name();
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
