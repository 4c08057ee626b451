package dev.excon.data.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The catalogue: published values pinned, names consistent with the URLs and the readers' directories. */
class DatasetSourceTest {

    @Test
    void publishedChecksumsAndDirectoriesArePinned() {
        assertEquals(Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530"), DatasetSource.CIFAR_10.checksum());
        assertEquals(Checksum.md5("03b5dce01913d631647c71ecec9e9cb8"), DatasetSource.CIFAR_100.checksum());
        assertEquals(Checksum.md5("90528d7ca1a48142e341f4ef8d21d0de"), DatasetSource.TINY_IMAGENET.checksum());
        assertEquals(Checksum.md5("11f0ed0f1191edbf9fa23466ae6021d3"), DatasetSource.CIFAR_100_C.checksum());
        assertEquals(List.of("cifar-10-batches-bin", "cifar-100-binary", "tiny-imagenet-200", "CIFAR-100-C"),
                DatasetSource.known().stream().map(DatasetSource::directory).collect(Collectors.toList()));
        assertEquals(20, DatasetSource.CIFAR_100_C.proofFiles().size(), "19 corruptions and labels.npy");
    }

    @Test
    void fileNamesMatchTheUrlsAndFormats() {
        for (DatasetSource s : DatasetSource.known()) {
            String path = s.url().getPath();
            assertEquals(s.fileName(), path.substring(path.lastIndexOf('/') + 1), s.name());
        }
        assertEquals(ArchiveFormat.TAR_GZ, DatasetSource.CIFAR_100.format());
        assertEquals(ArchiveFormat.ZIP, DatasetSource.TINY_IMAGENET.format());
        assertEquals(ArchiveFormat.TAR, DatasetSource.CIFAR_100_C.format());
    }

    @Test
    void byNameIgnoresCaseAndPunctuation() {
        assertEquals(Optional.of(DatasetSource.CIFAR_100), DatasetSource.byName("CIFAR-100"));
        assertEquals(Optional.of(DatasetSource.CIFAR_100_C), DatasetSource.byName("cifar_100_c"));
        assertEquals(Optional.of(DatasetSource.TINY_IMAGENET), DatasetSource.byName("TinyImageNet"));
        assertEquals(Optional.empty(), DatasetSource.byName("mnist"));
    }

    @Test
    void unsafeNamesAreRejected() {
        URI url = URI.create("http://example.org/x.tar");
        Checksum c = Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530");
        IllegalArgumentException dir = assertThrows(IllegalArgumentException.class,
                () -> new DatasetSource("x", url, "x.tar", c, "../x", List.of("a")));
        assertTrue(dir.getMessage().contains("../x"), dir.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new DatasetSource("x", url, "x.tar", c, ".downloads", List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> new DatasetSource("x", url, "x.tar", c, "x",
                List.of("/etc/passwd")));
        assertThrows(IllegalArgumentException.class, () -> new DatasetSource("x", url, "x.tar", c, "x",
                List.of("../a")));
        assertThrows(IllegalArgumentException.class, () -> new DatasetSource("x", url, "x.rar", c, "x",
                List.of("a")));
    }
}
