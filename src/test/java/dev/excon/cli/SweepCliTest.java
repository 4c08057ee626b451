package dev.excon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.excon.experiment.EvaluationSettings;
import dev.excon.experiment.Experiment;
import dev.excon.train.EpochResult;
import dev.excon.train.ExconTrainer;
import dev.excon.train.TrainingData;
import dev.excon.train.TrainingListener;
import dev.excon.train.TrainingStoppedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code excon sweep} on one machine: 2 methods x 2 seeds of a tiny quick run on generated Fashion-MNIST-shaped
 * files. An interrupted point resumes from its checkpoint, a failing point is recorded while the others finish and
 * is retried alone, a finished sweep trains nothing again, and other settings in the same directory are refused.
 */
class SweepCliTest {

    @TempDir
    static Path shared;

    static Path dataRoot;

    @BeforeAll
    static void data() throws IOException {
        // Generated stand-ins cannot match the published checksums: the documented opt-out, for this class only.
        System.setProperty(dev.excon.data.verify.DataVerifier.ENABLED_PROPERTY, "off");
        dataRoot = shared.resolve("data");
        EvaluateReportCliTest.writeFashionLike(dataRoot.resolve("fashion-mnist"), 3);
    }

    @AfterAll
    static void verificationBackOn() {
        System.clearProperty(dev.excon.data.verify.DataVerifier.ENABLED_PROPERTY);
    }

    private static Object[] sweep(Path dir, String... more) {
        List<Object> a = new ArrayList<>(List.of("sweep", dir, "--preset", "quick", "--grid", "method=supcon,excon",
                "--grid", "seed=1,2", "--set", "epochs=2", "--set", "expEpochs=1", "--set", "trainLimit=300",
                "--set", "testLimit=100", "--test-limit", "40", "--batch-size", "40", "--epsilons", "8", "--no-pgd",
                "--no-corruptions", "--device", "cpu", "--data", dataRoot));
        a.addAll(List.of((Object[]) more));
        return a.toArray();
    }

    @Test
    void runsResumesRecordsFailuresAndSkipsWhatIsDone() throws IOException {
        Path dir = shared.resolve("seeds");
        // The same experiment the command will make, with one point interrupted after its first epoch.
        Experiment e = Experiment.create(dir, dev.excon.train.TrainConfig.preset("quick").toBuilder().epochs(2)
                .expEpochs(1).trainLimit(300).testLimit(100).build(), Experiment.grid("method=supcon,excon",
                "seed=1,2"), new EvaluationSettings(40, 40, new double[] {8}, false, 0, false, 1000, false));
        assertEquals(4, e.points().size());
        Experiment.Point interrupted = e.point("method=excon,seed=1");
        String prop = System.getProperty("excon.data");
        System.setProperty("excon.data", dataRoot.toString());
        try (ExconTrainer t = ExconTrainer.create(interrupted.config(), TrainingData.load(interrupted.config()),
                interrupted.dir(), Device.cpu())) {
            t.addListener(new TrainingListener() {
                @Override
                public void onEpoch(EpochResult r) {
                    t.requestStop();
                }
            });
            assertThrows(TrainingStoppedException.class, t::fit);
        } finally {
            if (prop == null) {
                System.clearProperty("excon.data");
            } else {
                System.setProperty("excon.data", prop);
            }
        }
        assertEquals(Experiment.Status.PARTIAL, e.status(interrupted));
        // A point whose run directory cannot be made fails; the others go on.
        Experiment.Point broken = e.point("method=supcon,seed=2");
        Files.createDirectories(broken.dir().getParent());
        Files.writeString(broken.dir(), "in the way");

        EvaluateReportCliTest.Result r = EvaluateReportCliTest.cli(sweep(dir));
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("[3/4] method=excon,seed=1: partial, running"), r.all());
        assertTrue(r.err().contains("resuming at epoch 2"), "the interrupted point resumes:\n" + r.all());
        assertTrue(r.err().contains("1 of 4 points failed: [method=supcon,seed=2]"), r.all());
        assertEquals(Experiment.Status.FAILED, e.status(broken));
        EvaluateReportCliTest.Result st = EvaluateReportCliTest.cli("sweep", "status", dir);
        assertEquals(1, st.code(), st.all());
        assertTrue(st.out().contains("failed     method=supcon,seed=2: ") && st.out().contains("3 of 4 points "
                + "evaluated"), st.all());

        // Fixed, the failed point alone is retried.
        Files.delete(broken.dir());
        r = EvaluateReportCliTest.cli(sweep(dir, "--point", "method=supcon,seed=2"));
        assertEquals(0, r.code(), r.all());
        st = EvaluateReportCliTest.cli("sweep", "status", dir);
        assertEquals(0, st.code(), st.all());
        assertTrue(st.out().contains("4 of 4 points evaluated"), st.all());

        // Nothing is trained or evaluated again.
        List<FileTime> before = new ArrayList<>();
        for (Experiment.Point p : e.points()) {
            before.add(Files.getLastModifiedTime(p.dir().resolve(Experiment.EVALUATION)));
        }
        r = EvaluateReportCliTest.cli("sweep", dir, "--device", "cpu", "--data", dataRoot);
        assertEquals(0, r.code(), r.all());
        assertEquals(4, r.err().lines().filter(l -> l.endsWith("evaluated, skipped")).count(), r.all());
        for (int i = 0; i < e.points().size(); i++) {
            assertEquals(before.get(i), Files.getLastModifiedTime(e.points().get(i).dir()
                    .resolve(Experiment.EVALUATION)));
        }
        // Every point's numbers, grouped for the comparison over seeds.
        Map<String, Map<Long, Map<String, Double>>> results = Experiment.open(dir).results();
        assertEquals(List.of("SUPCON", "EXCON"), List.copyOf(results.keySet()));
        for (Map<Long, Map<String, Double>> bySeed : results.values()) {
            assertEquals(List.of(1L, 2L), List.copyOf(bySeed.keySet()));
            bySeed.values().forEach(m -> assertTrue(m.get("top-1") >= 0 && m.get("top-1") <= 1, m.toString()));
        }

        // The comparison over seeds: the four claims, each with its verdict, and the page.
        r = EvaluateReportCliTest.cli("report", dir);
        assertEquals(0, r.code(), r.all());
        assertEquals(4, r.err().lines().filter(l -> l.matches("^[^:]+: EXCON (better|worse) .*|^[^:]+: no "
                + "evidence either way at this budget .*")).count(), r.all());
        String page = Files.readString(dir.resolve("report.html"));
        assertTrue(page.contains("paper") && page.contains("<table") && page.contains("data:image/png;base64,"),
                "claims, tables and the per-seed chart");

        // Other settings in the same directory are refused, naming what differs.
        r = EvaluateReportCliTest.cli("sweep", dir, "--grid", "method=supcon,excon", "--grid", "seed=1,2,3",
                "--device", "cpu");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("grid.seed=1,2 there, 1,2,3 now"), r.all());
    }
    /**
     * {@code --parallel 2}: two points at once, each in its own process (bin/excon, as the Slurm tasks run it). Both
     * start before either ends, each writes its log, and every point ends evaluated.
     */
    @Test
    void parallelRunsPointsInTheirOwnProcesses() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        assertTrue(Files.isDirectory(root.resolve("target/lib")), "the points' processes run bin/excon, which needs "
                + "target/lib: run make setup (or bash environment/setup.sh --no-kernel) first");
        Path dir = shared.resolve("parallel");
        String before = System.getProperty("excon.launcher");
        System.setProperty("excon.launcher", root.resolve("bin/excon").toString());
        EvaluateReportCliTest.Result r;
        try {
            r = EvaluateReportCliTest.cli("sweep", dir, "--preset", "quick", "--grid", "method=supcon,excon",
                    "--grid", "seed=1", "--set", "epochs=1", "--set", "expEpochs=1", "--set", "trainLimit=120",
                    "--set", "testLimit=40", "--test-limit", "40", "--batch-size", "40", "--epsilons", "8",
                    "--no-pgd", "--no-corruptions", "--device", "cpu", "--data", dataRoot, "--parallel", "2");
        } finally {
            if (before == null) {
                System.clearProperty("excon.launcher");
            } else {
                System.setProperty("excon.launcher", before);
            }
        }
        assertEquals(0, r.code(), r.all());
        List<String> lines = r.err().lines().toList();
        int secondStart = -1;
        int firstEnd = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("[2/2] method=excon,seed=1: pending, started on the CPU, 1 threads")) {
                secondStart = i;
            }
            if (firstEnd < 0 && lines.get(i).startsWith("  evaluated: ")) {
                firstEnd = i;
            }
        }
        assertTrue(secondStart >= 0 && firstEnd > secondStart, "both start before either ends:\n" + r.all());
        Experiment e = Experiment.open(dir);
        for (Experiment.Point p : e.points()) {
            assertEquals(Experiment.Status.EVALUATED, e.status(p), p.id());
            String log = Files.readString(dir.resolve("logs").resolve(p.dir().getFileName() + ".log"));
            assertTrue(log.contains("[1/1] " + p.id() + ": pending, running"), log);
        }
    }
}
