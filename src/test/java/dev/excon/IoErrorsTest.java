package dev.excon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The causes Java's I/O messages hide, as the JDK really reports them. */
class IoErrorsTest {

    @TempDir
    Path tmp;

    @Test
    void aFullDiskAReadOnlyFileSystemAndADeniedWriteKeepTheirCauseAndFix() {
        Path dir = Path.of("/runs/a");
        // What FileOutputStream.write throws on ENOSPC, and NIO on EROFS / EACCES.
        IOException full = new IOException("No space left on device");
        assertEquals("no space left on device; free space on the file system of /runs/a (df -h /runs/a)",
                IoErrors.explain(full, dir));
        IOException readOnly = new FileSystemException("/runs/a/x.tmp", null, "Read-only file system");
        assertEquals("read-only file system; /runs/a is on a read-only file system: use a writable directory",
                IoErrors.explain(readOnly, dir));
        IOException denied = new AccessDeniedException("/runs/a/x.tmp");
        assertEquals("permission denied; make /runs/a writable for you (ls -ld /runs/a), or use another directory",
                IoErrors.explain(denied, dir));
        assertEquals("something odd", IoErrors.explain(new IOException("Something odd"), dir), "no advice to give");
    }

    @Test
    void aRealErrorFromTheFileSystemIsDescribed() {
        Path file = tmp.resolve("missing/dir/file");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> Files.writeString(file, "x"));
        assertTrue(IoErrors.describe(e).startsWith("no such file or directory"), IoErrors.describe(e));
    }
}
