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

    @Test
    void anInterruptEndsASleepAtOnce() throws Exception {
        CompletableFuture<CellFailure> result = CompletableFuture.supplyAsync(() -> {
            try {
                evaluator.eval("Thread.sleep(30_000);", 20, 0);
                return null;
            } catch (CellFailure f) {
                return f;
            }
        });
        Thread.sleep(500);
        long start = System.nanoTime();
        thread.interrupt();
        CellFailure f = result.get(10, TimeUnit.SECONDS);
        assertEquals("java.lang.InterruptedException", f.name());
        assertTrue((System.nanoTime() - start) / 1e9 < 1, "stopped quickly");
    }

    @Test
    void aBusyLoopIsStoppedByForceAndTheNextCellRunsOnAFreshThread() throws Exception {
        evaluator.eval("long spins = 0;", 30, 0);
        CompletableFuture<CellFailure> result = CompletableFuture.supplyAsync(() -> {
            try {
                evaluator.eval("while (true) { spins++; }", 31, 0);
                return null;
            } catch (CellFailure f) {
                return f;
            }
        });
        Thread.sleep(300);
        long start = System.nanoTime();
        thread.interrupt();
        CellFailure f = result.get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(CellStoppedException.class.getName(), f.name());
        assertTrue(seconds >= CellThread.GRACE_MILLIS / 1000.0 - 0.1 && seconds < 4, seconds + " s");
        assertEquals(Boolean.TRUE, evaluator.eval("spins > 0", 32, 0).value());
        assertEquals("excon-cell-", evaluator.eval("Thread.currentThread().getName()", 33, 0).value().toString()
                .replaceAll("\\d+$", ""));
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
