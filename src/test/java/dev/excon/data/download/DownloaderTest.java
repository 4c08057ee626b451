package dev.excon.data.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.data.DatasetException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a loopback HTTP server serving small synthetic archives. */
class DownloaderTest {

    private static final String CIFAR_FILE = "cifar-100-binary.tar.gz";

    @TempDir
    Path tmp;

    private Path root;
    private FixtureServer server;
    private final List<long[]> progress = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        root = tmp.resolve("data");
        server = FixtureServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void downloadsVerifiesAndUnpacksThenSecondCallIsANoOp() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive);
        Downloader downloader = downloader(server.baseUrl());

        Path dir = downloader.fetch(cifar100(archive));

        assertEquals(root.resolve("cifar-100-binary"), dir);
        for (Map.Entry<String, byte[]> e : Fixtures.cifar100Files().entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(root.resolve(e.getKey())), e.getKey());
        }
        assertFalse(Files.exists(root.resolve(".downloads/" + CIFAR_FILE + ".part")));
        assertArrayEquals(archive, Files.readAllBytes(root.resolve(".downloads/" + CIFAR_FILE)));
        assertEquals(List.of("GET /" + CIFAR_FILE + " range=none"), server.requests());
        long[] last = progress.get(progress.size() - 1);
        assertArrayEquals(new long[] {archive.length, archive.length}, last);
        assertEquals(Set.of(".downloads", ".downloads/" + CIFAR_FILE, "cifar-100-binary",
                "cifar-100-binary/train.bin", "cifar-100-binary/test.bin", "cifar-100-binary/fine_label_names.txt",
                "cifar-100-binary/coarse_label_names.txt", "cifar-100-binary/" + Manifest.FILE_NAME), tree(root));

        Path again = downloader.fetch(cifar100(archive));

        assertEquals(dir, again);
        assertEquals(1, server.requests().size(), "the second fetch must not touch the network");
    }

    @Test
    void unpackedFilesAreRecordedInAManifestThatSha256sumAccepts() throws Exception {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive);
        Path dir = downloader(server.baseUrl()).fetch(cifar100(archive));

        Manifest m = Manifest.read(dir.resolve(Manifest.FILE_NAME)).orElseThrow();
        assertEquals(CIFAR_FILE, m.archive());
        assertEquals(Checksum.sha256(Fixtures.sha256(archive)), m.archiveChecksum());
        Map<String, String> expected = new java.util.TreeMap<>();
        Fixtures.cifar100Files().forEach((k, v) -> expected.put(k.substring("cifar-100-binary/".length()),
                Fixtures.sha256(v)));
        assertEquals(expected, m.sha256());
        // The independent check: coreutils reads the same file (comment lines included) and finds every file intact.
        dev.excon.data.SystemTools.run(List.of("sha256sum", "-c", Manifest.FILE_NAME), dir).ifPresent(r -> {
            assertEquals(0, r.exitCode(), r.output());
            assertEquals(4, r.output().lines().filter(l -> l.endsWith(": OK")).count(), r.output());
        });
    }

    @Test
    void resumesWithRangeAfterTruncatedTransfer() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        int cut = archive.length / 3;
        server.serve(CIFAR_FILE, archive).cutNextResponseAfter(cut);
        Downloader downloader = downloader(server.baseUrl());
        Path part = root.resolve(".downloads/" + CIFAR_FILE + ".part");

        DatasetException first = assertThrows(DatasetException.class, () -> downloader.fetch(cifar100(archive)));

        assertContains(first.getMessage(), cut + " of " + archive.length + " bytes", "run the same call again",
                part.toString());
        assertEquals(cut, Files.size(part));
        assertFalse(Files.exists(root.resolve("cifar-100-binary")));

        Path dir = downloader.fetch(cifar100(archive));

        assertEquals(List.of("none", "bytes=" + cut + "-"), server.rangeHeaders());
        assertEquals(Fixtures.sha256(archive), Fixtures.sha256(Files.readAllBytes(root.resolve(".downloads/"
                + CIFAR_FILE))));
        assertArrayEquals(Fixtures.cifar100Files().get("cifar-100-binary/train.bin"),
                Files.readAllBytes(dir.resolve("train.bin")));
        assertFalse(Files.exists(part));
    }

    @Test
    void stalledTransferIsAbandonedAfterReadTimeoutAndKeepsThePart() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        int have = archive.length / 2;
        Path part = root.resolve(".downloads/" + CIFAR_FILE + ".part");
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(archive, have));
        // The resumed response sends its headers and then no byte until the server is closed: what the part holds
        // cannot depend on how much arrived before the timeout fired, however slow the machine is.
        server.serve(CIFAR_FILE, archive).stallNextResponseAfter(0);
        Duration readTimeout = Duration.ofMillis(200);
        Downloader downloader = Downloader.builder().optDataRoot(root).optMirror(server.baseUrl())
                .optReadTimeout(readTimeout).build();

        long start = System.nanoTime();
        DatasetException e = assertThrows(DatasetException.class, () -> downloader.fetch(cifar100(archive)));
        long waited = System.nanoTime() - start;

        assertContains(e.getMessage(), have + " of " + archive.length + " bytes", "no data for 200 ms",
                "run the same call again");
        assertTrue(waited >= readTimeout.toNanos(), "abandoned after " + waited / 1e6 + " ms, before the read timeout");
        assertArrayEquals(Arrays.copyOf(archive, have), Files.readAllBytes(part), "the part is kept as it was");
        assertFalse(Files.exists(root.resolve("cifar-100-binary")));
        assertEquals(List.of("bytes=" + have + "-"), server.rangeHeaders());

        server.close(); // ends the stalled response
        try (FixtureServer again = FixtureServer.start().serve(CIFAR_FILE, archive)) {
            Path dir = Downloader.builder().optDataRoot(root).optMirror(again.baseUrl()).build()
                    .fetch(cifar100(archive));

            assertEquals(List.of("bytes=" + have + "-"), again.rangeHeaders(), "the kept part is resumed");
            assertArrayEquals(archive, Files.readAllBytes(root.resolve(".downloads/" + CIFAR_FILE)));
            assertTrue(Files.isRegularFile(dir.resolve("train.bin")));
        }
    }

    @Test
    void serverIgnoringRangeRestartsFromByteZero() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive).ignoreRange();
        Path part = root.resolve(".downloads/" + CIFAR_FILE + ".part");
        Files.createDirectories(part.getParent());
        // A stale prefix that is NOT the archive's: appending the 200 body to it would break the checksum.
        Files.write(part, Fixtures.random(100, 99));

        Path dir = downloader(server.baseUrl()).fetch(cifar100(archive));

        assertEquals(List.of("bytes=100-"), server.rangeHeaders());
        assertArrayEquals(archive, Files.readAllBytes(root.resolve(".downloads/" + CIFAR_FILE)));
        assertTrue(Files.isRegularFile(dir.resolve("test.bin")));
    }

    @Test
    void rangeNotSatisfiableWithCompletePartUsesThePart() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive);
        Path part = root.resolve(".downloads/" + CIFAR_FILE + ".part");
        Files.createDirectories(part.getParent());
        Files.write(part, archive);

        Path dir = downloader(server.baseUrl()).fetch(cifar100(archive));

        assertEquals(List.of("bytes=" + archive.length + "-"), server.rangeHeaders(), "one 416, no second request");
        assertTrue(Files.isRegularFile(dir.resolve("train.bin")));
    }

    @Test
    void rangeNotSatisfiableWithOversizedPartStartsOver() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive);
        Path part = root.resolve(".downloads/" + CIFAR_FILE + ".part");
        Files.createDirectories(part.getParent());
        Files.write(part, Fixtures.random(archive.length + 10, 7));

        Path dir = downloader(server.baseUrl()).fetch(cifar100(archive));

        assertEquals(List.of("bytes=" + (archive.length + 10) + "-", "none"), server.rangeHeaders());
        assertArrayEquals(archive, Files.readAllBytes(root.resolve(".downloads/" + CIFAR_FILE)));
        assertTrue(Files.isRegularFile(dir.resolve("train.bin")));
    }

    @Test
    void bodyWithoutContentLengthStillVerifiesAndUnpacks() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive).withoutContentLength();

        Path dir = downloader(server.baseUrl()).fetch(cifar100(archive));

        assertTrue(Files.isRegularFile(dir.resolve("coarse_label_names.txt")));
        assertArrayEquals(new long[] {archive.length, -1}, progress.get(progress.size() - 1));
    }

    @Test
    void wrongChecksumDeletesDownloadAndNamesBothDigests() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive);
        String wrong = "0".repeat(64);
        DatasetSource source = DatasetSource.CIFAR_100.withChecksum(Checksum.sha256(wrong));

        DatasetException e = assertThrows(DatasetException.class, () -> downloader(server.baseUrl()).fetch(source));

        assertContains(e.getMessage(), "expected SHA-256 " + wrong, "actual SHA-256 " + Fixtures.sha256(archive),
                server.baseUrl() + CIFAR_FILE, "run the same call again", root.resolve(".downloads/" + CIFAR_FILE)
                        .toString());
        assertEquals(Set.of(".downloads"), tree(root));
    }

    @Test
    void md5ChecksumsAreVerifiedToo() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive);
        DatasetSource source = DatasetSource.CIFAR_100.withChecksum(Checksum.md5(Fixtures.md5(archive)));

        Path dir = downloader(server.baseUrl()).fetch(source);

        assertTrue(Files.isRegularFile(dir.resolve("train.bin")));
    }

    @Test
    void notFoundNamesStatusUrlAndTheManualRoute() throws IOException {
        DatasetSource source = cifar100(new byte[] {1});

        DatasetException e = assertThrows(DatasetException.class, () -> downloader(server.baseUrl()).fetch(source));

        assertContains(e.getMessage(), "HTTP 404", server.baseUrl() + CIFAR_FILE,
                root.resolve(".downloads").resolve(CIFAR_FILE).toString(), root.resolve("cifar-100-binary")
                        .toString(), "by hand");
        assertEquals(Set.of(".downloads"), tree(root));
    }

    @Test
    void serverErrorKeepsNothingButSaysTryLater() throws IOException {
        server.failWith(503);

        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader(server.baseUrl()).fetch(cifar100(new byte[] {1})));

        assertContains(e.getMessage(), "HTTP 503", "later");
        assertEquals(Set.of(".downloads"), tree(root));
    }

    @Test
    void refusedConnectionSaysOfflineAndGivesManualRoute() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/");

        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader(nowhere).fetch(cifar100(new byte[] {1})));

        assertContains(e.getMessage(), "offline", "127.0.0.1", root.resolve(".downloads").resolve(CIFAR_FILE)
                .toString(), root.resolve("cifar-100-binary").toString());
        assertFalse(Files.exists(root.resolve("cifar-100-binary")));
    }

    @Test
    void zipSlipEntryIsRefusedAndNothingIsHalfWritten() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>(Fixtures.tinyImageNetFiles());
        files.put("../../evil.txt", "pwned".getBytes(StandardCharsets.US_ASCII));
        byte[] archive = Fixtures.zip(files);
        server.serve("tiny-imagenet-200.zip", archive);
        DatasetSource source = DatasetSource.TINY_IMAGENET.withChecksum(Checksum.sha256(Fixtures.sha256(archive)));

        DatasetException e = assertThrows(DatasetException.class, () -> downloader(server.baseUrl()).fetch(source));

        assertContains(e.getMessage(), "Refusing to unpack", "../../evil.txt", "outside", "Nothing was written");
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertFalse(Files.exists(root.resolve("evil.txt")));
        assertEquals(Set.of(".downloads", ".downloads/tiny-imagenet-200.zip"), tree(root));
    }

    @Test
    void zipArchivesUnpack() throws IOException {
        byte[] archive = Fixtures.zip(Fixtures.tinyImageNetFiles());
        server.serve("tiny-imagenet-200.zip", archive);
        DatasetSource source = DatasetSource.TINY_IMAGENET.withChecksum(Checksum.sha256(Fixtures.sha256(archive)));

        Path dir = downloader(server.baseUrl()).fetch(source);

        assertEquals(root.resolve("tiny-imagenet-200"), dir);
        assertArrayEquals(Fixtures.tinyImageNetFiles().get("tiny-imagenet-200/val/val_annotations.txt"),
                Files.readAllBytes(dir.resolve("val/val_annotations.txt")));
    }

    @Test
    void tarSymlinkPointingOutsideIsRefused() throws IOException {
        List<Fixtures.Entry> entries = new ArrayList<>();
        Fixtures.cifar100Files().forEach((name, content) -> entries.add(Fixtures.Entry.file(name, content)));
        entries.add(Fixtures.Entry.symlink("cifar-100-binary/escape", "../../.."));
        byte[] archive = Fixtures.gzip(Fixtures.tar(entries));
        server.serve(CIFAR_FILE, archive);

        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader(server.baseUrl()).fetch(cifar100(archive)));

        assertContains(e.getMessage(), "cifar-100-binary/escape", "symbolic link", "outside");
        assertEquals(Set.of(".downloads", ".downloads/" + CIFAR_FILE), tree(root));
    }

    @Test
    void archiveWithoutExpectedTopLevelDirectoryIsRejected() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Fixtures.cifar100Files().forEach((name, content) -> files.put(name.replace("cifar-100-binary/",
                "cifar100/"), content));
        byte[] archive = Fixtures.tarGz(files);
        server.serve(CIFAR_FILE, archive);

        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader(server.baseUrl()).fetch(cifar100(archive)));

        assertContains(e.getMessage(), "cifar-100-binary/", "cifar100/", "Nothing was written");
        assertEquals(Set.of(".downloads", ".downloads/" + CIFAR_FILE), tree(root));
    }

    @Test
    void archiveMissingAProofFileIsRejected() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>(Fixtures.cifar100Files());
        files.remove("cifar-100-binary/test.bin");
        byte[] archive = Fixtures.tarGz(files);
        server.serve(CIFAR_FILE, archive);

        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader(server.baseUrl()).fetch(cifar100(archive)));

        assertContains(e.getMessage(), "without test.bin");
        assertEquals(Set.of(".downloads", ".downloads/" + CIFAR_FILE), tree(root));
    }

    @Test
    void archivePlacedByHandIsUsedWithoutAnyRequest() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        Files.createDirectories(root.resolve(".downloads"));
        Files.write(root.resolve(".downloads/" + CIFAR_FILE), archive);

        Path dir = downloader(server.baseUrl()).fetch(cifar100(archive));

        assertEquals(List.of(), server.requests());
        assertArrayEquals(Fixtures.cifar100Files().get("cifar-100-binary/test.bin"),
                Files.readAllBytes(dir.resolve("test.bin")));
    }

    @Test
    void archivePlacedByHandWithWrongChecksumIsKeptAndReported() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        Path placed = root.resolve(".downloads/" + CIFAR_FILE);
        Files.createDirectories(placed.getParent());
        Files.write(placed, Arrays.copyOf(archive, archive.length - 1));

        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader(server.baseUrl()).fetch(cifar100(archive)));

        assertContains(e.getMessage(), placed.toString(), "expected SHA-256 " + Fixtures.sha256(archive),
                "left in place");
        assertEquals(archive.length - 1, Files.size(placed));
        assertEquals(List.of(), server.requests());
    }

    @Test
    void incompleteExistingDirectoryIsReportedAndLeftAlone() throws IOException {
        Path target = root.resolve("cifar-100-binary");
        Files.createDirectories(target);
        Files.write(target.resolve("train.bin"), new byte[] {1, 2, 3});

        DatasetException e = assertThrows(DatasetException.class,
                () -> downloader(server.baseUrl()).fetch(cifar100(new byte[] {1})));

        assertContains(e.getMessage(), target.toString(), "incomplete", "test.bin", "fine_label_names.txt");
        assertEquals(List.of(), server.requests());
        assertEquals(Set.of("cifar-100-binary", "cifar-100-binary/train.bin"), tree(root));
    }

    @Test
    void archiveIsDeletedAfterUnpackWhenNotKept() throws IOException {
        byte[] archive = Fixtures.tarGz(Fixtures.cifar100Files());
        server.serve(CIFAR_FILE, archive);
        Downloader downloader = Downloader.builder().optDataRoot(root).optMirror(server.baseUrl())
                .optKeepArchive(false).build();

        downloader.fetch(cifar100(archive));

        assertEquals(Set.of(".downloads"), tree(root).stream().filter(p -> !p.startsWith("cifar-100-binary"))
                .collect(Collectors.toSet()));
    }

    private Downloader downloader(URI mirror) {
        return Downloader.builder()
                .optDataRoot(root)
                .optMirror(mirror)
                .optProgressListener((done, total) -> {
                    synchronized (progress) {
                        progress.add(new long[] {done, total});
                    }
                })
                .build();
    }

    /** CIFAR-100 as catalogued, expecting the fixture archive's SHA-256. */
    private static DatasetSource cifar100(byte[] archive) {
        return DatasetSource.CIFAR_100.withChecksum(Checksum.sha256(Fixtures.sha256(archive)));
    }

    /** Every path under {@code dir}, relative, with '/' separators. */
    private static Set<String> tree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return Set.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
        }
    }
}
