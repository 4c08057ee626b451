package dev.excon.data.download;

import dev.excon.data.DataPaths;
import dev.excon.data.DatasetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Downloads, verifies and unpacks a {@link DatasetSource} into the data root, all or nothing.
 *
 * <p>One-line use: {@code Path dir = Downloader.create().fetch(DatasetSource.CIFAR_100);} gives
 * {@code data/cifar-100-binary}. For more control use {@link #builder()}.
 *
 * <p>{@link #fetch} in order:
 * <ol>
 *   <li>returns at once when {@code <dataRoot>/<directory>} already holds every proof file (no network);
 *   <li>uses {@code <dataRoot>/.downloads/<fileName>} when it exists (put there by hand or by an earlier call),
 *       else downloads to {@code <fileName>.part} next to it, resuming what a previous call left;
 *   <li>checks the archive's published checksum (a corrupt download is deleted);
 *   <li>unpacks into a hidden temporary directory inside the data root, checks the top-level directory and the
 *       proof files, records the SHA-256 of every unpacked file ({@link Manifest}, for the data verification on
 *       first use), and moves the directory into place with one atomic rename. On any failure the temporary
 *       directory is removed, so nothing half-written is ever left under the data root.
 * </ol>
 * Every failure is a {@link DatasetException} that says what happened, with the numbers, and what to do next.
 *
 * <p>The downloader always writes under the data root; per-data-set variables such as {@code EXCON_CIFAR100}
 * (see {@link DataPaths#locate}) only change where the readers look.
 * Instances are immutable and may be shared; two fetches of the same source at once are not coordinated.
 */
public final class Downloader {

    /** The directory under the data root that holds archives and {@code .part} files. */
    public static final String DOWNLOADS = ".downloads";

    private static final int SHOWN_PROOF_FILES = 4;

    private final Path dataRoot;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Duration readTimeout;
    private final ProgressListener listener;
    private final URI mirror;
    private final boolean keepArchive;
    private HttpClient client;

    private Downloader(Builder b) {
        this.dataRoot = b.dataRoot;
        this.connectTimeout = b.connectTimeout;
        this.responseTimeout = b.responseTimeout;
        this.readTimeout = b.readTimeout;
        this.listener = b.listener;
        this.mirror = b.mirror;
        this.keepArchive = b.keepArchive;
    }

    /** A downloader with every default: the data root {@link DataPaths#dataRoot()}, official URLs. */
    public static Downloader create() {
        return builder().build();
    }

    /** A builder; every option has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The data root data sets are unpacked under. */
    public Path dataRoot() {
        return dataRoot;
    }

    /** Where {@code source} ends up: {@code <dataRoot>/<directory>}. */
    public Path targetDirectory(DatasetSource source) {
        return dataRoot.resolve(source.directory());
    }

    /** Where the verified archive is kept, and where a hand-downloaded one is picked up. */
    public Path archiveFile(DatasetSource source) {
        return dataRoot.resolve(DOWNLOADS).resolve(source.fileName());
    }

    /** The partial download that the next {@link #fetch} resumes. */
    public Path partFile(DatasetSource source) {
        return dataRoot.resolve(DOWNLOADS).resolve(source.fileName() + ".part");
    }

    /** The address {@code source} is downloaded from: its own URL, or the mirror's when one is set. */
    public URI urlFor(DatasetSource source) {
        return mirror == null ? source.url() : mirror.resolve(source.fileName());
    }

    /** Whether {@code source} is already unpacked and complete under the data root. */
    public boolean isPresent(DatasetSource source) {
        Path target = targetDirectory(source);
        return Files.isDirectory(target) && source.missingProofFiles(target).isEmpty();
    }

    /**
     * Makes {@code source} available under the data root and returns its directory, {@code <dataRoot>/<directory>}.
     * Idempotent: a complete directory is returned without any network access, and an interrupted download
     * resumes where it stopped.
     *
     * @throws DatasetException if the target exists but is incomplete, the download fails or is cut short (the
     *     {@code .part} is kept; call again to resume), the checksum does not match, or the archive does not unpack
     *     to a complete, safe directory; each message says what to do next
     */
    public Path fetch(DatasetSource source) {
        Objects.requireNonNull(source, "source");
        Path target = targetDirectory(source);
        if (Files.isDirectory(target)) {
            List<String> missing = source.missingProofFiles(target);
            if (missing.isEmpty()) {
                listener.onStep(source.name() + " is already complete at " + target);
                return target;
            }
            throw new DatasetException(target + " exists but is incomplete: missing " + String.join(", ", missing)
                    + ". This downloader only ever moves a complete directory into place, so it was made by hand or"
                    + " by another tool. Move or delete " + target + " and run again to download and unpack "
                    + source.fileName() + ", or finish it by hand from " + urlFor(source) + ".");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new DatasetException(target + " exists but is not a directory; " + source.name()
                    + " is unpacked there. Move or delete it and run again.");
        }
        Path archive = archiveFile(source);
        URI url = urlFor(source);
        createDirectories(archive.getParent());
        if (Files.isRegularFile(archive)) {
            listener.onStep("using " + archive + ", already on disk");
            verifyExisting(source, archive, url);
        } else {
            Path part = partFile(source);
            new ResumableDownload(client(), responseTimeout, readTimeout, listener)
                    .run(url, part, manualRoute(source, url));
            verifyDownloaded(source, part, url);
            moveIntoPlace(part, archive);
        }
        unpackIntoPlace(source, archive, target);
        if (!keepArchive) {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                listener.onStep("could not delete " + archive + " (" + ResumableDownload.describe(e)
                        + "); delete it by hand to free the space");
            }
        }
        listener.onStep(source.name() + " is ready at " + target);
        return target;
    }

    private void verifyDownloaded(DatasetSource source, Path part, URI url) {
        Checksum expected = source.checksum();
        String actual = digest(expected, part);
        if (expected.matches(actual)) {
            return;
        }
        long size = sizeOf(part);
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            throw new DatasetException("Checksum mismatch for " + source.fileName() + " downloaded from " + url
                    + ": expected " + expected + ", actual " + expected.algorithm().jcaName() + " " + actual
                    + ", and the corrupt file " + part + " could not be deleted (" + ResumableDownload.describe(e)
                    + "). Delete it by hand and run again.", e);
        }
        throw new DatasetException("Checksum mismatch for " + source.fileName() + " downloaded from " + url
                + ": expected " + expected + ", actual " + expected.algorithm().jcaName() + " " + actual + " ("
                + size + " bytes). The corrupt download was deleted; run the same call again to download it afresh."
                + " If the mismatch repeats, the server holds a different file from the published one. "
                + manualRoute(source, url));
    }

    private void verifyExisting(DatasetSource source, Path archive, URI url) {
        Checksum expected = source.checksum();
        String actual = digest(expected, archive);
        if (!expected.matches(actual)) {
            throw new DatasetException("Checksum mismatch for " + archive + ", which was already there (put by hand"
                    + " or by another tool): expected " + expected + ", actual " + expected.algorithm().jcaName()
                    + " " + actual + " (" + sizeOf(archive) + " bytes). It was left in place: delete or replace it,"
                    + " then run again to download " + url + ".");
        }
    }

    private String digest(Checksum checksum, Path file) {
        listener.onStep("verifying " + checksum.algorithm().jcaName() + " of " + file);
        try {
            return checksum.digestOf(file);
        } catch (IOException e) {
            throw new DatasetException("Cannot read " + file + " to check its checksum: "
                    + ResumableDownload.describe(e), e);
        }
    }

    private static void moveIntoPlace(Path part, Path archive) {
        try {
            try {
                Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, archive, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DatasetException("Cannot rename the verified download " + part + " to " + archive + ": "
                    + ResumableDownload.describe(e) + ". Rename it by hand and run again.", e);
        }
    }

    private void unpackIntoPlace(DatasetSource source, Path archive, Path target) {
        listener.onStep("unpacking " + archive + " to " + target);
        Path temp;
        try {
            temp = Files.createTempDirectory(dataRoot, ".unpack-" + source.directory() + "-");
        } catch (IOException e) {
            throw new DatasetException("Cannot create a temporary directory in " + dataRoot + " to unpack "
                    + archive + ": " + ResumableDownload.describe(e) + ". Check that it is writable.", e);
        }
        // Ctrl-C during a long unpack: remove the temporary directory on the way out as well.
        Thread cleanup = new Thread(() -> deleteQuietly(temp), "excon-unpack-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        DatasetException failure = null;
        try {
            unpackChecked(source, archive, temp, target);
        } catch (DatasetException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new DatasetException("Unpacking " + archive + " failed: " + ResumableDownload.describe(e), e);
        } finally {
            try {
                ArchiveUnpacker.deleteTree(temp);
            } catch (IOException e) {
                DatasetException leftover = new DatasetException("Could not remove the temporary directory " + temp
                        + " (" + ResumableDownload.describe(e) + "); delete it by hand.", e);
                if (failure == null) {
                    failure = leftover;
                } else {
                    failure.addSuppressed(leftover);
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting; the hook runs and the directory is already gone.
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void unpackChecked(DatasetSource source, Path archive, Path temp, Path target) {
        String nothingWritten = " Nothing was written under " + dataRoot + ".";
        try {
            ArchiveUnpacker.unpack(archive, source.format(), temp);
        } catch (ArchiveUnpacker.UnsafeEntryException e) {
            throw new DatasetException("Refusing to unpack " + archive + ": entry \"" + e.entry() + "\" "
                    + e.reason() + " (" + target + ")." + nothingWritten + " A genuine " + source.name()
                    + " archive has no such entry; delete " + archive + " and run again.", e);
        } catch (IOException e) {
            throw new DatasetException("Cannot unpack " + archive + ": " + ResumableDownload.describe(e) + "."
                    + nothingWritten + " The archive may be damaged, or the disk full; check the free space, delete "
                    + archive + " and run again.", e);
        }
        Path unpacked = temp.resolve(source.directory());
        if (!Files.isDirectory(unpacked, LinkOption.NOFOLLOW_LINKS)) {
            throw new DatasetException(archive + " does not unpack to the expected directory " + source.directory()
                    + "/ (its top level holds: " + topLevel(temp) + ")." + nothingWritten + " It is not the "
                    + source.name() + " archive; delete it and run again, or unpack the right archive so that "
                    + target + " holds " + proofSummary(source) + ".");
        }
        List<String> missing = source.missingProofFiles(unpacked);
        if (!missing.isEmpty()) {
            throw new DatasetException(archive + " unpacks to " + source.directory() + "/ without "
                    + String.join(", ", missing) + "." + nothingWritten + " It is not a complete " + source.name()
                    + " archive; delete it and run again.");
        }
        // The publishers' checksums cover the archive only: record the unpacked files so later uses can check them.
        listener.onStep("recording the SHA-256 of the unpacked files in " + target.resolve(Manifest.FILE_NAME));
        try {
            Manifest.ofDirectory(unpacked, source.fileName(), source.checksum())
                    .write(unpacked.resolve(Manifest.FILE_NAME));
        } catch (IOException e) {
            throw new DatasetException("Cannot record the checksums of the files unpacked from " + archive + ": "
                    + ResumableDownload.describe(e) + "." + nothingWritten + " Check the free space and run again.",
                    e);
        }
        try {
            Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!isPresent(source)) {
                throw new DatasetException(target + " appeared while " + archive + " was being unpacked, and it is"
                        + " incomplete. Move or delete it and run again.", e);
            }
        } catch (IOException e) {
            throw new DatasetException("Cannot move the unpacked " + unpacked + " to " + target + ": "
                    + ResumableDownload.describe(e) + "." + nothingWritten, e);
        }
    }

    private static String topLevel(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
                    .sorted().collect(Collectors.toList());
            if (names.isEmpty()) {
                return "nothing";
            }
            return names.size() <= 10
                    ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 10)) + " and " + (names.size() - 10) + " more";
        } catch (IOException e) {
            return "unreadable: " + ResumableDownload.describe(e);
        }
    }

    private static String proofSummary(DatasetSource source) {
        List<String> proof = source.proofFiles();
        return proof.size() <= SHOWN_PROOF_FILES
                ? String.join(", ", proof)
                : String.join(", ", proof.subList(0, SHOWN_PROOF_FILES)) + " and " + (proof.size()
                        - SHOWN_PROOF_FILES) + " more";
    }

    /** The sentence that tells the user how to get {@code source} without this downloader. */
    private String manualRoute(DatasetSource source, URI url) {
        return "To do it by hand: download " + url + ", check that its " + source.checksum().algorithm().jcaName()
                + " is " + source.checksum().hex() + ", and put it at "
                + archiveFile(source) + " (the next call unpacks it without network); or unpack it yourself so that "
                + targetDirectory(source) + " holds " + proofSummary(source) + ".";
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DatasetException("Cannot create " + dir + ": " + ResumableDownload.describe(e)
                    + ". Check the data root (-Dexcon.data or EXCON_DATA) points to a writable place.", e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            ArchiveUnpacker.deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            // Best effort while the JVM exits.
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(connectTimeout)
                    .proxy(ProxySelector.getDefault())
                    .build();
        }
        return client;
    }

    /** Every option, for logs and provenance. */
    @Override
    public String toString() {
        return "Downloader[dataRoot=" + dataRoot + ", connectTimeout=" + connectTimeout + ", responseTimeout="
                + responseTimeout + ", readTimeout=" + readTimeout + ", mirror=" + (mirror == null ? "none" : mirror)
                + ", keepArchive=" + keepArchive + "]";
    }

    /** Options for a {@link Downloader}; every one has a default. */
    public static final class Builder {
        private Path dataRoot = DataPaths.dataRoot();
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private Duration readTimeout = Duration.ofSeconds(60);
        private ProgressListener listener = ProgressListener.NONE;
        private URI mirror;
        private boolean keepArchive = true;

        private Builder() {}

        /** The data root; default {@link DataPaths#dataRoot()} ({@code -Dexcon.data}, {@code EXCON_DATA}, {@code data}). */
        public Builder optDataRoot(Path dataRoot) {
            this.dataRoot = Objects.requireNonNull(dataRoot, "dataRoot");
            return this;
        }

        /** How long to wait for a TCP/TLS connection; default 30 s. */
        public Builder optConnectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** How long to wait for the response headers after sending a request; default 60 s. */
        public Builder optResponseTimeout(Duration timeout) {
            this.responseTimeout = positive("responseTimeout", timeout);
            return this;
        }

        /**
         * How long the body may stall with no data before the transfer is abandoned (the {@code .part} is kept, so
         * the next call resumes); default 60 s.
         */
        public Builder optReadTimeout(Duration timeout) {
            this.readTimeout = positive("readTimeout", timeout);
            return this;
        }

        /** Hears download progress and steps; default {@link ProgressListener#NONE}. */
        public Builder optProgressListener(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Downloads every archive from {@code baseUrl} + its file name instead of its official address, e.g. a
         * lab-local copy or, in tests, {@code http://127.0.0.1:PORT/}. Default: none (official URLs).
         */
        public Builder optMirror(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!baseUrl.isAbsolute()) {
                throw new IllegalArgumentException("mirror must be an absolute URL, received " + baseUrl);
            }
            String s = baseUrl.toString();
            this.mirror = s.endsWith("/") ? baseUrl : URI.create(s + "/");
            return this;
        }

        /**
         * Whether to keep the verified archive in {@code <dataRoot>/.downloads} after unpacking, so the data set can
         * be unpacked again without network; default {@code true}. {@code false} frees the space (CIFAR-100-C's
         * archive is 2.9 GB).
         */
        public Builder optKeepArchive(boolean keep) {
            this.keepArchive = keep;
            return this;
        }

        /** The downloader. */
        public Downloader build() {
            return new Downloader(this);
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, received " + d);
            }
            return d;
        }
    }
}
