package dev.excon.notebook.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %maven}'s resolver (Apache Maven Resolver) against a real HTTP repository on 127.0.0.1 serving artifacts the
 * test generates: a parent POM, an imported BOM, dependency management, scopes, optional and excluded dependencies, a
 * relocation, profiles activated by JDK and by a property, a version range, a SNAPSHOT, a wrong and a missing
 * checksum, credentials and a proxy. Each test has its own local repository and settings.xml (a mirror of everything
 * onto the test server), so nothing reaches the user's ~/.m2 or the network.
 */
class MavenResolverTest {

    @TempDir
    static Path remote;

    static RepositoryServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void writeRepositoryAndServeIt() throws IOException {
        TestMavenRepository r = new TestMavenRepository(remote);
        String g = "org.ex";
        r.project(g, "bom", "1", "<packaging>pom</packaging><dependencyManagement><dependencies>"
                + dep(g, "from-bom", "3.1", "") + "</dependencies></dependencyManagement>");
        r.project(g, "parent", "1", "<packaging>pom</packaging><properties><managed.version>2.0</managed.version>"
                + "</properties><dependencyManagement><dependencies>" + dep(g, "managed", "${managed.version}", "")
                + dep(g, "bom", "1", "<type>pom</type><scope>import</scope>") + "</dependencies>"
                + "</dependencyManagement>");
        r.pom(g, "app", "1.0", "<parent><groupId>org.ex</groupId><artifactId>parent</artifactId><version>1</version>"
                + "</parent><artifactId>app</artifactId><version>1.0</version><properties><managed.version>2.5</managed.version>"
                + "</properties><dependencies>"
                + dep(g, "managed", null, "")
                + dep(g, "from-bom", null, "")
                + dep(g, "sibling", "${project.version}", "")
                + dep(g, "lib", "1", "<exclusions><exclusion><groupId>org.ex</groupId><artifactId>excluded"
                        + "</artifactId></exclusion></exclusions>")
                + dep(g, "rt", "1", "<scope>runtime</scope>")
                + dep(g, "opt", "1", "<optional>true</optional>")
                + dep(g, "testonly", "1", "<scope>test</scope>")
                + dep(g, "prov", "1", "<scope>provided</scope>")
                + dep(g, "aggregate", "1", "<type>pom</type>")
                + dep(g, "old-name", "1", "")
                + dep(g, "ranged", "[1.0,2.0)", "")
                + "</dependencies><profiles>"
                + "<profile><id>on-java-17</id><activation><jdk>[17,)</jdk></activation><dependencies>"
                + dep(g, "jdk-extra", "1", "") + "</dependencies></profile>"
                + "<profile><id>with-extra</id><activation><property><name>withExtra</name></property></activation>"
                + "<dependencies>" + dep(g, "prop-extra", "1", "") + "</dependencies></profile>"
                + "</profiles>", true);
        r.jar(r.dir(g, "app", "1.0").resolve("app-1.0.jar"), "app", "app", true);
        for (String a : List.of("from-bom:3.1", "managed:2.5", "sibling:1.0", "rt:1", "deep:1", "via-pom:1",
                "jdk-extra:1", "prop-extra:1", "opt:1", "testonly:1", "prov:1", "excluded:1", "standalone:1")) {
            r.artifact(g, a.split(":")[0], a.split(":")[1], "");
        }
        r.artifact(g, "lib", "1", "<dependencies>" + dep(g, "excluded", "1", "") + dep(g, "managed", "9.9", "")
                + dep(g, "deep", "1", "") + "</dependencies>");
        r.project(g, "aggregate", "1", "<packaging>pom</packaging><dependencies>" + dep(g, "via-pom", "1", "")
                + "</dependencies>");
        r.project(g, "old-name", "1", "<distributionManagement><relocation><groupId>org.ex.moved</groupId>"
                + "<artifactId>new-name</artifactId></relocation></distributionManagement>");
        r.artifact("org.ex.moved", "new-name", "1", "");
        for (String v : List.of("1.0", "1.5", "2.0")) {
            r.artifact(g, "ranged", v, "");
        }
        r.versions(g, "ranged", List.of("1.0", "1.5", "2.0"));
        r.snapshot(g, "snap", "1.0-SNAPSHOT");
        r.artifact(g, "bad-sum", "1", "");
        Files.writeString(r.dir(g, "bad-sum", "1").resolve("bad-sum-1.jar.sha1"),
                "0000000000000000000000000000000000000000");
        r.pom(g, "no-sum", "1", TestMavenRepository.coordinates(g, "no-sum", "1"), false);
        r.jar(r.dir(g, "no-sum", "1").resolve("no-sum-1.jar"), "no-sum", "no checksums", false);
        server = new RepositoryServer(remote);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String dep(String g, String a, String v, String extra) {
        return "<dependency><groupId>" + g + "</groupId><artifactId>" + a + "</artifactId>"
                + (v == null ? "" : "<version>" + v + "</version>") + extra + "</dependency>";
    }

    /**
     * A settings.xml with a local repository under {@code tmp}, an active profile adding a snapshot repository, and a
     * mirror of {@code mirrorOf} onto the test server; {@code extra} goes inside {@code <settings>}.
     */
    private Path settings(String mirrorOf, String mirrorUrl, String extra) throws IOException {
        return TestMavenRepository.settings(tmp.resolve("settings.xml"), "<localRepository>" + tmp.resolve("local")
                + "</localRepository><mirrors><mirror><id>test-mirror</id><mirrorOf>" + mirrorOf + "</mirrorOf><url>"
                + mirrorUrl + "</url></mirror></mirrors><profiles><profile><id>test-repos</id><repositories>"
                + "<repository><id>snapshots</id><url>http://snapshots.excon.invalid/</url><snapshots><enabled>true"
                + "</enabled></snapshots></repository></repositories></profile>" + extraProfiles + "</profiles>"
                + "<activeProfiles><activeProfile>test-repos</activeProfile>" + extraActive + "</activeProfiles>"
                + extra);
    }

    private String extraProfiles = "";
    private String extraActive = "";

    private MavenSetup setup(Path settings, Map<String, String> env) {
        Properties system = new Properties();
        system.setProperty("user.home", tmp.toString()); // never the real ~/.m2
        return MavenSetup.read(settings, env, system);
    }

    private MavenSetup online() throws IOException {
        return setup(settings("*", server.url(), ""), Map.of());
    }

    private static MavenResolver.Resolution resolve(MavenSetup setup, String... coordinates)
            throws MavenResolver.ResolutionException {
        return new MavenResolver(setup, KernelArtifacts.NONE, null).resolve(
                List.of(coordinates).stream().map(MavenResolver::parse).toList());
    }

    private static Map<String, String> versions(MavenResolver.Resolution r) {
        return r.jars().stream().collect(Collectors.toMap(j -> j.artifact().getArtifactId(),
                j -> j.artifact().getVersion(), (x, y) -> x, LinkedHashMap::new));
    }

    private static String resource(Path jar, String artifactId) throws IOException {
        try (JarFile j = new JarFile(jar.toFile()); InputStream in = j.getInputStream(
                j.getEntry("excon-test/" + artifactId + ".txt"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void resolvesTheModelAsMavenDoesThroughTheMirror() throws Exception {
        MavenSetup setup = online();
        MavenResolver.Resolution r = resolve(setup, "org.ex:app:1.0");
        Map<String, String> v = versions(r);
        assertEquals("app", r.jars().get(0).artifact().getArtifactId(), "the requested artifact first: " + v);
        assertEquals(Map.of("app", "1.0", "managed", "2.5", "from-bom", "3.1", "sibling", "1.0", "lib", "1", "rt", "1",
                "deep", "1", "via-pom", "1", "new-name", "1", "ranged", "1.5"), withoutProfiles(v),
                "the child's property over the parent's and nearest over lib's 9.9; the BOM's version; the highest "
                        + "version in [1.0,2.0)");
        assertEquals("1", v.get("jdk-extra"), "the profile activated by <jdk>[17,)</jdk>");
        for (String absent : List.of("opt", "testonly", "prov", "excluded", "aggregate", "old-name", "prop-extra")) {
            assertFalse(v.containsKey(absent), absent + " must be left out: " + v);
        }
        assertEquals(List.of("org.ex:old-name:1 -> org.ex.moved:new-name:1"), r.relocations());
        for (MavenResolver.Resolved j : r.jars()) {
            assertTrue(j.downloaded(), j + " was downloaded");
            assertTrue(j.file().startsWith(tmp.resolve("local")), j.file() + " is in the settings' local repository");
            assertEquals(j.artifact().getArtifactId().equals("app") ? "app" : j.artifact().getGroupId() + ":"
                    + j.artifact().getArtifactId() + ":" + j.artifact().getVersion(),
                    resource(j.file(), j.artifact().getArtifactId()), "the served jar itself");
        }
        assertTrue(server.requests().stream().anyMatch(q -> q.uri().equals("/org/ex/app/1.0/app-1.0.jar")),
                "the jar came from the mirror: " + server.requests());

        MavenResolver.Resolution again = resolve(setup, "org.ex:app:1.0");
        assertEquals(v, versions(again));
        assertTrue(again.jars().stream().noneMatch(MavenResolver.Resolved::downloaded), "the second time: cached");
    }

    private static Map<String, String> withoutProfiles(Map<String, String> v) {
        Map<String, String> out = new LinkedHashMap<>(v);
        out.remove("jdk-extra");
        return out;
    }

    @Test
    void aPropertyActivatesAPomProfile() throws Exception {
        MavenResolver.Resolution r = new MavenResolver(online(), KernelArtifacts.NONE, null).resolve(
                List.of(MavenResolver.parse("org.ex:app:1.0")), Map.of("withExtra", "true"));
        assertEquals("1", versions(r).get("prop-extra"), versions(r).toString());
    }

    @Test
    void aSnapshotResolvesToTheLatestBuildInItsMetadata() throws Exception {
        MavenResolver.Resolution r = resolve(online(), "org.ex:snap:1.0-SNAPSHOT");
        assertEquals(1, r.jars().size(), r.toString());
        MavenResolver.Resolved snap = r.jars().get(0);
        assertEquals("1.0-20250101.120002-2", snap.artifact().getVersion());
        assertEquals("1.0-SNAPSHOT", snap.artifact().getBaseVersion());
        assertEquals("build 2", resource(snap.file(), "snap"));
        assertTrue(snap.downloaded(), snap.toString());
    }

    @Test
    void aRangeWithNoVersionInItFailsNamingTheRange() throws Exception {
        var e = assertThrows(MavenResolver.ResolutionException.class,
                () -> resolve(online(), "org.ex:ranged:[3.0,4.0)"));
        assertTrue(e.getMessage().contains("org.ex:ranged") && e.getMessage().contains("[3.0,4.0)")
                && e.getMessage().contains("widen the range"), e.getMessage());
    }

    @Test
    void aWrongChecksumFailsByDefaultAndKeepsNothing() throws Exception {
        var e = assertThrows(MavenResolver.ResolutionException.class, () -> resolve(online(), "org.ex:bad-sum:1"));
        assertTrue(e.getMessage().contains("org.ex:bad-sum") && e.getMessage().toLowerCase().contains("checksum")
                && e.getMessage().contains("<checksumPolicy>warn</checksumPolicy>"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("local/org/ex/bad-sum/1/bad-sum-1.jar")), "a bad download is not kept");
    }

    @Test
    void aMissingChecksumFailsByDefault() throws Exception {
        var e = assertThrows(MavenResolver.ResolutionException.class, () -> resolve(online(), "org.ex:no-sum:1"));
        assertTrue(e.getMessage().contains("org.ex:no-sum") && e.getMessage().contains("no checksums"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("local/org/ex/no-sum/1/no-sum-1.jar")));
    }

    @Test
    void aRepositoryConfiguredToWarnLetsBadAndMissingChecksumsThroughWithAWarning() throws Exception {
        extraProfiles = "<profile><id>lenient</id><repositories><repository><id>lenient</id><url>" + server.url()
                + "</url><releases><checksumPolicy>warn</checksumPolicy></releases></repository></repositories>"
                + "</profile>";
        extraActive = "<activeProfile>lenient</activeProfile>";
        MavenSetup setup = setup(settings("*,!lenient", server.url(), ""), Map.of());
        MavenResolver.Resolution r = resolve(setup, "org.ex:bad-sum:1", "org.ex:no-sum:1");
        assertEquals(Map.of("bad-sum", "1", "no-sum", "1"), versions(r));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("bad-sum-1.jar")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("no-sum-1.jar")), r.warnings().toString());
        assertTrue(r.warnings().stream().allMatch(w -> w.contains("lenient")), r.warnings().toString());
        String described = setup.describe();
        assertTrue(described.contains("repository lenient: " + server.url() + ", checksums: warn")
                && described.contains("repository central: " + MavenSetup.CENTRAL_URL + " (through mirror "
                        + "test-mirror: " + server.url() + "), checksums: fail"), described);
    }

    @Test
    void offlineWorksFromTheLocalRepositoryAndFailsClearlyWithoutIt() throws Exception {
        Path settings = settings("*", server.url(), "");
        Map<String, String> online = versions(resolve(setup(settings, Map.of()), "org.ex:app:1.0"));
        server.clearLog();
        MavenSetup offline = setup(settings, Map.of("EXCON_MAVEN_OFFLINE", "true"));
        assertTrue(offline.offline());
        MavenResolver.Resolution r = resolve(offline, "org.ex:app:1.0");
        assertEquals(online, versions(r));
        assertTrue(r.jars().stream().noneMatch(MavenResolver.Resolved::downloaded));
        var e = assertThrows(MavenResolver.ResolutionException.class, () -> resolve(offline, "org.ex:standalone:1"));
        assertTrue(e.getMessage().contains("org.ex:standalone") && e.getMessage().contains("EXCON_MAVEN_OFFLINE")
                && e.getMessage().contains(tmp.resolve("local").toString()), e.getMessage());
        assertEquals(List.of(), server.requests(), "offline: not one request");
    }

    @Test
    void settingsXmlOfflineAndAnInvalidSettingsFileAreRead() throws Exception {
        MavenSetup s = setup(settings("*", server.url(), "<offline>true</offline>"), Map.of());
        assertTrue(s.offline());
        assertEquals(tmp.resolve("local"), s.localRepository());
        assertFalse(setup(tmp.resolve("settings.xml"), Map.of("EXCON_MAVEN_OFFLINE", "false")).offline(),
                "the variable wins over the file");
        Path broken = Files.writeString(tmp.resolve("broken.xml"), "<settings>\n<mirrors><mirror>\n</settings>\n");
        var e = assertThrows(IllegalArgumentException.class, () -> setup(broken, Map.of()));
        assertTrue(e.getMessage().contains(broken.toString()) && e.getMessage().contains("line"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> setup(tmp.resolve("none.xml"), Map.of("EXCON_MAVEN_REPOSITORIES", "repo.example.com")));
        assertTrue(bad.getMessage().contains("'repo.example.com'") && bad.getMessage().contains("https://"),
                bad.getMessage());
    }

    @Test
    void serverCredentialsFromSettingsReachAProtectedMirror() throws Exception {
        String creds = "<servers><server><id>test-mirror</id><username>" + RepositoryServer.USER + "</username>"
                + "<password>${env.EXCON_TEST_PASSWORD}</password></server></servers>";
        Path settings = settings("*", server.url() + "private/", creds);
        MavenResolver.Resolution r = resolve(setup(settings, Map.of("EXCON_TEST_PASSWORD", RepositoryServer.PASSWORD)),
                "org.ex:standalone:1");
        assertEquals(Map.of("standalone", "1"), versions(r));

        Path wrong = tmp.resolve("wrong");
        Files.createDirectories(wrong);
        Properties system = new Properties();
        system.setProperty("user.home", tmp.toString());
        system.setProperty("maven.repo.local", wrong.toString());
        MavenSetup bad = MavenSetup.read(settings, Map.of("EXCON_TEST_PASSWORD", "nope"), system);
        assertEquals(wrong, bad.localRepository(), "-Dmaven.repo.local wins over settings.xml");
        var e = assertThrows(MavenResolver.ResolutionException.class, () -> resolve(bad, "org.ex:standalone:1"));
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains("<server>"), e.getMessage());
    }

    @Test
    void anEncryptedPasswordIsRefusedWithTheFix() throws Exception {
        Path settings = settings("*", server.url(), "<servers><server><id>x</id><username>u</username>"
                + "<password>{COQLCE6DU6GtcS5P=}</password></server></servers>");
        var e = assertThrows(IllegalArgumentException.class, () -> setup(settings, Map.of()));
        assertTrue(e.getMessage().contains("server x") && e.getMessage().contains("${env."), e.getMessage());
    }

    @Test
    void aProxyFromSettingsCarriesTheRequests() throws Exception {
        String proxy = "<proxies><proxy><id>p</id><active>true</active><protocol>http</protocol><host>127.0.0.1"
                + "</host><port>" + server.port() + "</port></proxy></proxies>";
        // The mirror's host does not exist: only the proxy can answer for it.
        Path settings = settings("*", "http://repo.excon.invalid/", proxy);
        server.clearLog();
        MavenResolver.Resolution r = resolve(setup(settings, Map.of()), "org.ex:standalone:1");
        assertEquals(Map.of("standalone", "1"), versions(r));
        assertTrue(server.requests().stream().anyMatch(q -> q.uri().equals(
                "http://repo.excon.invalid/org/ex/standalone/1/standalone-1.jar")), server.requests().toString());
    }

    @Test
    void theKernelsArtifactsAreMatchedByGroupAndArtifact() throws Exception {
        Path cp = Files.createDirectories(tmp.resolve("kernel-lib"));
        // lib-1.jar knows itself (pom.properties); api-7.jar has its POM beside it (as setup.sh copies them), with
        // the group inherited from a parent; rt-1.jar has neither.
        Files.write(cp.resolve("lib-1.jar"), TestMavenRepository.jarBytes("lib", "kernel's", "org.ex:lib:1"));
        Files.write(cp.resolve("api-7.jar"), TestMavenRepository.jarBytes("api", "kernel's", null));
        Files.writeString(cp.resolve("api-7.pom"), "<project><modelVersion>4.0.0</modelVersion><parent><groupId>"
                + "org.kernel</groupId><artifactId>p</artifactId><version>7</version></parent><artifactId>api"
                + "</artifactId></project>");
        Files.write(cp.resolve("native-2-linux-x86_64.jar"), TestMavenRepository.jarBytes("native", "n", null));
        Files.writeString(cp.resolve("native-2.pom"), "<project><modelVersion>4.0.0</modelVersion><groupId>org.n"
                + "</groupId><artifactId>native</artifactId><version>2</version></project>");
        Files.write(cp.resolve("rt-1.jar"), TestMavenRepository.jarBytes("rt", "kernel's", null));
        KernelArtifacts kernel = KernelArtifacts.of(String.join(java.io.File.pathSeparator,
                cp.resolve("lib-1.jar").toString(), cp.resolve("api-7.jar").toString(),
                cp.resolve("native-2-linux-x86_64.jar").toString(), cp.resolve("rt-1.jar").toString(),
                cp.toString()));
        assertEquals(List.of("org.ex:lib", "org.kernel:api", "org.n:native"), List.copyOf(kernel.known().keySet()));
        assertTrue(kernel.find("org.other", "api").isEmpty(), "the same artifact id in another group is not a match");
        assertEquals(List.of(cp.resolve("rt-1.jar")), kernel.unidentified());

        MavenResolver.Resolution r = new MavenResolver(online(), kernel, null).resolve(
                List.of(MavenResolver.parse("org.ex:app:1.0")));
        Map<String, String> v = versions(r);
        assertFalse(v.containsKey("lib") || v.containsKey("deep"), "the kernel's lib and what lib brings: " + v);
        assertEquals("1", v.get("rt"), "rt-1.jar on the class path is unidentified, so org.ex:rt still comes");
        assertEquals(Map.of("org.ex:lib", "1"), r.keptFromKernel());
    }

    @Test
    void coordinatesParseOrSayWhatIsExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> MavenResolver.parse("just-a-name"));
        assertTrue(e.getMessage().contains("'just-a-name'") && e.getMessage().contains("group:artifact:version"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MavenResolver.parse("g::1"));
        assertEquals("g:a:jar:tests:1", MavenResolver.toString(MavenResolver.parse("g:a:jar:tests:1")));
        assertEquals("g:a:1", MavenResolver.toString(MavenResolver.parse("g:a:1")));
        assertEquals("[1.0,2.0)", MavenResolver.parse("g:a:[1.0,2.0)").getVersion());
    }
}
