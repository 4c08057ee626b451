package dev.excon.data.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.data.download.Fixtures.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests read from an archive without unpacking it agree with the files, and survive a write and a read. */
class ManifestTest {

    @TempDir
    Path tmp;

    private static Map<String, String> expectedSums(Map<String, byte[]> files, String dir) {
        Map<String, String> m = new TreeMap<>();
        files.forEach((k, v) -> m.put(k.substring(dir.length() + 1), Fixtures.sha256(v)));
        return m;
    }

    @Test
    void tarGzAndZipEntriesUnderTheDataSetDirectory() throws IOException {
        Path tgz = Files.write(tmp.resolve("cifar-100-binary.tar.gz"), Fixtures.tarGz(Fixtures.cifar100Files()));
        Manifest m = Manifest.ofArchive(tgz, DatasetSource.CIFAR_100);
        assertEquals(expectedSums(Fixtures.cifar100Files(), "cifar-100-binary"), m.sha256());
        assertEquals(DatasetSource.CIFAR_100.checksum(), m.archiveChecksum());

        Path zip = Files.write(tmp.resolve("tiny-imagenet-200.zip"), Fixtures.zip(Fixtures.tinyImageNetFiles()));
        assertEquals(expectedSums(Fixtures.tinyImageNetFiles(), "tiny-imagenet-200"),
                Manifest.ofArchive(zip, DatasetSource.TINY_IMAGENET).sha256());
    }

    @Test
    void hardLinksTakeTheirTargetsContentAndOtherDirectoriesAreIgnored() throws IOException {
        byte[] data = Fixtures.random(100, 5);
        Path tar = Files.write(tmp.resolve("CIFAR-100-C.tar"), Fixtures.tar(List.of(
                Entry.file("CIFAR-100-C/fog.npy", data),
                Entry.hardLink("CIFAR-100-C/fog-copy.npy", "CIFAR-100-C/fog.npy"),
                Entry.file("elsewhere/readme.txt", data))));
        Manifest m = Manifest.ofArchive(tar, DatasetSource.CIFAR_100_C);
        assertEquals(Map.of("fog.npy", Fixtures.sha256(data), "fog-copy.npy", Fixtures.sha256(data)), m.sha256());
    }

    @Test
    void writeThenReadGivesTheSameManifest() throws IOException {
        Manifest m = new Manifest("x.tar.gz", Checksum.md5("03b5dce01913d631647c71ecec9e9cb8"),
                new TreeMap<>(Map.of("a/b.bin", Fixtures.sha256(new byte[] {1}), "c.txt", Fixtures.sha256(new byte[0]))));
        Path file = tmp.resolve(Manifest.FILE_NAME);
        m.write(file);
        assertEquals(m, Manifest.read(file).orElseThrow());
        assertTrue(Manifest.read(tmp.resolve("absent")).isEmpty());

        Files.writeString(file, "# archive: x\n# archive checksum: MD5 03b5dce01913d631647c71ecec9e9cb8\nnot hex  a\n");
        IOException e = assertThrows(IOException.class, () -> Manifest.read(file));
        assertTrue(e.getMessage().contains(file + " line 3"), e.getMessage());
    }

    @Test
    void damagedArchiveIsRefused() throws IOException {
        byte[] tgz = Fixtures.tarGz(Fixtures.cifar100Files());
        tgz[tgz.length - 2] ^= 1; // inside the stored length (ISIZE)
        Path p = Files.write(tmp.resolve("cifar-100-binary.tar.gz"), tgz);
        IOException e = assertThrows(IOException.class, () -> Manifest.ofArchive(p, DatasetSource.CIFAR_100));
        assertTrue(e.getMessage().contains("size mismatch"), e.getMessage());
    }
}
