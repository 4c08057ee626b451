package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: a tiny run trains in a child JVM into a tmpfs with room for one checkpoint and a half, so epoch 1 is
 * saved and epoch 2 is not. The error keeps its cause and says what is kept; no temporary is left; a resume on the
 * still-full disk loses nothing either; once there is room, the run finishes as if nothing had happened.
 *
 * <p>The tmpfs is mounted in a private mount namespace ({@code unshare --mount}: as root, or as a user where user
 * namespaces are allowed), so nothing outlives the test.
 */
class RunDirectoryDiskFullTest {

    static final int EPOCHS = 2;

    /** Mounts the tmpfs, trains twice (copying the directory after each try), all inside the namespace. */
    static final String SCRIPT = String.join("\n",
            "set -u",
            "mnt=$1; kib=$2; out=$3; shift 3",
            "mount -t tmpfs -o size=${kib}k excon-disk-full \"$mnt\" || { echo 'cannot mount a tmpfs'; exit 97; }",
            "for try in first second; do",
            "  \"$@\" \"$mnt/run\" " + EPOCHS + " >\"$out/$try.log\" 2>&1; echo $? >\"$out/$try.status\"",
            "  cp -a \"$mnt/run\" \"$out/after-$try\"",
            "done");

    @TempDir
    Path tmp;

    @Test
    void aFullDiskKeepsEverySavedEpochAndTheCauseAndLeavesNoTemporary() throws Exception {
        Assumptions.assumeTrue(TrainChild.classPathIsUsable(), "the test class path is not visible to a child JVM");
        List<String> unshare = namespace();
        TrainConfig config = TrainChild.config(EPOCHS);
        RunFixtures.Reference ref = RunFixtures.reference(tmp, config);
        long checkpoint = Files.size(ref.snapshots().get(0).resolve(RunDirectory.LAST));
        long kib = (checkpoint + checkpoint / 2) / 1024; // one checkpoint fits, two do not

        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        List<String> cmd = new ArrayList<>(unshare);
        cmd.addAll(List.of("sh", "-c", SCRIPT, "sh", mnt.toString(), Long.toString(kib), out.toString()));
        cmd.addAll(TrainChild.java(null));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the script hung"); // only stops a hung test
        assertEquals(0, p.exitValue(), "the script failed:\n" + output);

        Path run = mnt.resolve("run");
        for (String attempt : List.of("first", "second")) {
            String log = Files.readString(out.resolve(attempt + ".log"));
            assertEquals("1", Files.readString(out.resolve(attempt + ".status")).strip(), attempt + " run:\n" + log);
            assertTrue(log.contains("error: cannot save epoch 2 in " + run + ": no space left on device (while "
                    + "writing last.ckpt.tmp). Nothing was lost: last.ckpt holds epoch 1, best.ckpt holds epoch 1. "
                    + "Free space on the file system of " + run + " (df -h " + run + "), then run the same command "
                    + "again"), attempt + " run:\n" + log);
            Path after = out.resolve("after-" + attempt);
            RunFixtures.assertConsistent(after, config, "after the " + attempt + " run on a full disk");
            assertEquals(1, Checkpoint.check(after.resolve(RunDirectory.LAST)).epoch());
            assertEquals(1, Checkpoint.check(after.resolve(RunDirectory.BEST)).epoch());
        }

        // With room again, the run resumes after epoch 1 and ends where the uninterrupted one did.
        Path roomy = tmp.resolve("roomy");
        RunFixtures.copy(out.resolve("after-second"), roomy);
        try (ExconTrainer t = ExconTrainer.create(config, ExconTrainerTest.quadrantData(config), roomy,
                Device.cpu())) {
            int[] first = {0};
            t.addListener(new TrainingListener() {
                @Override
                public void onStart(TrainConfig c, int firstEpoch, int batchesPerEpoch) {
                    first[0] = firstEpoch;
                }
            });
            TrainingResult r = t.fit();
            assertEquals(2, first[0]);
            RunFixtures.assertSameHistory(ref.history(), r.history(), "after the disk was freed");
        }
        RunFixtures.assertConsistent(roomy, config, "at the end");
        assertEquals(ref.bestEpoch(), Checkpoint.check(roomy.resolve(RunDirectory.BEST)).epoch());
    }

    /** The unshare prefix that lets this user mount a tmpfs privately; skips with the reason where none does. */
    private static List<String> namespace() throws IOException, InterruptedException {
        List<List<String>> tries = List.of(List.of("unshare", "--mount", "--propagation", "private"),
                List.of("unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"));
        StringBuilder why = new StringBuilder();
        for (List<String> t : tries) {
            List<String> probe = new ArrayList<>(t);
            probe.addAll(List.of("sh", "-c", "mount -t tmpfs -o size=64k excon-probe /mnt"));
            Process p;
            try {
                p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            } catch (IOException e) {
                why.append(String.join(" ", t)).append(": ").append(e.getMessage()).append("; ");
                continue;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                return t;
            }
            why.append(String.join(" ", t)).append(": ").append(out.strip()).append("; ");
        }
        Assumptions.abort("a private tmpfs needs root or user namespaces (make test runs as root in CI): " + why);
        return List.of();
    }
}
