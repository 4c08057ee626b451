package dev.excon.notebook.magics;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A small Maven resolver for {@code %maven}: an artifact's jar and its compile and runtime dependencies, read from
 * POMs, first from the local repository ({@code ~/.m2/repository}), else downloaded from remote repositories (Maven
 * Central) into it, checked against the published SHA-1.
 *
 * <p>What it does of Maven's model: parent POMs (properties, dependency management and dependencies inherited),
 * {@code ${...}} properties, imported BOMs, versions from dependency management (the requested artifact's own
 * management wins over its dependencies' choices, as in a project), exclusions, optional dependencies left out,
 * scopes (compile and runtime kept; test, provided, system left out), nearest version wins, {@code pom}-type
 * dependencies followed without a jar. Not done: version ranges other than {@code [x]} / {@code [x,...}, profiles,
 * relocations, snapshots from remote repositories.
 */
public final class MavenResolver {

    /** Maven Central. */
    public static final URI CENTRAL = URI.create("https://repo.maven.apache.org/maven2/");

    /**
     * A Maven coordinate.
     *
     * @param classifier may be empty
     * @param type {@code jar}, {@code pom}, ...
     */
    public record Coordinate(String groupId, String artifactId, String version, String classifier, String type) {

        /** Parses {@code group:artifact:version} or {@code group:artifact:type:classifier:version}. */
        public static Coordinate parse(String text) {
            String[] p = text.trim().split(":", -1);
            for (String s : p) {
                if (s.isBlank()) {
                    throw new IllegalArgumentException("'" + text + "' is not a Maven coordinate: expected "
                            + "group:artifact:version");
                }
            }
            return switch (p.length) {
                case 3 -> new Coordinate(p[0], p[1], p[2], "", "jar");
                case 4 -> new Coordinate(p[0], p[1], p[3], "", p[2]);
                case 5 -> new Coordinate(p[0], p[1], p[4], p[3], p[2]);
                default -> throw new IllegalArgumentException("'" + text + "' is not a Maven coordinate: expected "
                        + "group:artifact:version");
            };
        }

        String key() {
            return groupId + ":" + artifactId;
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + (type.equals("jar") && classifier.isEmpty() ? ""
                    : ":" + type + (classifier.isEmpty() ? "" : ":" + classifier)) + ":" + version;
        }
    }

    /** A resolved jar and where it came from. */
    public record Artifact(Coordinate coordinate, Path file, boolean downloaded) {}

    /** Resolution failed: what is missing and where it was looked for. */
    public static final class ResolutionException extends Exception {
        private static final long serialVersionUID = 1L;

        public ResolutionException(String message) {
            super(message);
        }
    }

    private final Path local;
    private final List<URI> remotes;
    private final boolean offline;
    private final PrintStream progress;
    private final Map<String, Model> models = new HashMap<>();
    private HttpClient http;
    private Provided provided = Provided.NONE;

    /**
     * What the kernel already has: artifacts found there are neither downloaded nor added (the kernel's own class
     * loader comes first, so its version is the one that would be used anyway).
     *
     * @param keys {@code group:artifact} of jars whose Maven coordinates are known (from {@code pom.properties})
     * @param artifactIds artifact ids of the other jars, from their file names ({@code name-1.2.jar})
     */
    public record Provided(Set<String> keys, Set<String> artifactIds) {
        public static final Provided NONE = new Provided(Set.of(), Set.of());

        boolean has(String groupId, String artifactId) {
            return keys.contains(groupId + ":" + artifactId) || artifactIds.contains(artifactId);
        }

        /** What the jars of a class path are. */
        public static Provided of(String classpath) {
            Set<String> keys = new HashSet<>();
            Set<String> ids = new HashSet<>();
            Pattern name = Pattern.compile("^(.+?)-\\d[^/]*\\.jar$");
            for (String e : classpath.split(java.io.File.pathSeparator)) {
                if (!e.endsWith(".jar")) {
                    continue;
                }
                boolean known = false;
                try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(e)) {
                    var entries = z.entries();
                    while (entries.hasMoreElements()) {
                        String n = entries.nextElement().getName();
                        if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties")) {
                            String[] parts = n.split("/");
                            if (parts.length == 5) {
                                keys.add(parts[2] + ":" + parts[3]);
                                known = true;
                            }
                        }
                    }
                } catch (IOException | RuntimeException ex) {
                    // unreadable: judge by the name
                }
                Matcher m = name.matcher(Path.of(e).getFileName().toString());
                if (!known && m.matches()) {
                    ids.add(m.group(1));
                }
            }
            return new Provided(Set.copyOf(keys), Set.copyOf(ids));
        }
    }

    /** Leaves out what the kernel already has (see {@link Provided}). */
    public MavenResolver provided(Provided p) {
        this.provided = p;
        return this;
    }

    /**
     * @param local the local repository
     * @param remotes remote repositories, tried in order
     * @param offline true: only the local repository
     * @param progress where download messages go (null: nowhere)
     */
    public MavenResolver(Path local, List<URI> remotes, boolean offline, PrintStream progress) {
        this.local = local;
        this.remotes = List.copyOf(remotes);
        this.offline = offline;
        this.progress = progress;
    }

    /**
     * The usual set-up: {@code -Dmaven.repo.local} or {@code ~/.m2/repository}; remotes from {@code
     * EXCON_MAVEN_REPOSITORIES} (comma-separated URLs) or Maven Central; offline when {@code EXCON_MAVEN_OFFLINE=true}
     * or {@code -Dexcon.maven.offline=true}.
     */
    public static MavenResolver standard(PrintStream progress) {
        String repo = System.getProperty("maven.repo.local");
        Path local = repo != null && !repo.isBlank() ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        List<URI> remotes = new ArrayList<>();
        String env = System.getenv("EXCON_MAVEN_REPOSITORIES");
        if (env != null && !env.isBlank()) {
            for (String u : env.split(",")) {
                if (!u.isBlank()) {
                    remotes.add(URI.create(u.trim().endsWith("/") ? u.trim() : u.trim() + "/"));
                }
            }
        } else {
            remotes.add(CENTRAL);
        }
        boolean offline = Boolean.parseBoolean(System.getProperty("excon.maven.offline",
                System.getenv().getOrDefault("EXCON_MAVEN_OFFLINE", "false")));
        return new MavenResolver(local, remotes, offline, progress);
    }

    /** True if the kernel already has this artifact (some version of it). */
    public boolean isProvided(Coordinate c) {
        return provided.has(c.groupId(), c.artifactId());
    }

    /**
     * The artifact's jar followed by its runtime dependencies' jars, nearest first, without those the kernel already
     * has.
     */
    public List<Artifact> resolve(Coordinate root) throws ResolutionException {
        Model rootModel = model(root.groupId(), root.artifactId(), root.version());
        Map<String, Dependency> rootManagement = rootModel.management;
        Map<String, Artifact> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<Node2> queue = new ArrayDeque<>();
        seen.add(root.key());
        queue.add(new Node2(root, Set.of()));
        while (!queue.isEmpty()) {
            Node2 n = queue.poll();
            Coordinate c = n.coordinate;
            if (!c.type().equals("pom")) {
                Path[] file = new Path[1];
                boolean downloaded = fetch(c, extension(c.type()), file);
                out.put(c.key(), new Artifact(c, file[0], downloaded));
            }
            Model m = model(c.groupId(), c.artifactId(), c.version());
            for (Dependency d : m.dependencies) {
                if (d.optional || !(d.scope.equals("compile") || d.scope.equals("runtime"))) {
                    continue;
                }
                String key = d.groupId + ":" + d.artifactId;
                if (seen.contains(key) || excluded(n.exclusions, d.groupId, d.artifactId)
                        || provided.has(d.groupId, d.artifactId)) {
                    continue;
                }
                String version = d.version;
                Dependency managed = rootManagement.get(d.managementKey());
                if (managed != null && managed.version != null && c != root) {
                    version = managed.version; // the requested artifact's own management wins, as in a project
                }
                if (version == null || version.isBlank()) {
                    throw new ResolutionException("no version for " + key + " (a dependency of " + c + ")");
                }
                seen.add(key);
                Set<String> exclusions = new HashSet<>(n.exclusions);
                exclusions.addAll(d.exclusions);
                queue.add(new Node2(new Coordinate(d.groupId, d.artifactId, fixedVersion(version, key), d.classifier,
                        d.type), exclusions));
            }
        }
        return List.copyOf(out.values());
    }

    private record Node2(Coordinate coordinate, Set<String> exclusions) {}

    private static boolean excluded(Set<String> exclusions, String g, String a) {
        return exclusions.contains(g + ":" + a) || exclusions.contains(g + ":*") || exclusions.contains("*:*")
                || exclusions.contains("*:" + a);
    }

    private static String extension(String type) {
        return switch (type) {
            case "bundle", "maven-plugin", "ejb", "test-jar" -> "jar";
            default -> type;
        };
    }

    /** A fixed version from a range where the choice is clear; else an error naming the range. */
    private static String fixedVersion(String v, String key) throws ResolutionException {
        if (!(v.startsWith("[") || v.startsWith("("))) {
            return v;
        }
        Matcher m = Pattern.compile("^\\[([^,\\]]+)(?:\\]|,.*)$").matcher(v);
        if (m.matches()) {
            return m.group(1).trim();
        }
        throw new ResolutionException("version range " + v + " of " + key + " is not supported; add a fixed version "
                + "with %maven first");
    }

    // ---- POM model -------------------------------------------------------------------------------------------------

    private static final class Dependency {
        String groupId;
        String artifactId;
        String version;
        String type = "jar";
        String classifier = "";
        String scope = "compile";
        boolean optional;
        final Set<String> exclusions = new HashSet<>();

        String managementKey() {
            return groupId + ":" + artifactId + ":" + type + ":" + classifier;
        }
    }

    /** The effective model: inherited from the parents, interpolated with the artifact's own properties. */
    private static final class Model {
        String groupId;
        String version;
        final Map<String, Dependency> management = new LinkedHashMap<>();
        final List<Dependency> dependencies = new ArrayList<>();
    }

    private final Map<String, Element> poms = new HashMap<>();

    /** The parsed POM of {@code g:a:v}. */
    private Element pom(String g, String a, String v) throws ResolutionException {
        String id = g + ":" + a + ":" + v;
        Element e = poms.get(id);
        if (e == null) {
            Path[] file = new Path[1];
            fetch(new Coordinate(g, a, v, "", "pom"), "pom", file);
            e = parse(file[0]).getDocumentElement();
            poms.put(id, e);
        }
        return e;
    }

    private Model model(String g, String a, String v) throws ResolutionException {
        String id = g + ":" + a + ":" + v;
        Model cached = models.get(id);
        if (cached != null) {
            return cached;
        }
        // The POM and its parents, artifact first.
        List<Element> chain = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        Element cur = pom(g, a, v);
        while (cur != null) {
            chain.add(cur);
            Element parent = child(cur, "parent");
            if (parent == null) {
                break;
            }
            String pid = text(parent, "groupId") + ":" + text(parent, "artifactId") + ":" + text(parent, "version");
            if (!visited.add(pid)) {
                throw new ResolutionException("POM inheritance cycle at " + pid);
            }
            cur = pom(text(parent, "groupId"), text(parent, "artifactId"), text(parent, "version"));
        }
        Element self = chain.get(0);
        Element parentRef = child(self, "parent");
        Model m = new Model();
        m.groupId = firstNonNull(text(self, "groupId"), parentRef != null ? text(parentRef, "groupId") : null);
        m.version = firstNonNull(text(self, "version"), parentRef != null ? text(parentRef, "version") : null);

        // Properties: the top parent first, each child overriding; then the project's own coordinates.
        Map<String, String> props = new HashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            Element ps = child(chain.get(i), "properties");
            if (ps != null) {
                for (Element p : children(ps)) {
                    props.put(p.getTagName(), p.getTextContent().trim());
                }
            }
        }
        props.put("project.groupId", m.groupId);
        props.put("project.artifactId", a);
        props.put("project.version", m.version);
        props.put("pom.groupId", m.groupId);
        props.put("pom.artifactId", a);
        props.put("pom.version", m.version);
        props.put("groupId", m.groupId);
        props.put("artifactId", a);
        props.put("version", m.version);
        if (parentRef != null) {
            props.put("project.parent.groupId", text(parentRef, "groupId"));
            props.put("project.parent.version", text(parentRef, "version"));
            props.put("parent.version", text(parentRef, "version"));
        }

        // Dependency management: the top parent first, each child overriding; imported BOMs fill gaps.
        for (int i = chain.size() - 1; i >= 0; i--) {
            Element dm = child(chain.get(i), "dependencyManagement");
            Element list = dm == null ? null : child(dm, "dependencies");
            if (list == null) {
                continue;
            }
            for (Element e : children(list)) {
                Dependency d = dependency(e, props);
                if ("import".equals(d.scope) && d.type.equals("pom")) {
                    model(d.groupId, d.artifactId, d.version).management.forEach(m.management::putIfAbsent);
                } else {
                    m.management.put(d.managementKey(), d);
                }
            }
        }

        // Dependencies: inherited, the child's declaration of the same artifact winning; gaps from management.
        Map<String, Dependency> deps = new LinkedHashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            Element list = child(chain.get(i), "dependencies");
            if (list == null) {
                continue;
            }
            for (Element e : children(list)) {
                Dependency d = dependency(e, props);
                Dependency managed = m.management.get(d.managementKey());
                if (managed != null) {
                    if (d.version == null) {
                        d.version = managed.version;
                    }
                    if (text(e, "scope") == null && managed.scope != null && !managed.scope.equals("import")) {
                        d.scope = managed.scope;
                    }
                    if (d.exclusions.isEmpty()) {
                        d.exclusions.addAll(managed.exclusions);
                    }
                }
                deps.put(d.managementKey(), d);
            }
        }
        m.dependencies.addAll(deps.values());
        models.put(id, m);
        return m;
    }

    private static Dependency dependency(Element e, Map<String, String> props) throws ResolutionException {
        Dependency d = new Dependency();
        d.groupId = interpolate(text(e, "groupId"), props);
        d.artifactId = interpolate(text(e, "artifactId"), props);
        d.version = interpolate(text(e, "version"), props);
        String type = interpolate(text(e, "type"), props);
        d.type = type == null ? "jar" : type;
        String classifier = interpolate(text(e, "classifier"), props);
        d.classifier = classifier == null ? "" : classifier;
        String scope = interpolate(text(e, "scope"), props);
        d.scope = scope == null ? "compile" : scope;
        d.optional = "true".equals(interpolate(text(e, "optional"), props));
        Element ex = child(e, "exclusions");
        if (ex != null) {
            for (Element x : children(ex)) {
                d.exclusions.add(interpolate(text(x, "groupId"), props) + ":" + interpolate(text(x, "artifactId"),
                        props));
            }
        }
        return d;
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)\\}");

    static String interpolate(String s, Map<String, String> props) throws ResolutionException {
        if (s == null || !s.contains("${")) {
            return s;
        }
        String cur = s;
        for (int depth = 0; depth < 20 && cur.contains("${"); depth++) {
            Matcher m = PROPERTY.matcher(cur);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value = props.get(name);
                if (value == null && name.startsWith("env.")) {
                    value = System.getenv(name.substring(4));
                }
                if (value == null) {
                    value = System.getProperty(name);
                }
                if (value == null) {
                    throw new ResolutionException("property ${" + name + "} in '" + s + "' is not defined");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            cur = out.toString();
        }
        return cur;
    }

    // ---- files -----------------------------------------------------------------------------------------------------

    /** Puts the file's local path in {@code out[0]}; true if it had to be downloaded. */
    private boolean fetch(Coordinate c, String extension, Path[] out) throws ResolutionException {
        String name = c.artifactId() + "-" + c.version() + (c.classifier().isEmpty() ? "" : "-" + c.classifier())
                + "." + extension;
        String rel = c.groupId().replace('.', '/') + "/" + c.artifactId() + "/" + c.version() + "/" + name;
        Path file = local.resolve(rel);
        out[0] = file;
        if (Files.isRegularFile(file)) {
            return false;
        }
        if (offline) {
            throw new ResolutionException(c + ": " + name + " is not in the local repository " + local
                    + " and downloads are off (EXCON_MAVEN_OFFLINE)");
        }
        List<String> tried = new ArrayList<>();
        for (URI remote : remotes) {
            URI uri = remote.resolve(rel);
            tried.add(uri.toString());
            try {
                byte[] body = get(uri);
                if (body == null) {
                    continue;
                }
                byte[] sha1 = get(URI.create(uri + ".sha1"));
                if (sha1 != null) {
                    String expected = new String(sha1, java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+")[0]
                            .toLowerCase(Locale.ROOT);
                    String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
                    if (!expected.equals(actual)) {
                        throw new ResolutionException(uri + ": SHA-1 " + actual + " does not match the published "
                                + expected);
                    }
                }
                Files.createDirectories(file.getParent());
                Path tmp = Files.createTempFile(file.getParent(), name, ".part");
                Files.write(tmp, body);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                if (progress != null && extension.equals("jar")) {
                    progress.printf(Locale.ROOT, "downloaded %s (%,d KB)%n", name, body.length / 1024);
                }
                return true;
            } catch (IOException e) {
                throw new ResolutionException("cannot download " + uri + ": " + e.getMessage());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ResolutionException("interrupted while downloading " + uri);
            }
        }
        throw new ResolutionException(c + " not found: " + name + " is neither in " + local + " nor at "
                + String.join(", ", tried));
    }

    /** The body, or null on 404. */
    private byte[] get(URI uri) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = client().send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                .header("User-Agent", "excon-notebook-maven/1").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() == 404 || r.statusCode() == 410) {
                return null;
            }
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode());
            }
            return in.readAllBytes();
        }
    }

    private synchronized HttpClient client() {
        if (http == null) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                    .followRedirects(HttpClient.Redirect.NORMAL);
            String proxy = System.getenv().getOrDefault("https_proxy", System.getenv("HTTPS_PROXY"));
            if (proxy != null && !proxy.isBlank() && System.getProperty("https.proxyHost") == null) {
                URI p = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
                b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() > 0 ? p.getPort() : 80)));
            }
            http = b.build();
        }
        return http;
    }

    // ---- XML -------------------------------------------------------------------------------------------------------

    private static Document parse(Path pom) throws ResolutionException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(pom.toFile());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new ResolutionException("cannot read " + pom + ": " + e.getMessage());
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
