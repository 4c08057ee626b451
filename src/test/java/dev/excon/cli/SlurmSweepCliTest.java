package dev.excon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code excon sweep --backend slurm} against a real (private, one-node) Slurm cluster: 2 methods x 3 seeds of a tiny
 * quick run on generated Fashion-MNIST-shaped files, submitted as one array job through bin/excon as a user would.
 * One task is requeued after its first saved epoch and resumes from its checkpoint; at the end every point is
 * evaluated and {@code excon report} compares the methods over the three seeds. The experiment directory has a space in its name, so the script's quoting is exercised by sbatch itself.
 */
class SlurmSweepCliTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void arrayJobRunsEveryPointAndARequeuedTaskResumes() throws IOException, InterruptedException {
        SlurmCluster.assumeRunnable();
        Path root = Path.of("").toAbsolutePath();
        Path excon = root.resolve("bin/excon");
        assertTrue(Files.isDirectory(root.resolve("target/lib")), "the tasks run bin/excon, which needs target/lib: "
                + "run make setup (or bash environment/setup.sh --no-kernel) first");
        Path data = tmp.resolve("data");
        EvaluateReportCliTest.writeFashionLike(data.resolve("fashion-mnist"), 3);
        Path exp = tmp.resolve("my sweep");
        // The tasks' launcher: the first attempts of tasks 1 and 4 pause after their first saved epoch
        // (JDK_JAVA_OPTIONS keeps the space in "epoch saved"; bin/excon's EXCON_JAVA_OPTS splits on white space).
        Path launcher = tmp.resolve("excon-task");
        Files.writeString(launcher, "#!/bin/bash\n"
                + "if [[ \"${SLURM_ARRAY_TASK_ID:-}\" == [14] ]] && mkdir " + tmp.resolve("paused")
                + "-$SLURM_ARRAY_TASK_ID 2>/dev/null; "
                + "then export JDK_JAVA_OPTIONS='\"-Dexcon.pauseAt=epoch saved#1\"'; fi\n"
                + "exec " + excon + " \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        // sbatch exports the submitter's environment to the tasks: the verification opt-out reaches them too.
        Map<String, String> env = Map.of("EXCON_JAVA_OPTS", "-Dexcon.launcher=" + launcher + " -Dexcon.verify=off");

        try (SlurmCluster cluster = SlurmCluster.start(Files.createDirectories(tmp.resolve("cluster")))) {
            List<String> submit = new ArrayList<>(List.of(excon.toString(), "sweep", exp.toString(), "--preset",
                    "quick", "--grid", "method=supcon,excon", "--grid", "seed=1,2,3", "--set", "epochs=2", "--set",
                    "expEpochs=1", "--set", "trainLimit=300", "--set", "testLimit=100", "--test-limit", "40",
                    "--batch-size", "40", "--epsilons", "8", "--no-pgd", "--no-corruptions", "--device", "cpu",
                    "--data", data.toString(), "--backend", "slurm", "--cpus", "1", "--mem", "2G", "--signal", "USR1@60"));
            SlurmCluster.Result r = cluster.run(120, env, submit.toArray(new String[0]));
            assertEquals(0, r.code(), r.all());
            String job = r.out().strip();
            assertTrue(job.matches("[0-9]+"), r.all());
            Path slurmDir = exp.resolve("slurm");
            String script = Files.readString(slurmDir.resolve("sweep.sbatch"));
            assertTrue(script.contains("#SBATCH --array=0-5\n") && script.contains("#SBATCH --requeue\n"), script);
            assertEquals(job + " 0-5\n", Files.readString(slurmDir.resolve("jobs.txt")));

            // Task 1 pauses after epoch 1's checkpoint: the queue shows it running. The signal Slurm sends before a
            // time limit (sent by hand here) makes it requeue itself.
            Path log1 = slurmDir.resolve(job + "_1.out");
            SlurmCluster.awaitText(log1, "excon: paused at", 600, () -> true);
            SlurmCluster.Result st = cluster.run(120, env, excon.toString(), "sweep", "status", exp.toString());
            assertTrue(st.out().contains("method=supcon,seed=2 (epoch 1 of 2) [slurm " + job + "_1 RUNNING]"),
                    st.all());
            SlurmCluster.Result rq = cluster.run(60, "scancel", "--batch", "--signal=USR1", job + "_1");
            // 229 is ESLURM_ALREADY_DONE (2021) mod 256: the requeue the signal set off ended the job before Slurm
            // answered scancel, which Slurm itself treats as a race on termination, not an error. The log below
            // shows what the signal did.
            assertTrue(rq.code() == 0 || rq.code() == 2021 % 256, rq.all() + "\n" + Files.readString(log1));
            // Task 4 is requeued from outside, as a preemption does.
            Path log4 = slurmDir.resolve(job + "_4.out");
            SlurmCluster.awaitText(log4, "excon: paused at", 600, () -> true);
            rq = cluster.run(60, "scontrol", "requeue", job + "_4");
            assertEquals(0, rq.code(), rq.all());
            // Slurm holds a requeued job back for the credential lifetime (the cluster sets it short) and reruns it.

            // Returns once every task of the array has left the queue for good.
            SlurmCluster.Result wait = cluster.run(900, "sbatch", "--wait", "--dependency=afterany:" + job,
                    "--wrap=true", "--output=/dev/null", "--mem=10M");
            assertEquals(0, wait.code(), wait.all());

            String log = Files.readString(log1);
            assertTrue(log.contains("excon: paused at epoch saved#1"), log);
            assertTrue(log.contains("excon: USR1 before the time limit: requeueing " + job + "_1"), log);
            assertTrue(log.contains("resuming at epoch 2"), "the requeued task resumes its checkpoint:\n" + log);
            String log4text = Files.readString(log4);
            assertTrue(log4text.contains("resuming at epoch 2"), "the preempted task resumes:\n" + log4text);
            st = cluster.run(120, env, excon.toString(), "sweep", "status", exp.toString());
            assertEquals(0, st.code(), st.all() + "\n" + log + "\n"
                    + Files.readString(slurmDir.resolve(job + "_0.out")));
            assertTrue(st.out().contains("6 of 6 points evaluated"), st.all());

            // The comparison over seeds reads what the tasks wrote: four claims, each with a verdict.
            SlurmCluster.Result rep = cluster.run(120, env, excon.toString(), "report", exp.toString());
            assertEquals(0, rep.code(), rep.all());
            assertEquals(4, rep.err().lines().filter(l -> l.matches("^[^:]+: EXCON (better|worse) .*|^[^:]+: no "
                    + "evidence either way at this budget .*")).count(), rep.all());
            assertTrue(Files.exists(exp.resolve("report.html")));

            // Nothing left to submit; one point asked for by name is submitted alone (how a failed one is retried).
            r = cluster.run(120, env, submit.toArray(new String[0]));
            assertEquals(0, r.code(), r.all());
            assertTrue(r.err().contains("nothing to submit"), r.all());
            submit.addAll(List.of("--point", "method=supcon,seed=1"));
            r = cluster.run(120, env, submit.toArray(new String[0]));
            assertEquals(0, r.code(), r.all());
            String again = r.out().strip();
            assertTrue(Files.readString(slurmDir.resolve("sweep.sbatch")).contains("#SBATCH --array=0\n"));
            String jobs = Files.readString(slurmDir.resolve("jobs.txt"));
            assertTrue(jobs.startsWith(job + " 0-5\n") && jobs.endsWith("\n" + again + " 0\n"), jobs);
        }
    }
}
