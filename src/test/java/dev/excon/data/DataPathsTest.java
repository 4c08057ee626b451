package dev.excon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A place that was given and does not exist is an error naming it; only the default {@code ./data} falls back. */
class DataPathsTest {

    @TempDir
    Path tmp;

    private static UnaryOperator<String> of(Map<String, String> m) {
        return m::get;
    }

    private static final UnaryOperator<String> NONE = k -> null;

    @Test
    void givenRootThatDoesNotExistIsAnErrorNotTheFallback() throws IOException {
        Path fallback = Files.createDirectories(tmp.resolve("debian-copy"));
        Path missing = tmp.resolve("nonexistent");
        DatasetException e = assertThrows(DatasetException.class, () -> DataPaths.locate(
                of(Map.of("excon.data", missing.toString())), NONE, "EXCON_FASHION_MNIST", "fashion-mnist", fallback));
        assertEquals("the data root " + missing + " (given by --data or -Dexcon.data) does not exist: give the"
                + " directory that holds the data sets (fashion-mnist/ and the others), or leave it out to use ./data"
                + " (or, when that is absent, " + fallback + "); to fetch a data set there: EXCON_DATA=" + missing
                + " make download DATASET=...", e.getMessage());

        DatasetException env = assertThrows(DatasetException.class, () -> DataPaths.locate(NONE,
                of(Map.of("EXCON_DATA", missing.toString())), "EXCON_CIFAR100", "cifar-100-binary"));
        assertTrue(env.getMessage().startsWith("the data root " + missing + " (given by EXCON_DATA) does not exist"),
                env.getMessage());
    }

    @Test
    void givenRootThatIsAFileIsAnError() throws IOException {
        Path file = Files.writeString(tmp.resolve("data.txt"), "not a directory");
        DatasetException e = assertThrows(DatasetException.class, () -> DataPaths.locate(
                of(Map.of("excon.data", file.toString())), NONE, "EXCON_CIFAR10", "cifar-10-batches-bin"));
        assertTrue(e.getMessage().contains(file + " (given by --data or -Dexcon.data) is a file, not a directory"),
                e.getMessage());
    }

    @Test
    void givenDataSetVariableThatDoesNotExistIsAnError() throws IOException {
        Path fallback = Files.createDirectories(tmp.resolve("debian-copy"));
        Path missing = tmp.resolve("no-such-dir");
        DatasetException e = assertThrows(DatasetException.class, () -> DataPaths.locate(NONE,
                of(Map.of("EXCON_FASHION_MNIST", missing.toString())), "EXCON_FASHION_MNIST", "fashion-mnist",
                fallback));
        assertEquals("EXCON_FASHION_MNIST=" + missing + " does not exist: set EXCON_FASHION_MNIST to the directory"
                + " that holds the data set, or unset it to use data/fashion-mnist (or, when that is absent, "
                + fallback + ")", e.getMessage());
    }

    @Test
    void defaultRootFallsBackAndGivenRootsAreUsed() throws IOException {
        Path fallback = Files.createDirectories(tmp.resolve("debian-copy"));
        // Nothing given, ./data/<name> absent: the fallback (Debian's Fashion-MNIST in real use).
        assertEquals(fallback, DataPaths.locate(NONE, NONE, "EXCON_X", "no-such-data-set-here", fallback));
        // Nothing given and no fallback: the place to fill, for the reader's "not found" message.
        assertEquals(Path.of("data", "no-such-data-set-here"),
                DataPaths.locate(NONE, NONE, "EXCON_X", "no-such-data-set-here"));

        Path root = Files.createDirectories(tmp.resolve("root"));
        Path inRoot = Files.createDirectories(root.resolve("fashion-mnist"));
        assertEquals(inRoot, DataPaths.locate(of(Map.of("excon.data", root.toString())), NONE, "EXCON_FASHION_MNIST",
                "fashion-mnist", fallback));
        // The property wins over the variable, as documented.
        assertEquals(inRoot, DataPaths.locate(of(Map.of("excon.data", root.toString())),
                of(Map.of("EXCON_DATA", tmp.resolve("elsewhere").toString())), "EXCON_FASHION_MNIST",
                "fashion-mnist", fallback));
        Path own = Files.createDirectories(tmp.resolve("own"));
        assertEquals(own, DataPaths.locate(NONE, of(Map.of("EXCON_FASHION_MNIST", own.toString())),
                "EXCON_FASHION_MNIST", "fashion-mnist", fallback));
    }
}
