package dev.excon.data.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user sees it: exit status, stdout and stderr. */
class DownloadMainTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void noArgumentsPrintsUsageAndExits2() {
        assertEquals(2, run());
        assertTrue(err().contains("which data set?"), err());
        assertTrue(err().contains("Usage:") && err().contains("cifar100-c"), err());
    }

    @Test
    void unknownDataSetOrOptionOrMissingValueExits2() {
        assertEquals(2, run("mnist"));
        assertTrue(err().contains("unknown data set mnist"), err());
        err.reset();
        assertEquals(2, run("cifar100", "--fast"));
        assertTrue(err().contains("unknown option --fast"), err());
        err.reset();
        assertEquals(2, run("cifar100", "--data"));
        assertTrue(err().contains("--data needs a value"), err());
    }

    @Test
    void helpGoesToStdoutAndExits0() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("--mirror URL"), out());
    }

    @Test
    void presentDataSetPrintsItsPathWithoutNetwork() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cifar-100-binary"));
        for (String f : DatasetSource.CIFAR_100.proofFiles()) {
            Files.write(dir.resolve(f), new byte[] {1});
        }

        assertEquals(0, run("cifar100", "--data", tmp.toString(), "--mirror", "http://127.0.0.1:9/"));

        assertEquals(dir.toAbsolutePath().normalize().toString(), out().strip());
    }

    @Test
    void failurePrintsTheMessageAndExits1() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }

        assertEquals(1, run("cifar10", "--data", tmp.toString(), "--mirror", "http://127.0.0.1:" + closedPort));

        assertTrue(err().contains("error: Cannot connect to 127.0.0.1"), err());
        assertTrue(err().contains("cifar-10-binary.tar.gz"), err());
        assertEquals("", out());
    }

    private int run(String... args) {
        return DownloadMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
