package dev.excon.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sbatch array script's text: directives present only when asked for, paths with spaces quoted. */
class SlurmScriptTest {

    private static final List<String> COMMAND = SlurmScript.taskCommand(Path.of("/opt/excon/bin/excon"),
            Path.of("/home/me/experiments/seeds"), List.of("--device", "gpu"));

    @Test
    void defaultsLeaveResourcesToTheCluster() {
        String s = SlurmScript.text("excon-seeds", List.of(0, 1, 2, 3), Path.of("/home/me/experiments/seeds/slurm"),
                SlurmScript.Resources.DEFAULT, COMMAND);
        assertTrue(s.startsWith("#!/bin/bash\n"), s);
        assertTrue(s.contains("#SBATCH --array=0-3\n"), s);
        assertTrue(s.contains("#SBATCH --requeue\n"), s);
        assertTrue(s.contains("#SBATCH --open-mode=append\n"), s);
        assertTrue(s.contains("#SBATCH --output=/home/me/experiments/seeds/slurm/%A_%a.out\n"), s);
        for (String absent : List.of("--gpus", "--cpus-per-task", "--mem", "--time", "--partition", "--account",
                "--signal")) {
            assertFalse(s.contains(absent), absent + " in\n" + s);
        }
        assertTrue(s.endsWith("exec '/opt/excon/bin/excon' 'sweep' '/home/me/experiments/seeds' '--point-index' "
                + "\"$SLURM_ARRAY_TASK_ID\" '--device' 'gpu'\n"), s);
    }

    @Test
    void everyResourceBecomesItsDirective() {
        String s = SlurmScript.text("excon-c100", List.of(1, 2, 5), Path.of("/x/slurm"), new SlurmScript.Resources(1, 8,
                "32G", "2-00:00:00", "gpu", "lab", "B:USR1@300"), COMMAND);
        for (String line : List.of("--array=1-2,5", "--gpus=1", "--cpus-per-task=8", "--mem=32G",
                "--time=2-00:00:00", "--partition=gpu", "--account=lab", "--signal=B:USR1@300",
                "--job-name=excon-c100")) {
            assertTrue(s.contains("#SBATCH " + line + "\n"), line + " missing in\n" + s);
        }
        // With a signal the shell stays to trap it and requeue the task; the task runs in the background.
        assertTrue(s.contains("trap '") && s.contains("scontrol requeue \"$task\"' USR1\n"), s);
        assertTrue(s.contains("(trap '' USR1; exec '/opt/excon/bin/excon' 'sweep' '/home/me/experiments/seeds' "
                + "'--point-index' \"$SLURM_ARRAY_TASK_ID\" '--device' 'gpu') &\n"), s);
    }

    @Test
    void theSignalGoesToTheBatchShell() {
        assertEquals("B:USR1@300", SlurmScript.batchSignal("USR1@300"));
        assertEquals("B:USR1@300", SlurmScript.batchSignal("B:USR1@300"));
        assertEquals("RB:10@60", SlurmScript.batchSignal("R:10@60"));
        assertEquals("B:TERM", SlurmScript.batchSignal("TERM"));
        assertEquals("USR1", new SlurmScript.Resources(0, 0, null, null, null, null, "USR1@90").signalName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlurmScript.batchSignal("USR1@soon"));
        assertTrue(e.getMessage().contains("USR1@soon") && e.getMessage().contains("USR1@300"), e.getMessage());
    }

    @Test
    void pathsWithSpacesAndQuotesAreQuoted() {
        List<String> command = SlurmScript.taskCommand(Path.of("/opt/my excon/bin/excon"),
                Path.of("/home/me/it's a sweep"), List.of("--data", "/data sets"));
        String s = SlurmScript.text("excon-x", List.of(0), Path.of("/home/me/it's a sweep/slurm"),
                SlurmScript.Resources.DEFAULT, command);
        assertTrue(s.contains("#SBATCH --output=\"/home/me/it's a sweep/slurm/%A_%a.out\"\n"), s);
        assertTrue(s.contains("exec '/opt/my excon/bin/excon' 'sweep' '/home/me/it'\\''s a sweep' '--point-index' "
                + "\"$SLURM_ARRAY_TASK_ID\" '--data' '/data sets'\n"), s);
        assertThrows(IllegalArgumentException.class, () -> SlurmScript.text("x", List.of(0),
                Path.of("/a \"b\""), SlurmScript.Resources.DEFAULT, command));
    }

    @Test
    void arraySpecCompressesRanges() {
        assertEquals("0", SlurmScript.arraySpec(List.of(0)));
        assertEquals("0-2,5,7-8", SlurmScript.arraySpec(List.of(8, 0, 1, 2, 5, 7)));
        assertEquals(List.of(0, 1, 2, 5, 7, 8), SlurmBackend.parseArray("0-2,5,7-8"));
        assertThrows(IllegalArgumentException.class, () -> SlurmScript.arraySpec(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SlurmScript.Resources(0, -1, null, null, null, null,
                null));
        assertThrows(IllegalArgumentException.class, () -> new SlurmScript.Resources(0, 0, "1G\n#SBATCH --x", null,
                null, null, null));
    }
}
