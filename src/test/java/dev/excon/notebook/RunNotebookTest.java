package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/run-notebook} as a script. It must succeed every time it is run, not most times: its checks before the
 * run (Jupyter and the kernel installed) once failed at random under load, so one run proves nothing and it runs many
 * times in a row on a one-cell notebook. A run that fails stops at the failing cell and says so as the kernel does:
 * the cell, the error, its lines, and nothing of the Python machinery around it.
 */
@Tag("kernel")
class RunNotebookTest {

    /** Runs in a row; all must succeed. */
    static final int RUNS = 20;

    private static final Path SCRIPT = Path.of("bin/run-notebook").toAbsolutePath();

    @Test
    void aTrivialNotebookRunsTwentyTimesInARowWithoutAFailure() throws IOException {
        KernelFixture.assumeJupyter();
        Path work = Files.createTempDirectory("excon-run-notebook-");
        Path notebook = work.resolve("answer.ipynb");
        Files.writeString(notebook, KernelFixture.notebook(List.of("6 * 7")), StandardCharsets.UTF_8);
        Path reports = work.resolve("reports");
        Path html = reports.resolve("answer.html");
        // The report shows the cell's result in an output <pre>; the source cell holds "6 * 7", never "42".
        Pattern result = Pattern.compile("<pre>42\\s*</pre>");
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 1; i <= RUNS; i++) {
            Files.deleteIfExists(html);
            KernelFixture.Result r = KernelFixture.run(work, 300, "bash", SCRIPT.toString(), notebook.toString(),
                    "--out", reports.toString(), "--timeout", "120");
            boolean wrote = Files.isRegularFile(html)
                    && result.matcher(Files.readString(html, StandardCharsets.UTF_8)).find();
            if (r.exitCode() != 0 || !wrote || !r.output().contains("report: " + html)) {
                failures.add("run " + i + ": exit status " + r.exitCode() + (wrote ? "" : ", no report with 42")
                        + "\n" + r.output());
            }
        }
        System.out.printf("run-notebook: %d runs of a one-cell notebook in %.1f s%n", RUNS,
                (System.nanoTime() - start) / 1e9);
        assertEquals(0, failures.size(), failures.size() + " of " + RUNS + " runs failed; the first:\n"
                + (failures.isEmpty() ? "" : failures.get(0)));
        assertTrue(Files.isRegularFile(html));
    }

    /** Runs {@code cells} as NAME.ipynb through bin/run-notebook; asserts it failed and wrote no report. */
    private static KernelFixture.Result runFailing(String name, List<String> cells, String... options)
            throws IOException {
        KernelFixture.assumeJupyter();
        Path work = Files.createTempDirectory("excon-run-notebook-fail-");
        Path notebook = work.resolve(name + ".ipynb");
        Files.writeString(notebook, KernelFixture.notebook(cells), StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), notebook.toString(), "--out",
                work.resolve("reports").toString()));
        cmd.addAll(List.of(options));
        KernelFixture.Result r = KernelFixture.run(work, 300, cmd.toArray(new String[0]));
        assertEquals(1, r.exitCode(), "a failed run exits with 1:\n" + r.output());
        assertFalse(Files.exists(work.resolve("reports/" + name + ".html")), "no report from a failed run");
        assertFalse(r.output().contains("Traceback (most recent call last)"), "no Python traceback:\n" + r.output());
        assertFalse(r.output().contains("CellExecutionError"), "no nbclient internals:\n" + r.output());
        return r;
    }

    @Test
    void aFailedCellStopsTheRunWithTheKernelsOwnErrorLines() throws IOException {
        KernelFixture.Result r = runFailing("divide", List.of("int a = 1;", "int zero = 0;\nint b = a / zero;",
                "System.out.println(\"the third cell ran\");"));
        assertEquals(List.of("run-notebook: divide.ipynb, cell 2 of 3: java.lang.ArithmeticException: / by zero",
                "    at cell line 2"), r.output().lines().filter(l -> !l.isBlank()).toList(), r.output());
    }

    @Test
    void aFailedMagicStopsTheRun() throws IOException {
        KernelFixture.Result r = runFailing("magic", List.of("%excon seed abc", "System.out.println(\"after\");"));
        assertTrue(r.output().startsWith("run-notebook: magic.ipynb, cell 1 of 2: UsageError: 'abc' is not an integer "
                + "seed"), r.output());
        assertTrue(r.output().contains("    in %excon at cell line 1"), r.output());
    }

    @Test
    void aCellPastTheTimeoutStopsTheRunAndSaysHowToRaiseIt() throws IOException {
        // One cell: any cell before it could itself take the 2 s on a loaded machine (the first waits for start-up).
        KernelFixture.Result r = runFailing("slow", List.of("Thread.sleep(600_000);"), "--timeout", "2");
        assertEquals(List.of("run-notebook: slow.ipynb, cell 1 of 1: still running after 2 s, stopped (--timeout "
                + "SECONDS raises the limit, -1 removes it)"), r.output().lines().filter(l -> !l.isBlank()).toList(),
                r.output());
    }
}
