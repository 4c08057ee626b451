package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory after the faults users met: an epoch's end cut short between its files, a damaged last checkpoint,
 * the last checkpoint deleted as an old message advised, and a second trainer on the same directory. Each case starts
 * from a copy of an uninterrupted run's directory, made into the state the fault leaves, and must end with that run's
 * history and weights.
 */
class RunDirectoryTest {

    static final int EPOCHS = 3;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static TrainConfig config;
    static RunFixtures.Reference ref;

    @BeforeAll
    static void trainTheReference() {
        config = TrainChild.config(EPOCHS);
        ref = RunFixtures.reference(shared, config);
    }

    private static RunFixtures.Restart restart(Path dir) {
        return RunFixtures.restart(dir, config, ref, "the resumed run");
    }

    private static void assertNote(List<String> notes, String part) {
        assertTrue(notes.stream().anyMatch(n -> n.contains(part)), "expected a note with '" + part + "': " + notes);
    }

    @Test
    void anEpochEndCutShortAfterLastCkptIsRepairedAtTheNextStart() throws IOException {
        // The state a kill left when last.ckpt already named the new best epoch but best.ckpt and history.csv were not
        // written yet: the directory after epoch k-1, with last.ckpt of epoch k.
        int k = 0;
        for (EpochResult e : ref.history()) {
            if (e.best() && e.epoch() >= 2) {
                k = e.epoch();
            }
        }
        assertTrue(k >= 2, "the fixture needs a best epoch after the first: " + ref.history());
        Path dir = tmp.resolve("cut-short");
        RunFixtures.copy(ref.snapshots().get(k - 2), dir);
        Files.copy(ref.snapshots().get(k - 1).resolve(RunDirectory.LAST), dir.resolve(RunDirectory.LAST),
                StandardCopyOption.REPLACE_EXISTING);
        int staleBest = Checkpoint.peek(dir.resolve(RunDirectory.BEST)).epoch();
        assertTrue(staleBest < k);

        RunFixtures.Restart r = restart(dir); // its onStart checks best.ckpt holds epoch k and history.csv lists k epochs
        assertEquals(k + 1, r.firstEpoch(), "resumes after the epoch last.ckpt holds");
        assertNote(r.notes(), "best.ckpt was at epoch " + staleBest + ", but the best epoch is " + k
                + ": linked to last.ckpt");
        assertNote(r.notes(), "history.csv did not match last.ckpt (it listed " + (k - 1) + " epochs, the checkpoint "
                + k + ")");
    }

    @Test
    void aDamagedLastCheckpointFallsBackToThePreviousOneAndIsKept() throws IOException {
        Path dir = tmp.resolve("damaged");
        RunFixtures.copy(ref.snapshots().get(1), dir); // after epoch 2
        byte[] bytes = Files.readAllBytes(dir.resolve(RunDirectory.LAST));
        for (int i = 0; i < 100; i++) {
            bytes[bytes.length / 2 + i] ^= (byte) 0x5A; // a disk or copy error in the middle
        }
        Files.write(dir.resolve(RunDirectory.LAST), bytes);
        int best2 = ref.history().get(1).best() ? 2 : ref.history().get(0).best() ? 1 : 0;

        RunFixtures.Restart r = restart(dir);
        // The newest intact checkpoint: previous.ckpt (epoch 1), or best.ckpt when epoch 2 was the best.
        int resumedAfter = Math.max(1, best2);
        assertEquals(resumedAfter + 1, r.firstEpoch());
        assertNote(r.notes(), "last.ckpt is damaged or cut short");
        assertNote(r.notes(), "moved aside to last.ckpt.damaged (kept for inspection)");
        assertNote(r.notes(), "last.ckpt was damaged: restored from " + (best2 == 2 ? "best.ckpt" : "previous.ckpt")
                + " (epoch " + resumedAfter + ")");
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("last.ckpt.damaged")), "the damaged file is kept");
        for (String note : r.notes()) {
            assertFalse(note.contains("Delete") || note.contains("delete"), "no advice to delete: " + note);
        }
    }

    @Test
    void aDeletedLastCheckpointResumesFromWhatIsLeftNotFromScratch() throws IOException {
        Path dir = tmp.resolve("deleted");
        RunFixtures.copy(ref.snapshots().get(1), dir); // after epoch 2
        Files.delete(dir.resolve(RunDirectory.LAST));
        int newest = Math.max(Checkpoint.peek(dir.resolve(RunDirectory.PREVIOUS)).epoch(),
                Checkpoint.peek(dir.resolve(RunDirectory.BEST)).epoch());

        RunFixtures.Restart r = restart(dir);
        assertEquals(newest + 1, r.firstEpoch(), "training goes on after the newest checkpoint left");
        assertNote(r.notes(), "last.ckpt was missing: restored from");
    }

    @Test
    void withNoIntactCheckpointTheRunIsRefusedAndNothingIsTouched() throws IOException {
        Path dir = tmp.resolve("nothing-left");
        RunFixtures.copy(ref.snapshots().get(0), dir); // after epoch 1: last.ckpt and best.ckpt
        for (String name : List.of(RunDirectory.LAST, RunDirectory.BEST)) {
            byte[] b = Files.readAllBytes(dir.resolve(name));
            Files.write(dir.resolve(name), java.util.Arrays.copyOf(b, b.length / 2));
        }
        String history = Files.readString(dir.resolve(RunDirectory.HISTORY));
        try (ExconTrainer t = ExconTrainer.create(config, ExconTrainerTest.quadrantData(config), dir, Device.cpu())) {
            RunDirectoryException e = assertThrows(RunDirectoryException.class, t::fit);
            String m = e.getMessage();
            assertTrue(m.contains("holds a run but no intact checkpoint") && m.contains("history.csv lists 1 epoch")
                    && m.contains("Nothing was changed") && m.contains("train into another directory"), m);
        }
        assertEquals(history, Files.readString(dir.resolve(RunDirectory.HISTORY)), "history.csv is kept");
        assertFalse(Files.exists(dir.resolve("last.ckpt.damaged")), "nothing moved");
    }

    @Test
    void aSecondTrainerInThisProcessIsRefused() {
        Path dir = tmp.resolve("held");
        try (RunDirectory held = RunDirectory.open(dir);
                ExconTrainer t = ExconTrainer.create(config, ExconTrainerTest.quadrantData(config), dir,
                        Device.cpu())) {
            RunDirectoryException e = assertThrows(RunDirectoryException.Locked.class, t::fit);
            assertTrue(e.getMessage().contains(dir.toAbsolutePath() + " is being trained by another trainer in this "
                    + "process"), e.getMessage());
        }
        // Released: the lock is free again.
        try (RunDirectory again = RunDirectory.open(dir)) {
            assertEquals(dir.toAbsolutePath(), again.path());
        }
    }

    @Test
    void aFileGivenAsTheRunDirectoryIsRefusedByName() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        RunDirectoryException e = assertThrows(RunDirectoryException.class, () -> RunDirectory.open(file));
        assertTrue(e.getMessage().contains(file.toAbsolutePath() + " is a file, not a run directory"),
                e.getMessage());
    }
}
