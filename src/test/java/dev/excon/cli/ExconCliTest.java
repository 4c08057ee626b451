package dev.excon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExconCliTest {

    @TempDir
    Path tmp;

    /** Runs the command line capturing stderr; returns {exit code, stderr}. */
    private static Object[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = ExconCli.run(args);
            return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void badArgumentsPrintUsageAndTheFix() {
        Object[] r = run("train", "--preset", "quick");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--out") && ((String) r[1]).contains("Usage"), (String) r[1]);
        r = run("train", "--out", tmp.toString(), "--set", "lr=0.1");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("unknown configuration key 'lr'"), (String) r[1]);
        r = run("train", "--out", tmp.toString(), "--preset", "cifar");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("paper-cifar100"), (String) r[1]);
        Path file = tmp.resolve("a-file");
        try {
            Files.writeString(file, "x");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        r = run("train", "--out", file.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("--out " + file + " is a file: give the run directory"), (String) r[1]);
        r = run("fly");
        assertEquals(2, r[0]);
        r = run();
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("train"), (String) r[1]);
    }

    @Test
    void trainsAndResumesAQuickRun() throws Exception {
        Path out = tmp.resolve("run");
        String[] args = {"train", "--preset", "quick", "--set", "trainLimit=300", "--set", "testLimit=100", "--set",
            "epochs=1", "--set", "expEpochs=1", "--device", "cpu", "--out", out.toString()};
        Object[] r = run(args);
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("epoch 1:") && ((String) r[1]).contains("val acc"), (String) r[1]);
        assertTrue(Files.exists(out.resolve("last.ckpt")) && Files.exists(out.resolve("history.csv")));
        // The same command again finds the finished run and trains nothing more.
        r = run(args);
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).lines().noneMatch(l -> l.startsWith("epoch ")), "no epoch trained: " + r[1]);
        // Another configuration in the same directory is refused with the fix.
        args[8] = "epochs=2";
        r = run(args);
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("another configuration") && ((String) r[1]).contains("epochs=1 there, 2 now"),
                "names the key that differs: " + r[1]);
        // Fewer training images change the data too, but the cause is the setting, and that is what is named.
        args[8] = "epochs=1";
        args[4] = "trainLimit=200";
        r = run(args);
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("trainLimit=300 there, 200 now") && !((String) r[1]).contains("--data"),
                (String) r[1]);
    }
}
