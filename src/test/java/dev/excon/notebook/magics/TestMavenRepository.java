package dev.excon.notebook.magics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A Maven repository laid out on disk by a test: real jars (zip files holding one text resource), POMs, {@code
 * maven-metadata.xml} files, and {@code .sha1} checksums beside each file unless asked otherwise.
 */
final class TestMavenRepository {

    final Path root;

    TestMavenRepository(Path root) {
        this.root = root;
    }

    Path dir(String g, String a, String v) throws IOException {
        return Files.createDirectories(root.resolve(g.replace('.', '/')).resolve(a).resolve(v));
    }

    /** A POM with the given body inside {@code <project>}; returns its path. */
    Path pom(String g, String a, String v, String body, boolean checksum) throws IOException {
        String text = "<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">"
                + "<modelVersion>4.0.0</modelVersion>" + body + "</project>\n";
        return write(dir(g, a, v).resolve(a + "-" + v + ".pom"), text.getBytes(StandardCharsets.UTF_8), checksum);
    }

    /** POM with its own coordinates, then {@code body}. */
    Path project(String g, String a, String v, String body) throws IOException {
        return pom(g, a, v, coordinates(g, a, v) + body, true);
    }

    static String coordinates(String g, String a, String v) {
        return "<groupId>" + g + "</groupId><artifactId>" + a + "</artifactId><version>" + v + "</version>";
    }

    /** A jar whose resource {@code excon-test/<artifactId>.txt} says {@code text}. */
    Path jar(Path file, String artifactId, String text, boolean checksum) throws IOException {
        return write(file, jarBytes(artifactId, text, null), checksum);
    }

    /** A jar and its POM ({@code body} after the coordinates), both with checksums. */
    void artifact(String g, String a, String v, String body) throws IOException {
        project(g, a, v, body);
        jar(dir(g, a, v).resolve(a + "-" + v + ".jar"), a, g + ":" + a + ":" + v, true);
    }

    /** A jar's bytes; with {@code pomProperties} ("g:a:v") it also carries META-INF/maven/g/a/pom.properties. */
    static byte[] jarBytes(String artifactId, String text, String pomProperties) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        var bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.putNextEntry(new JarEntry("excon-test/" + artifactId + ".txt"));
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            if (pomProperties != null) {
                String[] c = pomProperties.split(":");
                out.putNextEntry(new JarEntry("META-INF/maven/" + c[0] + "/" + c[1] + "/pom.properties"));
                out.write(("groupId=" + c[0] + "\nartifactId=" + c[1] + "\nversion=" + c[2] + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** {@code maven-metadata.xml} listing released versions, the last one as latest and release. */
    void versions(String g, String a, List<String> versions) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<metadata><groupId>" + g + "</groupId>"
                + "<artifactId>" + a + "</artifactId><versioning><latest>" + versions.get(versions.size() - 1)
                + "</latest><release>" + versions.get(versions.size() - 1) + "</release><versions>");
        for (String v : versions) {
            xml.append("<version>").append(v).append("</version>");
        }
        xml.append("</versions><lastUpdated>20250101120000</lastUpdated></versioning></metadata>\n");
        Path dir = Files.createDirectories(root.resolve(g.replace('.', '/')).resolve(a));
        write(dir.resolve("maven-metadata.xml"), xml.toString().getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * A deployed snapshot: builds 1 and 2 of {@code version} (a -SNAPSHOT) on the same day, the metadata pointing at
     * build 2; each jar's resource says which build it is.
     */
    void snapshot(String g, String a, String version) throws IOException {
        String base = version.substring(0, version.length() - "-SNAPSHOT".length());
        Path dir = dir(g, a, version);
        for (int build = 1; build <= 2; build++) {
            String v = base + "-20250101.12000" + build + "-" + build;
            pom(g, a, version, coordinates(g, a, version), true);
            Files.move(dir.resolve(a + "-" + version + ".pom"), dir.resolve(a + "-" + v + ".pom"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(dir.resolve(a + "-" + version + ".pom.sha1"), dir.resolve(a + "-" + v + ".pom.sha1"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            jar(dir.resolve(a + "-" + v + ".jar"), a, "build " + build, true);
        }
        String latest = base + "-20250101.120002-2";
        String xml = "<?xml version=\"1.0\"?>\n<metadata modelVersion=\"1.1.0\"><groupId>" + g + "</groupId>"
                + "<artifactId>" + a + "</artifactId><version>" + version + "</version><versioning><snapshot>"
                + "<timestamp>20250101.120002</timestamp><buildNumber>2</buildNumber></snapshot>"
                + "<lastUpdated>20250101120002</lastUpdated><snapshotVersions>"
                + "<snapshotVersion><extension>jar</extension><value>" + latest + "</value>"
                + "<updated>20250101120002</updated></snapshotVersion>"
                + "<snapshotVersion><extension>pom</extension><value>" + latest + "</value>"
                + "<updated>20250101120002</updated></snapshotVersion>"
                + "</snapshotVersions></versioning></metadata>\n";
        write(dir.resolve("maven-metadata.xml"), xml.getBytes(StandardCharsets.UTF_8), true);
    }

    static Path write(Path file, byte[] body, boolean checksum) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, body);
        if (checksum) {
            Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), sha1(body));
        }
        return file;
    }

    static String sha1(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a settings.xml. */
    static Path settings(Path file, String body) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("<?xml version=\"1.0\"?>\n<settings xmlns=\"http://maven.apache.org/SETTINGS/1.0.0\">" + body
                    + "</settings>\n").getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
