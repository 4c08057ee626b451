package dev.excon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    @Test
    void replacesTheFileWholeAndLeavesNoTemporary() throws Exception {
        Path f = tmp.resolve("a/b/report.html");
        AtomicFiles.writeString(f, "first");
        AtomicFiles.writeString(f, "second \u00e9");
        assertEquals("second \u00e9", Files.readString(f));
        assertFalse(Files.exists(AtomicFiles.temporaryFor(f)));
        assertEquals(f.toAbsolutePath().getParent(), AtomicFiles.temporaryFor(f).getParent(), "same directory");
    }

    @Test
    void aFailedWriteKeepsThePreviousFileAndNamesTheTarget() throws Exception {
        Path f = tmp.resolve("kept.json");
        AtomicFiles.writeString(f, "old");
        Files.createDirectories(AtomicFiles.temporaryFor(f)); // the temporary cannot be written: a directory is there
        Files.writeString(AtomicFiles.temporaryFor(f).resolve("x"), "blocks deletion too");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(f, "new"));
        assertTrue(e.getMessage().startsWith("cannot write " + f), e.getMessage());
        assertEquals("old", Files.readString(f));
    }
}
