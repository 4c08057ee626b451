package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: a tiny run trains in a child JVM that pauses at one exact place (every file write of an epoch's end,
 * inside each write, between steps, at the start) and is killed there with SIGKILL. After each kill the committed files
 * are whole; the next start repairs what lags, says so, and leaves the directory consistent; and the rerun finishes
 * with the history and weights of an uninterrupted run.
 */
class RunDirectoryKillTest {

    static final int EPOCHS = 2;

    @TempDir
    Path tmp;

    /** A kill: start from the uninterrupted run's directory after epoch {@code from} (0 = empty), pause at point. */
    record Kill(int from, String point) {
        String name() {
            return point.contains("#") ? point.substring(0, point.indexOf('#')) : point;
        }

        @Override
        public String toString() {
            return "kill at '" + point + "' in epoch " + (from + 1);
        }
    }

    @Test
    void aKillAnywhereLeavesARunThatRepairsItselfAndFinishesAsIfUninterrupted() throws Exception {
        Assumptions.assumeTrue(TrainChild.classPathIsUsable(), "the test class path is not visible to a child JVM");
        TrainConfig config = TrainChild.config(EPOCHS);
        RunFixtures.Reference ref = RunFixtures.reference(tmp, config);
        List<Kill> kills = kills(ref);
        assertTrue(kills.size() >= 20, kills.size() + " kill points");
        int i = 0;
        for (Kill kill : kills) {
            Path dir = tmp.resolve("kill-" + i++);
            if (kill.from() > 0) {
                RunFixtures.copy(ref.snapshots().get(kill.from() - 1), dir);
            }
            Process child = TrainChild.start(TrainChild.command(List.of(), dir, EPOCHS, kill.point()));
            try {
                awaitPause(child, kill);
                if (kill.point().equals("locked")) {
                    // While a trainer holds the directory, a second one is refused with the holder's process id.
                    try (ExconTrainer t = ExconTrainer.create(config, ExconTrainerTest.quadrantData(config), dir,
                            Device.cpu())) {
                        RunDirectoryException e = assertThrows(RunDirectoryException.Locked.class, t::fit);
                        assertTrue(e.getMessage().contains("being trained by another process (PID " + child.pid()),
                                e.getMessage());
                    }
                }
            } finally {
                child.destroyForcibly(); // SIGKILL
                child.waitFor();
            }
            assertCommittedFilesWhole(dir, kill);
            List<String> notes = RunFixtures.restart(dir, config, ref, kill.toString()).notes();
            assertEquals(EPOCHS, Checkpoint.peek(dir.resolve(RunDirectory.LAST)).epoch(), kill.toString());
            assertEquals(ref.bestEpoch(), Checkpoint.peek(dir.resolve(RunDirectory.BEST)).epoch(), kill.toString());
            List<String> expected = expectedNotes(kill, ref);
            for (String e : expected) {
                assertTrue(notes.stream().anyMatch(n -> n.contains(e)), kill + ": expected a note with '" + e
                        + "', got " + notes);
            }
            if (expected.isEmpty()) {
                assertEquals(List.of(), notes, kill + ": nothing to repair");
            }
            RunFixtures.delete(dir);
        }
    }

    /** Every point of the write sequence, inside each write, between steps, and at the start. */
    private static List<Kill> kills(RunFixtures.Reference ref) {
        List<Kill> k = new ArrayList<>();
        for (String p : List.of("locked", "config.properties.tmp half-written", "config.properties renamed",
                "data.sha256.tmp half-written", "data.sha256 renamed", "encoder step#3", "classifier step#2")) {
            k.add(new Kill(0, p));
        }
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            int from = epoch - 1;
            if (epoch > 1) {
                k.add(new Kill(from, "encoder step#2"));
            }
            k.add(new Kill(from, "last.ckpt.tmp half-written"));
            k.add(new Kill(from, "last.ckpt.tmp written"));
            if (epoch > 1) {
                k.add(new Kill(from, "previous.ckpt.tmp linked"));
                k.add(new Kill(from, "previous.ckpt renamed"));
            }
            k.add(new Kill(from, "last.ckpt renamed"));
            if (ref.history().get(epoch - 1).best()) {
                k.add(new Kill(from, "best.ckpt.tmp linked"));
                k.add(new Kill(from, "best.ckpt renamed"));
            }
            k.add(new Kill(from, "history.csv.tmp half-written"));
            k.add(new Kill(from, "history.csv renamed"));
        }
        return k;
    }

    /** What the restart must say it repaired, worked out from where the kill landed. */
    private static List<String> expectedNotes(Kill kill, RunFixtures.Reference ref) {
        List<String> out = new ArrayList<>();
        String p = kill.name();
        if (List.of("last.ckpt.tmp half-written", "last.ckpt.tmp written", "previous.ckpt.tmp linked",
                "previous.ckpt renamed").contains(p)) {
            out.add("removed last.ckpt.tmp"); // the new checkpoint was not committed yet
        }
        int tmp = p.indexOf(".tmp ");
        if (tmp > 0 && !p.startsWith("last.ckpt")) {
            out.add("removed " + p.substring(0, tmp + 4));
        }
        int epoch = kill.from() + 1;
        boolean lastCommitted = List.of("last.ckpt renamed", "best.ckpt.tmp linked", "best.ckpt renamed",
                "history.csv.tmp half-written").contains(p);
        if (lastCommitted) {
            out.add(epoch == 1 ? "history.csv was missing: rewritten from last.ckpt"
                    : "history.csv did not match last.ckpt (it listed " + (epoch - 1) + " epochs, the checkpoint "
                            + epoch + ")");
        }
        boolean bestBehind = ref.history().get(epoch - 1).best()
                && (p.equals("last.ckpt renamed") || p.equals("best.ckpt.tmp linked"));
        if (bestBehind) {
            out.add("best.ckpt was " + (epoch == 1 ? "missing" : "at epoch " + previousBest(ref, epoch))
                    + ", but the best epoch is " + epoch + ": linked to last.ckpt");
        }
        return out;
    }

    private static int previousBest(RunFixtures.Reference ref, int epoch) {
        int best = 0;
        for (EpochResult e : ref.history()) {
            if (e.epoch() < epoch && e.best()) {
                best = e.epoch();
            }
        }
        return best;
    }

    /** Waits until the child prints that it paused at the kill's point; fails with its output if it ends first. */
    private static void awaitPause(Process child, Kill kill) throws Exception {
        CompletableFuture<Boolean> paused = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = child.inputReader(StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.equals(PausePoints.PAUSED + kill.point())) {
                        paused.complete(true);
                    }
                }
            } catch (IOException e) {
                // the child was killed while we read
            }
            paused.complete(false);
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        // The bound only stops a hung child from hanging the suite; the pause line is the event waited for.
        if (!paused.get(600, TimeUnit.SECONDS)) {
            synchronized (output) {
                fail("the child ended before it reached '" + kill.point() + "':\n" + output);
            }
        }
    }

    /** Right after a kill, every committed checkpoint is whole (only temporaries can be cut short). */
    private static void assertCommittedFilesWhole(Path dir, Kill kill) {
        for (String name : List.of(RunDirectory.LAST, RunDirectory.PREVIOUS, RunDirectory.BEST)) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                try {
                    Checkpoint.check(f);
                } catch (Checkpoint.CheckpointException e) {
                    fail(kill + ": committed " + name + " is not whole: " + e.getMessage());
                }
            }
        }
    }

}
