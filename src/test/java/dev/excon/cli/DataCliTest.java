package dev.excon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.cli.EvaluateReportCliTest.Result;
import dev.excon.data.DataPaths;
import dev.excon.data.SystemTools;
import dev.excon.data.verify.DataVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line and the data: {@code excon data verify}, a {@code --data} that does not exist, a {@code
 * trainLimit} too small for the split. Exit codes and messages as a user sees them.
 */
class DataCliTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void privateCache() {
        System.setProperty("excon.cache", tmp.resolve("user-cache").toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("excon.cache");
        System.clearProperty(DataVerifier.ENABLED_PROPERTY);
    }

    private static Result cli(Object... args) {
        return EvaluateReportCliTest.cli(args);
    }

    private static void assumeDebianFashionMnist() {
        Path images = DataPaths.DEBIAN_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.isRegularFile(images), "Fashion-MNIST not installed under "
                + DataPaths.DEBIAN_FASHION_MNIST);
    }

    @Test
    void verifyChecksDebiansFashionMnistAndSaysHowLongItTook() {
        assumeDebianFashionMnist();
        Path emptyRoot = tmp.resolve("data");
        Result r = cli("data", "verify", "fashion-mnist", "--data", mkdirs(emptyRoot));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("fashion-mnist: verified\n  Fashion-MNIST in "
                + DataPaths.DEBIAN_FASHION_MNIST + ": 4 files match the MD5 Zalando publishes"), r.all());
        Matcher time = Pattern.compile("Checked in (\\d+\\.\\d\\d) s \\(30\\.9 MB read\\)").matcher(r.out());
        assertTrue(time.find(), r.all());

        // Every data set present: Fashion-MNIST (Debian's), the others absent, which is not a failure.
        Result all = cli("data", "verify", "--data", emptyRoot);
        assertEquals(0, all.code(), all.all());
        assertTrue(all.out().contains("cifar100: not present (" + emptyRoot.resolve("cifar-100-binary") + ")"),
                all.all());
    }

    @Test
    void verifyNamesTheDamagedFileBothDigestsAndTheFix() throws Exception {
        assumeDebianFashionMnist();
        Path dir = mkdirs(tmp.resolve("data/fashion-mnist"));
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(DataPaths.DEBIAN_FASHION_MNIST.resolve(f), dir.resolve(f));
        }
        Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(images);
        for (int i = gz.length / 2; i < gz.length / 2 + 100; i++) {
            gz[i] ^= (byte) 0xFF;
        }
        Files.write(images, gz);

        Result r = cli("data", "verify", "--data", tmp.resolve("data"));
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().startsWith("fashion-mnist: failed\n"), r.all());
        assertTrue(r.out().contains(images + ": expected MD5 bef4ecab320f06d8554ea6380940ec79, found MD5 "), r.all());
        SystemTools.digest("md5sum", images).ifPresent(md5 -> assertTrue(r.out().contains("found MD5 " + md5),
                r.all()));
        assertTrue(r.err().contains("error: fashion-mnist (failed)"), r.all());

        // Training from that root stops before anything is decoded or trained.
        Path out = tmp.resolve("run");
        Result t = cli("train", "--preset", "quick", "--data", tmp.resolve("data"), "--out", out);
        assertEquals(1, t.code(), t.all());
        assertTrue(t.err().contains("Fashion-MNIST in " + dir + " does not match its published checksums"), t.all());
        assertFalse(Files.exists(out), "nothing was written for a refused run");
    }

    @Test
    void handPlacedCifarIsReportedNotVerifiableWithHowToVerify() {
        Path root = tmp.resolve("data");
        mkdirs(root.resolve("cifar-100-binary"));
        Result r = cli("data", "verify", "cifar100", "--data", root);
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().startsWith("cifar100: not verifiable\n"), r.all());
        assertTrue(r.out().contains("excon data verify cifar100; or move"), r.all());
        assertTrue(r.err().contains("error: cifar100 (not verifiable)"), r.all());
    }

    @Test
    void verifyRefusesUnknownAndAbsentDataSets() {
        Result unknown = cli("data", "verify", "cifar");
        assertEquals(2, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("unknown data set 'cifar': choose one of fashion-mnist, cifar10, cifar100,"
                + " tiny-imagenet, cifar100-c"), unknown.all());

        Path root = mkdirs(tmp.resolve("data"));
        Result absent = cli("data", "verify", "cifar10", "--data", root);
        assertEquals(1, absent.code(), absent.all());
        assertTrue(absent.err().contains("CIFAR-10 is not present at " + root.resolve("cifar-10-batches-bin")
                + ": make download DATASET=cifar10"), absent.all());

        Result none = cli("data");
        assertEquals(2, none.code(), none.all());
        assertTrue(none.err().contains("choose a command: verify"), none.all());
    }

    @Test
    void aDataRootThatDoesNotExistIsAnErrorNotDebiansCopy() {
        Path missing = tmp.resolve("nonexistent");
        Path out = tmp.resolve("run");
        Result r = cli("train", "--preset", "quick", "--data", missing, "--out", out);
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("error: the data root " + missing + " (given by --data or -Dexcon.data) does"
                + " not exist"), r.all());
        assertFalse(Files.exists(out), "nothing was trained");

        Result v = cli("data", "verify", "--data", missing);
        assertEquals(1, v.code(), v.all());
        assertTrue(v.err().contains("the data root " + missing), v.all());
    }

    @Test
    void aTrainLimitTooSmallForTheSplitNamesTheMinimum() throws Exception {
        Path root = tmp.resolve("data");
        EvaluateReportCliTest.writeFashionLike(root.resolve("fashion-mnist"), 3);
        System.setProperty(DataVerifier.ENABLED_PROPERTY, "off"); // generated stand-ins for Fashion-MNIST
        Path out = tmp.resolve("run");
        Result r = cli("train", "--preset", "quick", "--set", "trainLimit=5", "--data", root, "--device", "cpu",
                "--out", out);
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("error: trainLimit=5 keeps 1 training image of class 'T-shirt/top'"), r.all());
        assertTrue(r.err().contains("set trainLimit to at least 20 (--set trainLimit=20), or to 0 for all 300"
                + " training images"), r.all());
        assertFalse(r.err().contains("is empty"), r.all());
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
