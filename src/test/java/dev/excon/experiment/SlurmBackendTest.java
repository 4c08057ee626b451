package dev.excon.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submission and queue reading against stand-in sbatch/squeue scripts (the real cluster: SlurmSweepTest). */
class SlurmBackendTest {

    @TempDir
    Path tmp;

    private Experiment experiment() {
        return Experiment.create(tmp.resolve("exp"), dev.excon.train.TrainConfig.preset("quick"),
                Experiment.grid("method=supcon,excon", "seed=1,2"), EvaluationSettings.DEFAULT);
    }

    private Path tool(String name, String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static List<String> command() {
        return SlurmScript.taskCommand(Path.of("/x/bin/excon"), Path.of("/x/exp"), List.of());
    }

    @Test
    void sbatchMissingSaysWhatToDo() {
        SlurmBackend b = new SlurmBackend(Map.of("PATH", tmp.resolve("nothing").toString()));
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> b.submit(experiment(), List.of(0),
                SlurmScript.Resources.DEFAULT, command()));
        assertEquals("Slurm's sbatch is not on PATH: install slurm-client or run without --backend slurm",
                x.getMessage());
    }

    @Test
    void sbatchFailureCarriesItsMessage() throws IOException {
        Path bin = tool("sbatch", "echo 'sbatch: error: invalid partition specified: gpu' >&2; exit 1");
        SlurmBackend b = new SlurmBackend(Map.of("PATH", bin.toString()));
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> b.submit(experiment(), List.of(0),
                SlurmScript.Resources.DEFAULT, command()));
        assertTrue(x.getMessage().contains("invalid partition specified: gpu"), x.getMessage());
        assertTrue(x.getMessage().contains("exit 1"), x.getMessage());
    }

    @Test
    void submissionsAreRecordedAndQueueStatesMapToPoints() throws IOException {
        // The stand-in checks it got --parsable and the script, and answers as a federated cluster would.
        tool("sbatch", "[ \"$1\" = --parsable ] && [ -f \"$2\" ] || exit 3; echo '4711;cluster'");
        Path bin = tool("squeue", "printf '4711_1|4711|1|RUNNING\\n4711_3|4711|3|PENDING\\n99_0|99|0|RUNNING\\n'");
        SlurmBackend b = new SlurmBackend(Map.of("PATH", bin.toString()));
        Experiment e = experiment();
        SlurmBackend.Job job = b.submit(e, List.of(1, 3), SlurmScript.Resources.DEFAULT, command());
        assertEquals("4711", job.id());
        assertEquals("4711 1,3\n", Files.readString(SlurmBackend.directory(e).resolve(SlurmBackend.JOBS)));
        assertTrue(Files.readString(SlurmBackend.directory(e).resolve(SlurmScript.FILE)).contains("--array=1,3"));
        Map<Integer, SlurmBackend.TaskState> q = b.queue(e).orElseThrow();
        assertEquals(Map.of(1, new SlurmBackend.TaskState("4711", 1, "RUNNING"), 3,
                new SlurmBackend.TaskState("4711", 3, "PENDING")), q, "job 99 is not this experiment's");
        assertEquals("4711", SlurmBackend.lastJob(SlurmBackend.jobs(e), 3).orElseThrow().id());
        assertTrue(SlurmBackend.lastJob(SlurmBackend.jobs(e), 0).isEmpty());
        // Without squeue, no queue states (status then shows the experiment as it is on disk).
        assertTrue(new SlurmBackend(Map.of("PATH", tmp.resolve("nothing").toString())).queue(e).isEmpty());
    }
}
