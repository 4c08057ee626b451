package dev.excon.notebook.magics;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.eclipse.aether.RepositoryEvent;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.AbstractRepositoryListener;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.DependencyCollectionContext;
import org.eclipse.aether.collection.DependencySelector;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.spi.connector.checksum.ChecksumPolicyProvider;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.artifact.ArtifactIdUtils;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.graph.selector.AndDependencySelector;

/**
 * {@code %maven}'s resolver: Apache Maven Resolver set up as Maven 3 sets it up (supplier-mvn3), with the repositories,
 * mirrors, proxies, credentials and offline flag of a {@link MavenSetup}. The POM model is Maven's own: parents,
 * properties, imported BOMs, dependency management, profiles (activated by JDK, OS, file or a property given with
 * {@code -D}), relocations, version ranges and snapshots (through {@code maven-metadata.xml}); scopes compile and runtime
 * are kept, optional dependencies of dependencies left out, nearest version wins, as when a project declares the
 * requested artifacts.
 *
 * <p>Artifacts whose {@code groupId:artifactId} the kernel already has ({@link KernelArtifacts}) are left out with
 * everything below them: the kernel's version is the one cells use.
 */
public final class MavenResolver {

    /** A resolved jar: its coordinates (a snapshot with its timestamped version), file, and whether it was fetched. */
    public record Resolved(Artifact artifact, Path file, boolean downloaded) {
        /** {@code group:artifact:version}, with the extension and classifier when they are not plain jar. */
        public String coordinate() {
            return MavenResolver.toString(artifact);
        }
    }

    /**
     * What {@link #resolve} found.
     *
     * @param jars the jars to add, the requested artifacts first
     * @param relocations "old -> new" for every relocated artifact
     * @param keptFromKernel dependencies left out because the kernel has them: {@code groupId:artifactId} to the
     *     kernel's version
     * @param warnings checksum problems let through by a repository's {@code warn} policy
     */
    public record Resolution(List<Resolved> jars, List<String> relocations, Map<String, String> keptFromKernel,
            List<String> warnings) {}

    /** Resolution failed: the message names the artifacts, what went wrong where, and the fix. */
    public static final class ResolutionException extends Exception {
        private static final long serialVersionUID = 1L;

        public ResolutionException(String message) {
            super(message);
        }
    }

    private final MavenSetup setup;
    private final KernelArtifacts kernel;
    private final PrintStream progress;

    /**
     * @param setup repositories, mirrors, proxies, credentials, local repository, offline
     * @param kernel what the kernel already has (left out)
     * @param progress where download messages go (null: nowhere)
     */
    public MavenResolver(MavenSetup setup, KernelArtifacts kernel, PrintStream progress) {
        this.setup = setup;
        this.kernel = kernel;
        this.progress = progress;
    }

    /**
     * Parses {@code group:artifact:version} or {@code group:artifact:extension[:classifier]:version}; the version may
     * be a range ({@code [1.0,2.0)}) or a {@code -SNAPSHOT}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Artifact parse(String text) {
        String t = text.trim();
        String[] parts = t.split(":", -1);
        boolean blank = false;
        for (String p : parts) {
            blank |= p.isBlank();
        }
        if (parts.length < 3 || parts.length > 5 || blank) {
            throw new IllegalArgumentException("'" + text + "' is not a Maven coordinate: expected "
                    + "group:artifact:version (or group:artifact:extension[:classifier]:version)");
        }
        return new DefaultArtifact(t);
    }

    /** The jars of {@code wanted} and their dependencies, in one graph (conflicts settled across all of them). */
    public Resolution resolve(List<Artifact> wanted) throws ResolutionException {
        return resolve(wanted, Map.of());
    }

    /**
     * As {@link #resolve(List)}, with user properties ({@code -Dname=value}) for POM profile activation and
     * interpolation.
     */
    public Resolution resolve(List<Artifact> wanted, Map<String, String> properties) throws ResolutionException {
        RepositorySystemSupplier systemSupplier = new RepositorySystemSupplier() {
            @Override
            protected ChecksumPolicyProvider createChecksumPolicyProvider() {
                return new WarnedChecksums(super.createChecksumPolicyProvider());
            }
        };
        RepositorySystem system = systemSupplier.get();
        Map<String, String> kept = Collections.synchronizedMap(new LinkedHashMap<>());
        Set<String> downloaded = Collections.synchronizedSet(new HashSet<>());
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        try (RepositorySystemSession.CloseableSession session = session(system, properties, kept, downloaded,
                warnings)) {
            session.getData().set(WarnedChecksums.KEY, warnings);
            CollectRequest collect = new CollectRequest();
            for (Artifact a : wanted) {
                collect.addDependency(new Dependency(a, JavaScopes.COMPILE));
            }
            collect.setRepositories(system.newResolutionRepositories(session, setup.repositories()));
            collect.setRequestContext("excon-notebook");
            DependencyRequest request = new DependencyRequest(collect,
                    DependencyFilterUtils.classpathFilter(JavaScopes.COMPILE, JavaScopes.RUNTIME));
            DependencyResult result;
            try {
                result = system.resolveDependencies(session, request);
            } catch (DependencyResolutionException e) {
                throw new ResolutionException(ResolutionFailure.explain(wanted, e, setup));
            }
            List<Resolved> jars = new ArrayList<>();
            for (ArtifactResult r : result.getArtifactResults()) {
                Artifact a = r.getArtifact();
                if (a == null || a.getPath() == null || "pom".equals(a.getExtension())) {
                    continue; // a POM-only artifact (BOM, aggregator): its dependencies count, it has no jar
                }
                jars.add(new Resolved(a, a.getPath(), downloaded.contains(ArtifactIdUtils.toId(a))));
            }
            if (progress != null) {
                warnings.forEach(w -> progress.println("warning: " + w));
            }
            return new Resolution(List.copyOf(jars), relocations(result.getRoot()), Map.copyOf(kept),
                    List.copyOf(warnings));
        } finally {
            system.shutdown();
        }
    }

    private RepositorySystemSession.CloseableSession session(RepositorySystem system, Map<String, String> properties,
            Map<String, String> kept, Set<String> downloaded, List<String> warnings) {
        SessionBuilderSupplier defaults = new SessionBuilderSupplier(system);
        // Maven's system properties: the JVM's plus the environment as env.NAME (profile activation, ${...}).
        Properties systemProperties = new Properties();
        systemProperties.putAll(System.getProperties());
        System.getenv().forEach((k, v) -> systemProperties.setProperty("env." + k, v));
        return defaults.get()
                .setDependencySelector(new AndDependencySelector(defaults.getDependencySelector(),
                        new LeaveOutKernelArtifacts(kernel, kept)))
                .withLocalRepositoryBaseDirectories(setup.localRepository())
                .setOffline(setup.offline())
                .setMirrorSelector(setup.mirrors())
                .setProxySelector(setup.proxies())
                .setAuthenticationSelector(setup.credentials())
                .setSystemProperties(systemProperties)
                .setUserProperties(properties)
                .setConfigProperty("aether.connector.userAgent", "excon-notebook-maven/2")
                .setRepositoryListener(new AbstractRepositoryListener() {
                    @Override
                    public void artifactDownloaded(RepositoryEvent event) {
                        if (event.getArtifact() != null && (event.getExceptions() == null
                                || event.getExceptions().isEmpty())) {
                            downloaded.add(ArtifactIdUtils.toId(event.getArtifact()));
                        }
                    }
                })
                .setTransferListener(new AbstractTransferListener() {
                    @Override
                    public void transferSucceeded(TransferEvent event) {
                        String name = event.getResource().getResourceName();
                        if (progress != null && name.endsWith(".jar")) {
                            progress.printf(Locale.ROOT, "downloaded %s (%,d KB) from %s%n",
                                    name.substring(name.lastIndexOf('/') + 1), event.getTransferredBytes() / 1024,
                                    event.getResource().getRepositoryId());
                        }
                    }
                })
                .build();
    }

    /** Leaves out dependencies the kernel has, recording them with the kernel's version. */
    private static final class LeaveOutKernelArtifacts implements DependencySelector {
        private final KernelArtifacts kernel;
        private final Map<String, String> kept;

        LeaveOutKernelArtifacts(KernelArtifacts kernel, Map<String, String> kept) {
            this.kernel = kernel;
            this.kept = kept;
        }

        @Override
        public boolean selectDependency(Dependency dependency) {
            Artifact a = dependency.getArtifact();
            var known = kernel.find(a.getGroupId(), a.getArtifactId());
            known.ifPresent(k -> kept.put(k.key(), k.version()));
            return known.isEmpty();
        }

        @Override
        public DependencySelector deriveChildSelector(DependencyCollectionContext context) {
            return this;
        }
    }

    private static List<String> relocations(DependencyNode root) {
        List<String> out = new ArrayList<>();
        Set<DependencyNode> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        collectRelocations(root, out, seen);
        return List.copyOf(out);
    }

    private static void collectRelocations(DependencyNode node, List<String> out, Set<DependencyNode> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        for (Artifact from : node.getRelocations()) {
            String line = toString(from) + " -> " + toString(node.getArtifact());
            if (!out.contains(line)) {
                out.add(line);
            }
        }
        for (DependencyNode child : node.getChildren()) {
            collectRelocations(child, out, seen);
        }
    }

    static String toString(Artifact a) {
        boolean plain = a.getExtension().equals("jar") && a.getClassifier().isEmpty();
        return a.getGroupId() + ":" + a.getArtifactId() + (plain ? "" : ":" + a.getExtension()
                + (a.getClassifier().isEmpty() ? "" : ":" + a.getClassifier())) + ":" + a.getVersion();
    }
}
