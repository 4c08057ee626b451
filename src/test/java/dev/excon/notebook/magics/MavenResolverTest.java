package dev.excon.notebook.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code %maven} resolver on a repository written by the test (no network): parents, properties, imported BOMs,
 * dependency management, scopes, optional and excluded dependencies, nearest-wins; downloads from a local HTTP
 * "remote" with SHA-1 checks; the kernel's own jars left out.
 */
class MavenResolverTest {

    @TempDir
    Path repo;

    private void pom(String g, String a, String v, String body) throws IOException {
        Path dir = repo.resolve(g.replace('.', '/')).resolve(a).resolve(v);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(a + "-" + v + ".pom"), "<?xml version=\"1.0\"?>\n<project xmlns="
                + "\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>" + body + "</project>");
    }

    private void jar(String g, String a, String v) throws IOException {
        Path dir = repo.resolve(g.replace('.', '/')).resolve(a).resolve(v);
        Files.createDirectories(dir);
        Files.write(dir.resolve(a + "-" + v + ".jar"), new byte[] {'P', 'K', 5, 6});
    }

    private void artifact(String g, String a, String v, String body) throws IOException {
        pom(g, a, v, "<groupId>" + g + "</groupId><artifactId>" + a + "</artifactId><version>" + v + "</version>"
                + body);
        jar(g, a, v);
    }

    private static String dep(String g, String a, String v, String extra) {
        return "<dependency><groupId>" + g + "</groupId><artifactId>" + a + "</artifactId>"
                + (v == null ? "" : "<version>" + v + "</version>") + extra + "</dependency>";
    }

    private void writeRepository() throws IOException {
        pom("org.ex", "bom", "1", "<groupId>org.ex</groupId><artifactId>bom</artifactId><version>1</version>"
                + "<packaging>pom</packaging><dependencyManagement><dependencies>" + dep("org.ex", "from-bom", "3.1", "")
                + "</dependencies></dependencyManagement>");
        pom("org.ex", "parent", "1", "<groupId>org.ex</groupId><artifactId>parent</artifactId><version>1</version>"
                + "<packaging>pom</packaging><properties><managed.version>2.0</managed.version></properties>"
                + "<dependencyManagement><dependencies>" + dep("org.ex", "managed", "${managed.version}", "")
                + dep("org.ex", "bom", "1", "<type>pom</type><scope>import</scope>")
                + "</dependencies></dependencyManagement>");
        artifact("org.ex", "app", "1.0", "<parent><groupId>org.ex</groupId><artifactId>parent</artifactId>"
                + "<version>1</version></parent><properties><managed.version>2.5</managed.version></properties>"
                + "<dependencies>"
                + dep("org.ex", "managed", null, "")
                + dep("org.ex", "from-bom", null, "")
                + dep("org.ex", "sibling", "${project.version}", "")
                + dep("org.ex", "lib", "1", "<exclusions><exclusion><groupId>org.ex</groupId>"
                        + "<artifactId>excluded</artifactId></exclusion></exclusions>")
                + dep("org.ex", "rt", "1", "<scope>runtime</scope>")
                + dep("org.ex", "opt", "1", "<optional>true</optional>")
                + dep("org.ex", "testonly", "1", "<scope>test</scope>")
                + dep("org.ex", "prov", "1", "<scope>provided</scope>")
                + dep("org.ex", "aggregate", "1", "<type>pom</type>")
                + "</dependencies>");
        artifact("org.ex", "managed", "2.5", "");
        artifact("org.ex", "from-bom", "3.1", "");
        artifact("org.ex", "sibling", "1.0", "");
        artifact("org.ex", "lib", "1", "<dependencies>" + dep("org.ex", "excluded", "1", "")
                + dep("org.ex", "managed", "9.9", "") + dep("org.ex", "deep", "1", "") + "</dependencies>");
        artifact("org.ex", "rt", "1", "");
        artifact("org.ex", "deep", "1", "");
        pom("org.ex", "aggregate", "1", "<groupId>org.ex</groupId><artifactId>aggregate</artifactId>"
                + "<version>1</version><packaging>pom</packaging><dependencies>" + dep("org.ex", "via-pom", "1", "")
                + "</dependencies>");
        artifact("org.ex", "via-pom", "1", "");
    }

    private static Map<String, String> versions(List<MavenResolver.Artifact> jars) {
        return jars.stream().collect(Collectors.toMap(a -> a.coordinate().artifactId(), a -> a.coordinate().version(),
                (x, y) -> x, java.util.LinkedHashMap::new));
    }

    @Test
    void resolvesTheModelAsMavenDoes() throws Exception {
        writeRepository();
        MavenResolver r = new MavenResolver(repo, List.of(), true, null);
        List<MavenResolver.Artifact> jars = r.resolve(MavenResolver.Coordinate.parse("org.ex:app:1.0"));
        Map<String, String> v = versions(jars);
        assertEquals("app", jars.get(0).coordinate().artifactId(), "the artifact first");
        assertEquals(Map.of("app", "1.0", "managed", "2.5", "from-bom", "3.1", "sibling", "1.0", "lib", "1", "rt", "1",
                "deep", "1", "via-pom", "1"), Map.copyOf(v));
        assertEquals("2.5", v.get("managed"), "the child's property wins over the parent's, nearest over 9.9");
        for (String absent : List.of("opt", "testonly", "prov", "excluded", "aggregate")) {
            assertFalse(v.containsKey(absent), absent);
        }
        for (MavenResolver.Artifact a : jars) {
            assertTrue(Files.isRegularFile(a.file()), a.toString());
            assertFalse(a.downloaded());
        }
    }

    @Test
    void theKernelsOwnArtifactsAreLeftOut() throws Exception {
        writeRepository();
        MavenResolver r = new MavenResolver(repo, List.of(), true, null)
                .provided(new MavenResolver.Provided(Set.of("org.ex:lib"), Set.of("rt")));
        Map<String, String> v = versions(r.resolve(MavenResolver.Coordinate.parse("org.ex:app:1.0")));
        assertFalse(v.containsKey("lib") || v.containsKey("deep") || v.containsKey("rt"), v.toString());
        assertTrue(r.isProvided(MavenResolver.Coordinate.parse("org.ex:lib:7")));
        MavenResolver.Provided fromPath = MavenResolver.Provided.of(repo.resolve("org/ex/rt/1/rt-1.jar").toString());
        assertTrue(fromPath.artifactIds().contains("rt"), fromPath.toString());
    }

    @Test
    void offlineMissingArtifactsAndBadCoordinatesSayWhatIsWrong() throws Exception {
        writeRepository();
        MavenResolver r = new MavenResolver(repo, List.of(MavenResolver.CENTRAL), true, null);
        MavenResolver.ResolutionException e = assertThrows(MavenResolver.ResolutionException.class,
                () -> r.resolve(MavenResolver.Coordinate.parse("org.ex:nothing:1")));
        assertTrue(e.getMessage().contains("not in the local repository") && e.getMessage().contains("nothing-1.pom"),
                e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> MavenResolver.Coordinate.parse("just-a-name"));
        assertTrue(bad.getMessage().contains("group:artifact:version"), bad.getMessage());
        assertEquals("g:a:jar:tests:1", MavenResolver.Coordinate.parse("g:a:jar:tests:1").toString());
    }

    @Test
    void downloadsFromARemoteIntoTheLocalRepositoryCheckingSha1() throws Exception {
        Path remote = repo.resolve("remote");
        Path local = repo.resolve("local");
        Map<String, byte[]> files = new ConcurrentHashMap<>();
        String pomText = "<project><modelVersion>4.0.0</modelVersion><groupId>org.net</groupId><artifactId>lib"
                + "</artifactId><version>2</version></project>";
        files.put("/org/net/lib/2/lib-2.pom", pomText.getBytes(StandardCharsets.UTF_8));
        files.put("/org/net/lib/2/lib-2.jar", new byte[] {1, 2, 3});
        files.put("/org/net/bad/1/bad-1.pom", ("<project><groupId>org.net</groupId><artifactId>bad</artifactId>"
                + "<version>1</version></project>").getBytes(StandardCharsets.UTF_8));
        files.put("/org/net/bad/1/bad-1.jar", new byte[] {9});
        for (String k : List.copyOf(files.keySet())) {
            files.put(k + ".sha1", sha1(files.get(k)).getBytes(StandardCharsets.US_ASCII));
        }
        files.put("/org/net/bad/1/bad-1.jar.sha1", "0000000000000000000000000000000000000000".getBytes());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = files.get(ex.getRequestURI().getPath());
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
            ex.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            MavenResolver r = new MavenResolver(local, List.of(uri), false, null);
            List<MavenResolver.Artifact> jars = r.resolve(MavenResolver.Coordinate.parse("org.net:lib:2"));
            assertEquals(1, jars.size());
            assertTrue(jars.get(0).downloaded());
            assertTrue(Files.isRegularFile(local.resolve("org/net/lib/2/lib-2.jar")));
            assertFalse(new MavenResolver(local, List.of(uri), false, null)
                    .resolve(MavenResolver.Coordinate.parse("org.net:lib:2")).get(0).downloaded(), "cached");
            MavenResolver.ResolutionException e = assertThrows(MavenResolver.ResolutionException.class,
                    () -> r.resolve(MavenResolver.Coordinate.parse("org.net:bad:1")));
            assertTrue(e.getMessage().contains("SHA-1"), e.getMessage());
            assertFalse(Files.exists(local.resolve("org/net/bad/1/bad-1.jar")), "a bad download is not kept");
        } finally {
            server.stop(0);
        }
        assertFalse(Files.exists(remote));
    }

    private static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }
}
