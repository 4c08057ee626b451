package dev.excon.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The evaluator in process: kept objects, line numbers of errors, completeness, completion, interrupts. */
class CellEvaluatorTest {

    private static final AtomicInteger BEFORE_TASK = new AtomicInteger();
    private static CellThread thread;
    private static CellEvaluator evaluator;

    @BeforeAll
    static void start() {
        thread = new CellThread(BEFORE_TASK::incrementAndGet);
        evaluator = new CellEvaluator(thread, CellEvaluatorTest.class.getClassLoader());
        assertEquals(List.of(), evaluator.warmUp(List.of("import java.util.*;", "import dev.excon.data.*;")));
    }

    @AfterAll
    static void stop() {
        evaluator.close();
        thread.shutdown();
    }

    private static String text(CellFailure f) {
        return String.join("\n", f.traceback()).replaceAll("\u001b\\[[0-9;]*m", "");
    }

    @Test
    void theLastExpressionIsTheRealObject() throws CellFailure {
        CellEvaluator.Value v = evaluator.eval("var sb = new StringBuilder(\"ab\");\nsb.append('c');\nsb", 1, 0);
        assertInstanceOf(StringBuilder.class, v.value());
        assertEquals("abc", v.value().toString());
        assertNull(evaluator.eval("int declared = 3;", 2, 0), "a declaration has no value to show");
        assertEquals(4, evaluator.eval("declared + 1", 3, 0).value());
        CellEvaluator.Value none = evaluator.eval("String nothing = null;\nnothing", 4, 0);
        assertNotNull(none, "a null expression is still a value");
        assertNull(none.value());
        assertTrue(BEFORE_TASK.get() > 0, "the before-each-task hook runs on the cell thread");
    }

    @Test
    void runtimeErrorsNameTheCellLineAfterBlankAndCommentLines() {
        CellFailure f = assertThrows(CellFailure.class, () -> evaluator.eval(
                "\n\n// a comment\nint zero = 0;\n\n// another\nint bad = 10 / zero;", 5, 0));
        assertEquals("java.lang.ArithmeticException", f.name());
        assertEquals("/ by zero", f.getMessage());
        assertTrue(text(f).contains("at cell line 7"), text(f));

        CellFailure offset = assertThrows(CellFailure.class, () -> evaluator.eval("Object o = null;\no.hashCode();",
                6, 4));
        assertTrue(text(offset).contains("at cell line 6"), "code starting on line 5 of its cell: " + text(offset));
        assertFalse(text(offset).contains("REPL.$JShell"), text(offset));
    }

    @Test
    void errorsInsideMethodsOfEarlierCellsPointThere() throws CellFailure {
        evaluator.eval("int half(int x) {\n    if (x < 0) throw new IllegalArgumentException(\"x=\" + x);\n"
                + "    return x / 2;\n}", 10, 0);
        CellFailure f = assertThrows(CellFailure.class, () -> evaluator.eval("int y = 1;\nhalf(-4)", 11, 0));
        String t = text(f);
        assertTrue(t.startsWith("java.lang.IllegalArgumentException: x=-4"), t);
        assertTrue(t.contains("at line 2 of cell [10] (in half)"), t);
        assertTrue(t.contains("at cell line 2"), t);
    }

    @Test
    void aParameterErrorIsItsMessageAlone() {
        CellFailure f = assertThrows(CellFailure.class, () -> evaluator.eval(
                "String choice = \"tpu\";\ndev.excon.notebook.Notebook.useDevice(choice)", 14, 0));
        assertEquals("dev.excon.notebook.ParameterException", f.name());
        assertEquals(List.of("dev.excon.notebook.ParameterException: device=tpu is not a device: use auto, cpu, gpu or "
                + "gpu:N"), List.of(text(f).split("\n")), "the fix is on the command line: no frames");
    }

    @Test
    void compileErrorsShowTheLineAndAMarker() {
        CellFailure f = assertThrows(CellFailure.class, () -> evaluator.eval("int ok = 1;\n\nString s = ok;", 12, 0));
        assertEquals("CompileError", f.name());
        String t = text(f);
        assertTrue(t.contains("incompatible types: int cannot be converted to java.lang.String"), t);
        assertTrue(t.contains("cell line 3: String s = ok;"), t);
        assertTrue(t.contains("^^"), t);
        CellFailure unfinished = assertThrows(CellFailure.class, () -> evaluator.eval("int x = (1 + ", 13, 0));
        assertTrue(text(unfinished).contains("reached end of file"), text(unfinished));
    }

    @Test
    void completenessAndIndent() {
        assertEquals("complete", evaluator.isComplete("int a = 1;\nint b = 2;"));
        assertEquals("complete", evaluator.isComplete(""));
        assertEquals("", evaluator.isComplete("int a ="));
        assertEquals("    ", evaluator.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("invalid", evaluator.isComplete("}"), "UNKNOWN is invalid, not complete");
    }

    @Test
    void completionAndDocumentationWorkInTheSnippetUnderTheCursor() {
        String code = "int n = 1;\nDatasets.fash";
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> s = evaluator.complete(code, code.length(), anchor);
        assertTrue(s.stream().anyMatch(x -> x.continuation().equals("fashionMnist(")), s.toString());
        assertEquals(code.indexOf("fash"), anchor[0]);
        List<SourceCodeAnalysis.Documentation> d = evaluator.documentation("int q = 2;\nMath.max", 19);
        assertTrue(d.stream().anyMatch(x -> x.signature().contains("max(int a, int b)")), d.toString());
    }

    /** Runs a cell on another thread; its failure, or null when it ended without one. */
    private static CompletableFuture<CellFailure> evalAsync(String code, int cell) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                evaluator.eval(code, cell, 0);
                return null;
            } catch (CellFailure f) {
                return f;
            }
        });
    }

    /** Waits for the cell's {@link CellSignal#running()}; the minute only keeps a broken cell from hanging the build. */
    private static void awaitRunning(CountDownLatch running) throws InterruptedException {
        assertTrue(running.await(1, TimeUnit.MINUTES), "the cell never said it was running");
    }

    @Test
    void anInterruptEndsASleepThroughItsFlagNotByForce() throws Exception {
        CountDownLatch running = CellSignal.arm();
        // One snippet (a block): between two snippets an interrupt would find no task to stop.
        CompletableFuture<CellFailure> result = evalAsync(
                "{\n    dev.excon.notebook.kernel.CellSignal.running();\n    Thread.sleep(60_000);\n}", 20);
        awaitRunning(running);
        thread.interrupt();
        CellFailure f = result.get(2, TimeUnit.MINUTES);
        assertNotNull(f, "the interrupt did not reach the sleep: it ran its whole minute");
        // InterruptedException: the flag woke the sleep. A forced stop after the grace period would be
        // CellStoppedException.
        assertEquals("java.lang.InterruptedException", f.name(), text(f));
    }

    @Test
    void aBusyLoopIsStoppedByForceAfterTheGracePeriodAndTheNextCellRunsOnAFreshThread() throws Exception {
        evaluator.eval("long spins = 0;", 30, 0);
        String before = evaluator.eval("Thread.currentThread().getName()", 30, 0).value().toString();
        CountDownLatch running = CellSignal.arm();
        CompletableFuture<CellFailure> result = evalAsync(
                "while (true) { if (spins++ == 0) dev.excon.notebook.kernel.CellSignal.running(); }", 31);
        awaitRunning(running);
        long start = System.nanoTime();
        thread.interrupt();
        CellFailure f = result.get(2, TimeUnit.MINUTES);
        long nanos = System.nanoTime() - start;
        assertNotNull(f, "the loop ended without an error");
        assertEquals(CellStoppedException.class.getName(), f.name());
        assertTrue(nanos >= TimeUnit.MILLISECONDS.toNanos(CellThread.GRACE_MILLIS),
                "stopped " + nanos / 1e6 + " ms after the interrupt, before its grace period of "
                        + CellThread.GRACE_MILLIS + " ms");
        assertEquals(Boolean.TRUE, evaluator.eval("spins > 0", 32, 0).value());
        String after = evaluator.eval("Thread.currentThread().getName()", 33, 0).value().toString();
        assertTrue(after.startsWith("excon-cell-") && !after.equals(before), before + " -> " + after);
    }

    @Test
    void aStackOverflowShowsItsFirstFramesAndCountsTheRest() throws CellFailure {
        evaluator.eval("int down(int n) { return down(n + 1); }\nStackOverflowError overflow = null;", 60, 0);
        CellFailure f = assertThrows(CellFailure.class, () -> evaluator.eval(
                "try {\n    down(0);\n} catch (StackOverflowError e) {\n    overflow = e;\n    throw e;\n}", 61, 0));
        assertEquals("java.lang.StackOverflowError", f.name());
        // The error's own depth, from the error object the cell kept: every frame of it is a call of down().
        int depth = (Integer) evaluator.eval("overflow.getStackTrace().length", 62, 0).value();
        List<String> lines = List.of(text(f).split("\n"));
        assertTrue(lines.size() <= 8, lines.size() + " lines:\n" + text(f));
        List<String> frames = lines.stream().filter(l -> l.startsWith("    at ")).toList();
        assertEquals(List.of("    at line 1 of cell [60] (in down)"), frames.stream().distinct().toList());
        assertEquals("    ... " + (depth - frames.size()) + " more", lines.get(lines.size() - 1),
                "a trace of " + depth + " frames, " + frames.size() + " shown:\n" + text(f));
    }

    @Test
    void anInterruptBetweenTwoPartsOfACellStopsTheNextPart() throws Exception {
        thread.cellStarted();
        try {
            thread.interrupt(); // nothing runs: the cell is, say, compiling its next snippet
            CellFailure f = assertThrows(CellFailure.class, () -> evaluator.eval("int afterInterrupt = 1;", 40, 0));
            assertEquals("java.lang.InterruptedException", f.name());
        } finally {
            thread.cellEnded();
        }
        thread.interrupt(); // between cells: nothing to stop, nothing kept
        assertEquals(2, evaluator.eval("1 + 1", 41, 0).value());
    }
}
