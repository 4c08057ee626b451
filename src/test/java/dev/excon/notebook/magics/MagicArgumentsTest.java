package dev.excon.notebook.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %maven}, {@code %classpath} and {@code %jars} in process: no argument prints the usage, a wrong one fails
 * with a UsageError naming it, before anything reaches the kernel (there is none here: a magic that got as far as
 * the kernel would fail on the null instead).
 */
class MagicArgumentsTest {

    @TempDir
    Path tmp;

    private static String printed(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentPrintsTheUsage() {
        assertTrue(printed(() -> new MavenMagic().eval(null, List.of())).startsWith("usage: %maven"));
        assertTrue(printed(() -> new ClasspathMagic(false).eval(null, List.of())).startsWith("usage: %classpath"));
        assertTrue(printed(() -> new ClasspathMagic(true).eval(null, List.of())).startsWith("usage: %jars"));
    }

    @Test
    void aMalformedCoordinateIsAUsageError() {
        MagicException e = assertThrows(MagicException.class,
                () -> new MavenMagic().eval(null, List.of("org.opentest4j:opentest4j:1.3.0", "foo")));
        assertEquals("UsageError", e.errorName());
        assertTrue(e.getMessage().contains("'foo' is not a Maven coordinate") && e.getMessage().contains(
                "group:artifact:version"), e.getMessage());
        assertEquals(List.of(MavenMagic.USAGE.split("\n")), e.details());
    }

    @Test
    void aPropertyWithoutANameOrAnUnknownOptionIsAUsageError() {
        for (String bad : List.of("-D", "-D=x", "--offline")) {
            MagicException e = assertThrows(MagicException.class,
                    () -> new MavenMagic().eval(null, List.of(bad, "org.opentest4j:opentest4j:1.3.0")));
            assertEquals("UsageError", e.errorName(), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void settingsPrintsWhereArtifactsComeFrom() {
        String out = printed(() -> new MavenMagic().eval(null, List.of("--settings")));
        assertTrue(out.contains("local repository: ") && out.contains("offline: ") && out.contains("repository "),
                out);
    }

    /** JUnit's jar on this JVM's class path carries its pom.properties: it is the kernel's, nothing is resolved. */
    @Test
    void anArtifactTheKernelHasIsNamedWithItsVersionAndNotResolved() {
        String out = printed(() -> new MavenMagic().eval(null, List.of("org.junit.jupiter:junit-jupiter-api:1.0")));
        assertTrue(out.startsWith("org.junit.jupiter:junit-jupiter-api is already on the kernel's class path (version "
                + Test.class.getPackage().getImplementationVersion()), out);
    }

    @Test
    void aMissingPathIsAUsageErrorAndNothingIsAdded() throws IOException {
        Path jar = Files.createFile(tmp.resolve("real.jar"));
        String missing = tmp.resolve("nonexistent").toString();
        MagicException e = assertThrows(MagicException.class,
                () -> new ClasspathMagic(false).eval(null, List.of(jar.toString(), missing)));
        assertEquals("UsageError", e.errorName());
        assertTrue(e.getMessage().startsWith("not found: " + missing + " (") && e.getMessage().contains(
                "nothing was added"), e.getMessage());
        assertEquals(List.of(new ClasspathMagic(false).usage()), e.details());
    }

    @Test
    void jarsRefusesAFileThatIsNotAJarAndADirectoryWithoutJars() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "x");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        MagicException e = assertThrows(MagicException.class,
                () -> new ClasspathMagic(true).eval(null, List.of(text.toString(), empty.toString())));
        assertTrue(e.getMessage().contains(text + " (not a .jar)") && e.getMessage().contains(empty
                + " (no .jar in it)"), e.getMessage());
    }
}
