package dev.excon.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;

/** Cutting cells into code and magics, magic arguments, history lookups, the incomplete-code indent. */
class CellPartsTest {

    @Test
    void magicLinesBetweenCodeKeepTheirLines() {
        List<CellParts.Part> parts = CellParts.split("int a = 1;\n%excon seed 7\n\nint b = a;\n  %maven g:a:1", c -> false);
        assertEquals(4, parts.size());
        assertEquals(CellParts.Kind.CODE, parts.get(0).kind());
        assertEquals(0, parts.get(0).firstLine());
        assertEquals("excon", parts.get(1).name());
        assertEquals(List.of("seed", "7"), parts.get(1).args());
        assertEquals(1, parts.get(1).firstLine());
        assertEquals("\nint b = a;", parts.get(2).text());
        assertEquals(2, parts.get(2).firstLine());
        assertEquals("maven", parts.get(3).name());
        assertEquals(4, parts.get(3).firstLine());
    }

    @Test
    void aPercentLineInsideUnfinishedCodeIsJava() {
        List<CellParts.Part> parts = CellParts.split("int r = 10\n%b;", c -> c.trim().endsWith("10"));
        assertEquals(1, parts.size());
        assertEquals(CellParts.Kind.CODE, parts.get(0).kind());
    }

    @Test
    void cellMagicTakesTheRestOfTheCell() {
        List<CellParts.Part> parts = CellParts.split("%%timeit -n 3\nint x = 1;\nx", c -> false);
        assertEquals(1, parts.size());
        assertEquals(CellParts.Kind.CELL_MAGIC, parts.get(0).kind());
        assertEquals("timeit", parts.get(0).name());
        assertEquals(List.of("-n", "3"), parts.get(0).args());
        assertEquals("int x = 1;\nx", parts.get(0).text());
    }

    @Test
    void argumentsHonourQuotesAndEscapes() {
        assertEquals(List.of("a", "b c", "d\"e", ""), CellParts.arguments(" a \"b c\" d\\\"e \"\""));
        assertEquals(List.of(), CellParts.arguments("   "));
    }

    @Test
    void maskingKeepsOffsets() {
        String cell = "%excon env\nint x = 1;";
        String masked = CellParts.maskMagics(cell);
        assertEquals(cell.length(), masked.length());
        assertTrue(masked.endsWith("int x = 1;"));
        assertFalse(masked.contains("%"));
    }

    @Test
    void historyTailRangeAndGlobSearch() {
        SessionHistory h = new SessionHistory();
        h.add(1, "6*7", "42");
        h.add(2, "int x = 3;", "");
        h.add(3, "6*7", "42");
        h.add(4, "x + 1", "4");
        EnumSet<ResultFlag> none = EnumSet.noneOf(ResultFlag.class);
        List<HistoryEntry> tail = h.lookupTail(2, none);
        assertEquals(List.of(3, 4), tail.stream().map(HistoryEntry::getCellNumber).toList());
        assertEquals(1, h.lookupRange(SessionHistory.SESSION, 2, 3, none).size());
        assertEquals(0, h.lookupRange(-1, 1, 5, none).size(), "earlier sessions are not kept");
        assertEquals(2, h.search("6?7", 0, none).size());
        assertEquals(1, h.search("6?7", 0, EnumSet.of(ResultFlag.UNIQUE)).size());
        assertEquals(List.of(2, 4), h.search("*x*", 0, none).stream().map(HistoryEntry::getCellNumber).toList());
        assertEquals(1, h.search("[6]*", 1, none).size());
        assertEquals("4", h.lookupTail(1, EnumSet.of(ResultFlag.INCLUDE_OUTPUT)).get(0).getOutput());
    }

    @Test
    void indentFollowsTheLastLine() {
        assertEquals("    ", Indent.after("for (;;) {\n"));
        assertEquals("        ", Indent.after("void f() {\n    if (x) {"));
        assertEquals("    ", Indent.after("void f() {\n    int y ="));
        assertEquals("", Indent.after("int y ="));
    }
}
