package dev.excon.notebook.magics;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.codehaus.plexus.util.xml.pull.XmlPullParserException;

/**
 * The Maven artifacts already on the kernel's class path, by {@code groupId:artifactId}. {@code %maven} neither
 * downloads nor adds those (the kernel's class loader comes first, so its version is the one cells would use anyway).
 *
 * <p>A jar is identified by the {@code META-INF/maven/<group>/<artifact>/pom.properties} inside it, else by the POM
 * beside it with the same name ({@code name-1.0.jar} and {@code name-1.0.pom}, or for a classifier jar {@code
 * name-1.0-linux.jar} and {@code name-1.0.pom}): the local repository keeps POMs there, and the build copies them into
 * {@code target/lib} ({@code -Dmdep.copyPom=true} in environment/setup.sh). A jar that neither identifies is not
 * matched at all: matching by artifact id alone would take {@code org.other:api} for DJL's {@code ai.djl:api}.
 */
public final class KernelArtifacts {

    /** An identified jar. */
    public record Known(String groupId, String artifactId, String version, Path jar) {
        public String key() {
            return groupId + ":" + artifactId;
        }
    }

    public static final KernelArtifacts NONE = new KernelArtifacts(Map.of(), List.of());

    private final Map<String, Known> byKey;
    private final List<Path> unidentified;

    private KernelArtifacts(Map<String, Known> byKey, List<Path> unidentified) {
        this.byKey = Collections.unmodifiableMap(byKey);
        this.unidentified = List.copyOf(unidentified);
    }

    /** The jars of a class path ({@code java.class.path} syntax); directories and missing entries are skipped. */
    public static KernelArtifacts of(String classpath) {
        Map<String, Known> known = new LinkedHashMap<>();
        List<Path> unidentified = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                continue;
            }
            Path jar = Path.of(entry);
            List<Known> found = fromPomProperties(jar);
            if (found.isEmpty()) {
                fromSiblingPom(jar).ifPresent(found::add);
            }
            if (found.isEmpty()) {
                unidentified.add(jar);
            }
            found.forEach(k -> known.putIfAbsent(k.key(), k));
        }
        return new KernelArtifacts(known, unidentified);
    }

    /** These artifacts and {@code more} (jars added later, e.g. by an earlier {@code %maven}); the first one wins. */
    public KernelArtifacts plus(List<Known> more) {
        Map<String, Known> all = new LinkedHashMap<>(byKey);
        more.forEach(k -> all.putIfAbsent(k.key(), k));
        return new KernelArtifacts(all, unidentified);
    }

    /** The kernel's artifact {@code groupId:artifactId}, if it has one. */
    public Optional<Known> find(String groupId, String artifactId) {
        return Optional.ofNullable(byKey.get(groupId + ":" + artifactId));
    }

    /** Every identified artifact, by {@code groupId:artifactId}. */
    public Map<String, Known> known() {
        return byKey;
    }

    /** Jars whose Maven coordinates could not be told (they never count as duplicates). */
    public List<Path> unidentified() {
        return unidentified;
    }

    private static List<Known> fromPomProperties(Path jar) {
        List<Known> out = new ArrayList<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            var entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String n = e.getName();
                if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties") && n.split("/").length == 5) {
                    Properties p = new Properties();
                    try (InputStream in = z.getInputStream(e)) {
                        p.load(in);
                    }
                    String g = p.getProperty("groupId");
                    String a = p.getProperty("artifactId");
                    if (g != null && a != null) {
                        out.add(new Known(g.trim(), a.trim(), p.getProperty("version", "?").trim(), jar));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not a readable zip: it cannot be identified from the inside.
        }
        return out;
    }

    /** The POM beside the jar: the same base name, or that name less a {@code -classifier} suffix. */
    private static Optional<Known> fromSiblingPom(Path jar) {
        String base = jar.getFileName().toString();
        base = base.substring(0, base.length() - ".jar".length());
        for (String name = base; ; ) {
            Path pom = jar.resolveSibling(name + ".pom");
            if (Files.isRegularFile(pom)) {
                Optional<Known> k = readPom(pom, jar);
                // The POM must be this jar's: artifactId-version is the start of the jar's name.
                if (k.isPresent() && base.startsWith(k.get().artifactId() + "-" + k.get().version())) {
                    return k;
                }
            }
            int dash = name.lastIndexOf('-');
            if (dash <= 0) {
                return Optional.empty();
            }
            name = name.substring(0, dash);
        }
    }

    private static Optional<Known> readPom(Path pom, Path jar) {
        try (InputStream in = Files.newInputStream(pom)) {
            Model m = new MavenXpp3Reader().read(in, false);
            String g = m.getGroupId() != null ? m.getGroupId() : m.getParent() != null ? m.getParent().getGroupId()
                    : null;
            String v = m.getVersion() != null ? m.getVersion() : m.getParent() != null ? m.getParent().getVersion()
                    : null;
            if (g == null || m.getArtifactId() == null || g.contains("${") || m.getArtifactId().contains("${")) {
                return Optional.empty();
            }
            return Optional.of(new Known(g, m.getArtifactId(), v == null ? "?" : v, jar));
        } catch (IOException | XmlPullParserException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
