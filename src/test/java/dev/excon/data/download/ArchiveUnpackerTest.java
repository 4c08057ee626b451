package dev.excon.data.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.data.download.ArchiveUnpacker.UnsafeEntryException;
import dev.excon.data.download.Fixtures.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unpacker's refusals, one attack per test, on archives unpacked into {@code <tmp>/into}. */
class ArchiveUnpackerTest {

    private static final byte[] EVIL = "pwned".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    private Path into;

    @BeforeEach
    void makeTarget() throws IOException {
        into = Files.createDirectories(tmp.resolve("into"));
    }

    @Test
    void absoluteTarEntryIsRefused() throws IOException {
        Path outside = tmp.resolve("abs-evil.txt");
        Path archive = write("a.tar", Fixtures.tar(List.of(Entry.file(outside.toString(), EVIL))));

        UnsafeEntryException e = assertThrows(UnsafeEntryException.class,
                () -> ArchiveUnpacker.unpack(archive, ArchiveFormat.TAR, into));

        assertEquals(outside.toString(), e.entry());
        assertTrue(e.reason().contains("absolute"), e.reason());
        assertFalse(Files.exists(outside));
    }

    @Test
    void dotDotInsideTheTargetIsAllowedButClimbingOutIsNot() throws IOException {
        Path fine = write("fine.tar", Fixtures.tar(List.of(Entry.file("d/../ok.txt", EVIL))));
        ArchiveUnpacker.unpack(fine, ArchiveFormat.TAR, into);
        assertArrayEquals(EVIL, Files.readAllBytes(into.resolve("ok.txt")));

        Path bad = write("bad.tar", Fixtures.tar(List.of(Entry.file("d/../../evil.txt", EVIL))));
        UnsafeEntryException e = assertThrows(UnsafeEntryException.class,
                () -> ArchiveUnpacker.unpack(bad, ArchiveFormat.TAR, into));
        assertTrue(e.reason().contains("outside"), e.reason());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
    }

    @Test
    void symlinkToAbsolutePathIsRefused() throws IOException {
        Path archive = write("a.tar", Fixtures.tar(List.of(Entry.symlink("passwd", "/etc/passwd"))));

        UnsafeEntryException e = assertThrows(UnsafeEntryException.class,
                () -> ArchiveUnpacker.unpack(archive, ArchiveFormat.TAR, into));

        assertTrue(e.reason().contains("absolute path \"/etc/passwd\""), e.reason());
        assertFalse(Files.exists(into.resolve("passwd"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void symlinkInsideTheTargetIsUnpackedAndWritesThroughItStayInside() throws IOException {
        Path archive = write("a.tar", Fixtures.tar(List.of(
                Entry.file("real/keep.txt", EVIL),
                Entry.symlink("alias", "real"),
                Entry.file("alias/new.txt", EVIL))));

        ArchiveUnpacker.unpack(archive, ArchiveFormat.TAR, into);

        assertTrue(Files.isSymbolicLink(into.resolve("alias")));
        assertArrayEquals(EVIL, Files.readAllBytes(into.resolve("real/new.txt")));
    }

    @Test
    void chainOfInsideLookingLinksCannotCarryAWriteOutside() throws IOException {
        // Each link looks inside when read on its own; together, x/y really resolves to the parent of the target.
        Path archive = write("a.tar", Fixtures.tar(List.of(
                Entry.symlink("a/b", ".."),
                Entry.symlink("x", "a/b"),
                Entry.symlink("x/y", ".."),
                Entry.file("x/y/evil.txt", EVIL))));

        UnsafeEntryException e = assertThrows(UnsafeEntryException.class,
                () -> ArchiveUnpacker.unpack(archive, ArchiveFormat.TAR, into));

        assertEquals("x/y/evil.txt", e.entry());
        assertTrue(e.reason().contains("through a symbolic link"), e.reason());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
    }

    @Test
    void hardLinkCopiesAnEarlierFileAndCannotReachOutside() throws IOException {
        Path ok = write("ok.tar", Fixtures.tar(List.of(Entry.file("d/a.txt", EVIL), Entry.hardLink("d/b.txt",
                "d/a.txt"))));
        ArchiveUnpacker.unpack(ok, ArchiveFormat.TAR, into);
        assertArrayEquals(EVIL, Files.readAllBytes(into.resolve("d/b.txt")));

        Files.write(tmp.resolve("secret.txt"), EVIL);
        Path bad = write("bad.tar", Fixtures.tar(List.of(Entry.hardLink("copy.txt", "../secret.txt"))));
        UnsafeEntryException e = assertThrows(UnsafeEntryException.class,
                () -> ArchiveUnpacker.unpack(bad, ArchiveFormat.TAR, into));
        assertEquals("../secret.txt", e.entry());
        assertFalse(Files.exists(into.resolve("copy.txt")));
    }

    @Test
    void zipEntryWithBackslashesClimbingOutIsRefused() throws IOException {
        Path archive = write("a.zip", Fixtures.zip(Map.of("..\\..\\evil.txt", EVIL)));

        UnsafeEntryException e = assertThrows(UnsafeEntryException.class,
                () -> ArchiveUnpacker.unpack(archive, ArchiveFormat.ZIP, into));

        // commons-compress may already turn the backslashes into slashes; either way the entry is refused.
        assertTrue(e.entry().endsWith("evil.txt") && e.reason().contains("outside"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
    }

    @Test
    void deleteTreeRemovesLinksNotTheirTargets() throws IOException {
        Path keep = Files.write(tmp.resolve("keep.txt"), EVIL);
        Path dir = Files.createDirectories(tmp.resolve("tree/sub"));
        Files.createSymbolicLink(dir.resolve("link"), keep);
        Files.createSymbolicLink(dir.resolve("dirlink"), tmp);

        ArchiveUnpacker.deleteTree(tmp.resolve("tree"));

        assertFalse(Files.exists(tmp.resolve("tree")));
        assertArrayEquals(EVIL, Files.readAllBytes(keep));
    }

    /** 40,000 bytes that start with a marker the damage is placed by. */
    private static byte[] markedContent() {
        byte[] content = Fixtures.random(40_000, 7);
        System.arraycopy(MARKER, 0, content, 20_000, MARKER.length);
        return content;
    }

    private static final byte[] MARKER = "--- the middle of train.bin ---".getBytes(StandardCharsets.US_ASCII);

    @Test
    void tarGzWithFlippedBytesFailsItsCrcAtTheEnd() throws Exception {
        // Padded past tar's own 10 KiB record, as GNU tar -b 256 writes it: the tar reader stops before the gzip end.
        byte[] tar = java.util.Arrays.copyOf(
                Fixtures.tar(List.of(Entry.file("cifar-100-binary/train.bin", markedContent()))), 128 * 1024);
        byte[] damaged = Fixtures.flipAt(Fixtures.gzipStored(tar), MARKER, 100);
        Path archive = write("damaged.tar.gz", damaged);
        dev.excon.data.SystemTools.gzipTest(archive)
                .ifPresent(r -> assertTrue(r.exitCode() != 0, "gzip -t accepted it: " + r.output()));

        IOException e = assertThrows(IOException.class, () -> ArchiveUnpacker.unpack(archive, ArchiveFormat.TAR_GZ, into));
        assertTrue(e.getMessage().contains("CRC32"), e.getMessage());
    }

    @Test
    void tarGzWithGarbageAfterItIsRefused() throws Exception {
        byte[] gz = Fixtures.gzip(Fixtures.tar(List.of(Entry.file("a.txt", EVIL))));
        byte[] withGarbage = java.util.Arrays.copyOf(gz, gz.length + 5);
        Path archive = write("garbage.tar.gz", withGarbage);
        withGarbage[gz.length] = 'x';
        Files.write(archive, withGarbage);
        dev.excon.data.SystemTools.gzipTest(archive)
                .ifPresent(r -> assertTrue(r.exitCode() != 0, "gzip -t accepted it: " + r.output()));
        IOException e = assertThrows(IOException.class, () -> ArchiveUnpacker.unpack(archive, ArchiveFormat.TAR_GZ, into));
        assertTrue(e.getMessage().contains("after a valid .gz stream"), e.getMessage());
    }

    @Test
    void zipEntryWithFlippedBytesFailsItsCrc() throws Exception {
        byte[] zip = Fixtures.storedZip(Map.of("tiny-imagenet-200/wnids.txt", markedContent()));
        Path intact = write("intact.zip", zip);
        ArchiveUnpacker.unpack(intact, ArchiveFormat.ZIP, into);
        Path damaged = write("damaged.zip", Fixtures.flipAt(zip, MARKER, 100));
        // The independent verdict: the system's unzip checks each entry's CRC-32 too.
        dev.excon.data.SystemTools.run(List.of("unzip", "-tq", damaged.toString()), null)
                .ifPresent(r -> assertTrue(r.exitCode() != 0, "unzip -t accepted it: " + r.output()));

        Path again = Files.createDirectories(tmp.resolve("again"));
        IOException e = assertThrows(IOException.class, () -> ArchiveUnpacker.unpack(damaged, ArchiveFormat.ZIP, again));
        assertTrue(e.getMessage().contains("tiny-imagenet-200/wnids.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }
}
