package dev.excon.data.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.excon.data.Cifar;
import dev.excon.data.DataPaths;
import dev.excon.data.DatasetException;
import dev.excon.data.Datasets;
import dev.excon.data.SystemTools;
import dev.excon.data.TrainTest;
import dev.excon.data.download.Checksum;
import dev.excon.data.download.DatasetSource;
import dev.excon.data.download.Manifest;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data sets checked against their published checksums. The Fashion-MNIST tests use Debian's real files (copied when
 * they must be changed); expected digests are the published values, typed in from the zalandoresearch/fashion-mnist
 * README, and found digests come from the system's {@code md5sum}/{@code sha256sum} where installed.
 */
class DataVerifierTest {

    /** From https://github.com/zalandoresearch/fashion-mnist#get-the-data. */
    private static final Map<String, String> PUBLISHED_MD5 = Map.of(
            "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");

    private static final Path DEBIAN = DataPaths.DEBIAN_FASHION_MNIST;

    @TempDir
    Path tmp;

    private final Map<String, String> savedProperties = new TreeMap<>();

    @BeforeEach
    void privateCache() {
        for (String k : List.of("excon.cache", "excon.data", "excon.verify")) {
            String v = System.getProperty(k);
            savedProperties.put(k, v == null ? "" : v);
        }
        System.setProperty("excon.cache", tmp.resolve("user-cache").toString());
        System.clearProperty("excon.verify");
    }

    @AfterEach
    void restoreProperties() {
        savedProperties.forEach((k, v) -> {
            if (v.isEmpty()) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private static void assumeDebianFashionMnist() {
        boolean present = Files.isRegularFile(DEBIAN.resolve("train-images-idx3-ubyte.gz"));
        if (!present && "1".equals(System.getenv("EXCON_REQUIRE_REAL_DATA"))) {
            fail("EXCON_REQUIRE_REAL_DATA=1 but Fashion-MNIST is not installed under " + DEBIAN
                    + "; run sudo apt-get install dataset-fashion-mnist");
        }
        Assumptions.assumeTrue(present, "Fashion-MNIST not installed under " + DEBIAN);
    }

    private Path copyOfDebian(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : PUBLISHED_MD5.keySet()) {
            Files.copy(DEBIAN.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    /** The system's digest of {@code file}, else Java's (when the tool is missing). */
    private static String digest(String tool, Path file) throws Exception {
        Optional<String> d = SystemTools.digest(tool, file);
        if (d.isPresent()) {
            return d.get();
        }
        MessageDigest md = MessageDigest.getInstance(tool.equals("md5sum") ? "MD5" : "SHA-256");
        return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
    }

    @Test
    void debianCopyIsThePublishedFileWithItsGzipHeaderRewritten() throws Exception {
        assumeDebianFashionMnist();
        // The premise, shown with md5sum alone: Debian's files do not have the published MD5s, but the published
        // header (FNAME set, the 2017 time stamp, Unix, the file name) in place of Debian's ten bytes gives them.
        Map<String, Integer> published2017 = Map.of("train", 0x59a7e9de, "t10k", 0x59a7e9f3);
        for (Map.Entry<String, String> e : PUBLISHED_MD5.entrySet()) {
            Path debian = DEBIAN.resolve(e.getKey());
            assertNotEquals(e.getValue(), digest("md5sum", debian), debian + " is byte-for-byte the published file");
            byte[] body = Files.readAllBytes(debian);
            String name = e.getKey().substring(0, e.getKey().length() - 3);
            ByteBuffer header = ByteBuffer.allocate(10 + name.length() + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            header.put(new byte[] {0x1f, (byte) 0x8b, 8, 8}).putInt(published2017.get(name.split("-")[0]))
                    .put(new byte[] {0, 3}).put(name.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
            Path restored = tmp.resolve(e.getKey());
            try (OutputStream out = Files.newOutputStream(restored)) {
                out.write(header.array());
                out.write(body, 10, body.length - 10);
            }
            assertEquals(e.getValue(), digest("md5sum", restored), "restored " + e.getKey());
        }

        Verification v = DataVerifier.verify(KnownDataset.FASHION_MNIST, DEBIAN);
        assertEquals(Verification.Status.VERIFIED, v.status(), v.summary());
        assertEquals(4, v.files());
        assertTrue(v.summary().contains("once the gzip header is put back"), v.summary());
        // /usr is not ours to write: the result goes to the per-user cache.
        assertTrue(v.cacheFile().startsWith(tmp.resolve("user-cache")), String.valueOf(v.cacheFile()));

        Verification again = DataVerifier.onFirstUse(KnownDataset.FASHION_MNIST, DEBIAN);
        assertEquals(Verification.Status.VERIFIED, again.status());
        assertEquals(4, again.unchanged());
        assertEquals(0, again.bytesRead());
    }

    @Test
    void flippedBytesFailNamingTheFileTheExpectedAndTheFoundDigest() throws Exception {
        assumeDebianFashionMnist();
        Path dir = copyOfDebian("fashion-mnist");
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(images);
        for (int i = gz.length / 2; i < gz.length / 2 + 100; i++) {
            gz[i] ^= (byte) 0xFF;
        }
        Files.write(images, gz);

        DatasetException e = assertThrows(DatasetException.class,
                () -> DataVerifier.onFirstUse(KnownDataset.FASHION_MNIST, dir));
        assertTrue(e.getMessage().contains(images + ": expected MD5 8d4fb7e6c68d591d4c3dfef9ec88bf0d, found MD5 "
                + digest("md5sum", images)), e.getMessage());
        assertTrue(e.getMessage().contains("download it again from http://fashion-mnist.s3-website"),
                e.getMessage());
        assertFalse(e.getMessage().contains("t10k"), "only the damaged file is named: " + e.getMessage());
    }

    @Test
    void resultIsCachedNextToWritableDataAndAChangedFileIsCheckedAgain() throws Exception {
        assumeDebianFashionMnist();
        Path dir = copyOfDebian("fashion-mnist");
        Verification first = DataVerifier.onFirstUse(KnownDataset.FASHION_MNIST, dir);
        assertEquals(Verification.Status.VERIFIED, first.status(), first.summary());
        assertEquals(dir.resolve(".excon-verified").toAbsolutePath(), first.cacheFile());
        long total = 0;
        for (String f : PUBLISHED_MD5.keySet()) {
            total += Files.size(dir.resolve(f));
        }
        assertEquals(total, first.bytesRead());

        Verification cached = DataVerifier.onFirstUse(KnownDataset.FASHION_MNIST, dir);
        assertEquals(4, cached.unchanged());
        assertEquals(0, cached.bytesRead());

        // One byte changed, same size, new modification time: checked again, and refused.
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        byte[] original = Files.readAllBytes(labels);
        FileTime originalTime = Files.getLastModifiedTime(labels);
        byte[] changed = original.clone();
        changed[changed.length - 8] ^= 1;
        Files.write(labels, changed);
        Files.setLastModifiedTime(labels, FileTime.fromMillis(originalTime.toMillis() + 1000));
        DatasetException e = assertThrows(DatasetException.class,
                () -> DataVerifier.onFirstUse(KnownDataset.FASHION_MNIST, dir));
        assertTrue(e.getMessage().contains(labels + ": expected MD5 bb300cfdad3c16e7a12a480ee83cd310"),
                e.getMessage());

        // The same change with size and time put back is what the cache cannot see; excon data verify can.
        Files.setLastModifiedTime(labels, originalTime);
        Files.write(labels, original);
        Files.setLastModifiedTime(labels, originalTime);
        assertEquals(4, DataVerifier.onFirstUse(KnownDataset.FASHION_MNIST, dir).unchanged());
        Files.write(labels, changed);
        Files.setLastModifiedTime(labels, originalTime);
        assertEquals(4, DataVerifier.onFirstUse(KnownDataset.FASHION_MNIST, dir).unchanged());
        Verification full = DataVerifier.verify(KnownDataset.FASHION_MNIST, dir);
        assertEquals(Verification.Status.FAILED, full.status(), full.summary());
    }

    @Test
    void uncompressedFilesAreCheckedAgainstThePublishedContent() throws Exception {
        assumeDebianFashionMnist();
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        for (String f : PUBLISHED_MD5.keySet()) {
            Path out = dir.resolve(f.substring(0, f.length() - 3));
            Optional<SystemTools.Run> r = SystemTools.run(List.of("bash", "-c", "gzip -dc \"$0\" > \"$1\"",
                    DEBIAN.resolve(f).toString(), out.toString()), null);
            if (r.isEmpty() || r.get().exitCode() != 0) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(DEBIAN.resolve(f)))) {
                    Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Verification v = DataVerifier.verify(KnownDataset.FASHION_MNIST, dir);
        assertEquals(Verification.Status.VERIFIED, v.status(), v.summary());
        assertTrue(v.summary().contains("the SHA-256 of the published file's decompressed content"), v.summary());
    }

    @Test
    void missingFileFails() throws Exception {
        assumeDebianFashionMnist();
        Path dir = copyOfDebian("fashion-mnist");
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        Verification v = DataVerifier.verify(KnownDataset.FASHION_MNIST, dir);
        assertEquals(Verification.Status.FAILED, v.status());
        assertTrue(v.summary().contains(dir.resolve("t10k-labels-idx1-ubyte.gz") + " is missing"), v.summary());
    }

    // --- data sets published as archives: manifest, archive in .downloads, or not verifiable ---

    private static final Map<String, byte[]> CIFAR_FILES = Map.of(
            "train.bin", record(3, 7), "test.bin", record(5, 9));

    /** One CIFAR-100 record: coarse label, fine label, 3072 pixels. */
    private static byte[] record(int fine, int pixel) {
        byte[] r = new byte[2 + 3072];
        r[1] = (byte) fine;
        Arrays.fill(r, 2, r.length, (byte) pixel);
        return r;
    }

    private Path cifarDir(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-100-binary"));
        for (Map.Entry<String, byte[]> e : CIFAR_FILES.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }

    private static Manifest manifestOf(Path dir, Checksum archiveChecksum) throws Exception {
        TreeMap<String, String> sums = new TreeMap<>();
        for (String f : CIFAR_FILES.keySet()) {
            sums.put(f, digest("sha256sum", dir.resolve(f)));
        }
        return new Manifest("cifar-100-binary.tar.gz", archiveChecksum, sums);
    }

    @Test
    void filesAreCheckedAgainstTheManifestOfAVerifiedArchive() throws Exception {
        Path dir = cifarDir(tmp.resolve("data"));
        manifestOf(dir, DatasetSource.CIFAR_100.checksum()).write(dir.resolve(Manifest.FILE_NAME));
        Verification v = DataVerifier.verify(KnownDataset.CIFAR100, dir);
        assertEquals(Verification.Status.VERIFIED, v.status(), v.summary());
        assertTrue(v.summary().contains("cifar-100-binary.tar.gz (MD5 03b5dce01913d631647c71ecec9e9cb8, as"
                + " published)"), v.summary());

        Path train = dir.resolve("train.bin");
        String expected = digest("sha256sum", train);
        byte[] b = Files.readAllBytes(train);
        b[100] ^= 1;
        Files.write(train, b);
        Files.delete(dir.resolve("test.bin"));
        Verification bad = DataVerifier.verify(KnownDataset.CIFAR100, dir);
        assertEquals(Verification.Status.FAILED, bad.status());
        assertTrue(bad.summary().contains(train + ": expected SHA-256 " + expected + ", found SHA-256 "
                + digest("sha256sum", train)), bad.summary());
        assertTrue(bad.summary().contains(dir.resolve("test.bin") + " is missing"), bad.summary());
        assertTrue(bad.summary().contains("make download DATASET=cifar100"), bad.summary());
    }

    @Test
    void aManifestFromAnotherArchiveIsNotTakenAsVerification() throws Exception {
        Path dir = cifarDir(tmp.resolve("data"));
        manifestOf(dir, Checksum.md5("00000000000000000000000000000000")).write(dir.resolve(Manifest.FILE_NAME));
        Verification v = DataVerifier.verify(KnownDataset.CIFAR100, dir);
        assertEquals(Verification.Status.NOT_VERIFIABLE, v.status(), v.summary());
        assertTrue(v.summary().contains("not the published MD5 03b5dce01913d631647c71ecec9e9cb8"), v.summary());
    }

    @Test
    void handPlacedDataSetWithoutArchiveIsNotVerifiableAndSaysHowToVerify() throws Exception {
        Path root = tmp.resolve("data");
        Path dir = cifarDir(root);
        Verification v = DataVerifier.verify(KnownDataset.CIFAR100, dir);
        assertEquals(Verification.Status.NOT_VERIFIABLE, v.status(), v.summary());
        assertFalse(v.verified());
        assertTrue(v.summary().contains("put cifar-100-binary.tar.gz (MD5 03b5dce01913d631647c71ecec9e9cb8, from"
                + " https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz) at "
                + root.toAbsolutePath().resolve(".downloads/cifar-100-binary.tar.gz")
                + " and run: excon data verify cifar100"), v.summary());
        assertTrue(v.summary().contains("make download DATASET=cifar100"), v.summary());
        assertFalse(Files.exists(dir.resolve(".excon-verified")), "nothing is cached as verified");
    }

    @Test
    void archiveInDownloadsThatIsNotThePublishedOneIsNamedWithBothDigests() throws Exception {
        Path root = tmp.resolve("data");
        Path dir = cifarDir(root);
        Path archive = Files.createDirectories(root.resolve(".downloads")).resolve("cifar-100-binary.tar.gz");
        Files.write(archive, tarGz(dir));
        Verification v = DataVerifier.verify(KnownDataset.CIFAR100, dir);
        assertEquals(Verification.Status.NOT_VERIFIABLE, v.status(), v.summary());
        assertTrue(v.summary().contains(archive.toAbsolutePath() + " has MD5 " + digest("md5sum", archive)
                + ", not the published MD5 03b5dce01913d631647c71ecec9e9cb8"), v.summary());
    }

    @Test
    void handPlacedDataSetIsComparedWithItsArchiveAndAManifestIsKept() throws Exception {
        Path root = tmp.resolve("data");
        Path dir = cifarDir(root);
        Path archive = Files.createDirectories(root.resolve(".downloads")).resolve("cifar-100-binary.tar.gz");
        Files.write(archive, tarGz(dir));
        // A fixture cannot have the published MD5; this source publishes the fixture's, as md5sum computes it.
        DatasetSource source = DatasetSource.CIFAR_100.withChecksum(Checksum.md5(digest("md5sum", archive)));

        Verification v = DataVerifier.check(KnownDataset.CIFAR100, source, dir, true);
        assertEquals(Verification.Status.VERIFIED, v.status(), v.summary());
        assertTrue(v.summary().contains("the files of " + archive.toAbsolutePath()), v.summary());
        Manifest kept = Manifest.read(dir.resolve(Manifest.FILE_NAME)).orElseThrow();
        assertEquals(source.checksum(), kept.archiveChecksum());
        // The kept manifest answers the next check without the archive.
        Files.delete(archive);
        assertEquals(Verification.Status.VERIFIED, DataVerifier.check(KnownDataset.CIFAR100, source, dir, false)
                .status());

        Files.write(dir.resolve("test.bin"), record(5, 10));
        Verification bad = DataVerifier.check(KnownDataset.CIFAR100, source, dir, true);
        assertEquals(Verification.Status.FAILED, bad.status(), bad.summary());
        assertTrue(bad.summary().contains(dir.resolve("test.bin") + ": expected SHA-256"), bad.summary());
    }

    /** {@code cifar-100-binary/<file>} entries, as the published archive lays them out. */
    private static byte[] tarGz(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (String f : new TreeMap<>(CIFAR_FILES).keySet()) {
                byte[] content = Files.readAllBytes(dir.resolve(f));
                TarArchiveEntry e = new TarArchiveEntry("cifar-100-binary/" + f);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    // --- first use through the default locations ---

    /** A Fashion-MNIST-shaped fixture: real format, but not the published files. */
    private static Path fashionLike(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String part : List.of("train", "t10k")) {
            ByteBuffer images = ByteBuffer.allocate(16 + 2 * 4).putInt(0x803).putInt(2).putInt(2).putInt(2);
            ByteBuffer labels = ByteBuffer.allocate(8 + 2).putInt(0x801).putInt(2).put((byte) 1).put((byte) 7);
            Files.write(dir.resolve(part + "-images-idx3-ubyte.gz"), gzip(images.array()));
            Files.write(dir.resolve(part + "-labels-idx1-ubyte.gz"), gzip(labels.array()));
        }
        return dir;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void trainingDataChecksTheDefaultLocationOnFirstUseExplicitPathsAreNot() throws IOException {
        Path root = tmp.resolve("data");
        Path dir = fashionLike(root.resolve("fashion-mnist"));
        System.setProperty("excon.data", root.toString());
        TrainConfig config = TrainConfig.preset("quick");

        DatasetException e = assertThrows(DatasetException.class, () -> TrainingData.load(config));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST in " + dir + " does not match its published checksums: "
                + dir.resolve("train-images-idx3-ubyte.gz") + ": expected MD5 8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                e.getMessage());
        assertTrue(e.getMessage().contains("EXCON_VERIFY=off"), e.getMessage());

        // The explicit path is how tests and own copies are read: no check, nothing cached.
        TrainTest tt = Datasets.fashionMnist(dir);
        assertArrayEquals(new int[] {1, 7}, tt.train().labels());
        assertFalse(Files.exists(dir.resolve(".excon-verified")));

        // The opt-out skips the check (the two-image stand-in then fails only on its size, not its checksums).
        System.setProperty("excon.verify", "off");
        assertNull(DataVerifier.onFirstUse(KnownDataset.FASHION_MNIST, dir));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> TrainingData.load(config));
        assertTrue(small.getMessage().contains("needs at least 2 training images per class"), small.getMessage());

        System.setProperty("excon.verify", "maybe");
        DatasetException bad = assertThrows(DatasetException.class, () -> TrainingData.load(config));
        assertTrue(bad.getMessage().startsWith("EXCON_VERIFY=maybe (or -Dexcon.verify): write on or off"),
                bad.getMessage());
    }

    @Test
    void aDataSetThatCannotBeVerifiedStillLoadsWithANote() throws Exception {
        Path root = tmp.resolve("data");
        Path dir = cifarDir(root);
        System.setProperty("excon.data", root.toString());
        Verification unverifiable = DataVerifier.onFirstUse(KnownDataset.CIFAR100, DataPaths.cifar100());
        assertEquals(Verification.Status.NOT_VERIFIABLE, unverifiable.status());
        assertArrayEquals(new int[] {3}, Cifar.load100().train().labels(), "and it still loads");
        assertFalse(Files.exists(dir.resolve(".excon-verified")));

        manifestOf(dir, DatasetSource.CIFAR_100.checksum()).write(dir.resolve(Manifest.FILE_NAME));
        assertTrue(DataVerifier.onFirstUse(KnownDataset.CIFAR100, DataPaths.cifar100()).verified());
        assertTrue(Files.exists(dir.resolve(".excon-verified")), "verified through its manifest, and cached");
    }
}
