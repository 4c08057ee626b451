package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** An uninterrupted reference run, and what every interrupted one must agree with afterwards. */
final class RunFixtures {

    private RunFixtures() {}

    /** The uninterrupted run, with a copy of its directory after each epoch ({@code snapshots.get(e - 1)}). */
    record Reference(List<EpochResult> history, int bestEpoch, float[] weights, List<Path> snapshots) {}

    /** Trains {@code config} uninterrupted in {@code tmp/reference}, copying the directory after each epoch. */
    static Reference reference(Path tmp, TrainConfig config) {
        Path dir = tmp.resolve("reference");
        List<Path> snapshots = new ArrayList<>();
        try (ExconTrainer t = ExconTrainer.create(config, ExconTrainerTest.quadrantData(config), dir, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onEpoch(EpochResult r) {
                    Path snap = tmp.resolve("after-epoch-" + r.epoch());
                    copy(dir, snap); // the epoch is committed when listeners hear of it
                    snapshots.add(snap);
                }
            });
            TrainingResult r = t.fit();
            return new Reference(r.history(), r.bestEpoch(), ExconTrainerTest.weights(t), snapshots);
        }
    }

    /** What a restart saw and said. */
    record Restart(int firstEpoch, List<String> notes) {}

    /**
     * Trains {@code dir} to the end: the directory must be consistent when training resumes (after the start's
     * repairs), and the run must end with the reference's history and weights.
     */
    static Restart restart(Path dir, TrainConfig config, Reference ref, String when) {
        List<String> notes = new ArrayList<>();
        int[] first = {0};
        try (ExconTrainer t = ExconTrainer.create(config, ExconTrainerTest.quadrantData(config), dir, Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onNote(String note) {
                    notes.add(note);
                }

                @Override
                public void onStart(TrainConfig c, int firstEpoch, int batchesPerEpoch) {
                    first[0] = firstEpoch;
                    assertConsistent(dir, config, when + ", when training resumes");
                }
            });
            TrainingResult r = t.fit();
            assertSameHistory(ref.history(), r.history(), when);
            assertArrayEquals(ref.weights(), ExconTrainerTest.weights(t), 0f, when + ": weights");
            assertEquals(notes, t.notes());
        }
        assertConsistent(dir, config, when + ", at the end");
        return new Restart(first[0], notes);
    }

    /**
     * The files agree: no temporaries; history.csv lists last.ckpt's epochs; best.ckpt holds last.ckpt's best epoch;
     * previous.ckpt, if any, an earlier or the same epoch; config.properties says the run's configuration.
     */
    static void assertConsistent(Path dir, TrainConfig config, String when) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> temporaries = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                    .toList();
            assertEquals(List.of(), temporaries, when + ": temporaries left");
            if (!Files.exists(dir.resolve(RunDirectory.LAST))) {
                assertFalse(Files.exists(dir.resolve(RunDirectory.BEST)), when + ": best.ckpt without last.ckpt");
                return;
            }
            Checkpoint.State last = Checkpoint.check(dir.resolve(RunDirectory.LAST));
            assertEquals(config, last.config(), when);
            List<String> lines = Files.readAllLines(dir.resolve(RunDirectory.HISTORY), StandardCharsets.UTF_8);
            List<String> want = new ArrayList<>(List.of(EpochResult.CSV_HEADER));
            last.history().forEach(e -> want.add(e.toCsv()));
            assertEquals(want, lines, when + ": history.csv against last.ckpt");
            assertEquals(last.epoch(), last.history().size(), when);
            assertEquals(last.bestEpoch(), Checkpoint.check(dir.resolve(RunDirectory.BEST)).epoch(),
                    when + ": best.ckpt's epoch");
            if (Files.exists(dir.resolve(RunDirectory.PREVIOUS))) {
                assertTrue(Checkpoint.check(dir.resolve(RunDirectory.PREVIOUS)).epoch() <= last.epoch(), when);
            }
            assertEquals(config.toPropertiesText(), Files.readString(dir.resolve(RunDirectory.CONFIG)), when);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same epochs with the same numbers (wall time aside). */
    static void assertSameHistory(List<EpochResult> want, List<EpochResult> got, String when) {
        assertEquals(want.size(), got.size(), when + ": epochs");
        for (int e = 0; e < want.size(); e++) {
            EpochResult a = want.get(e);
            EpochResult b = got.get(e);
            String at = when + ", epoch " + a.epoch();
            assertEquals(a.epoch(), b.epoch(), at);
            assertEquals(a.encoderLoss(), b.encoderLoss(), 0.0, at + ": encoder loss");
            assertEquals(a.classifierLoss(), b.classifierLoss(), 0.0, at + ": classifier loss");
            assertEquals(a.validationAccuracy(), b.validationAccuracy(), 0.0, at + ": validation accuracy");
            assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0, at + ": test accuracy");
            assertEquals(a.acceptanceRate(), b.acceptanceRate(), 0.0, at + ": acceptance rate");
            assertEquals(a.backgroundSamples(), b.backgroundSamples(), at);
            assertEquals(a.learningRate(), b.learningRate(), 0f, at);
            assertEquals(a.best(), b.best(), at + ": best");
        }
    }

    static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
