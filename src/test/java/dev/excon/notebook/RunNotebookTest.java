package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code bin/run-notebook} as a script: it must succeed every time it is run, not most times. Its checks before the
 * run (Jupyter and the kernel installed) once failed at random under load, so one run proves nothing: it runs many
 * times in a row on a one-cell notebook.
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
}
