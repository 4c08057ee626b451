package dev.excon.notebook.magics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.eclipse.aether.artifact.Artifact;

/**
 * {@code %maven group:artifact:version ...}: adds artifacts and their compile and runtime dependencies to the class
 * path, resolved by Apache Maven Resolver ({@link MavenResolver}) with the user's {@code ~/.m2/settings.xml} ({@link
 * MavenSetup}). {@code -Dname=value} sets a property for the POMs' profiles; {@code --settings} prints where artifacts
 * come from. A coordinate that does not parse or cannot be resolved fails the cell ({@link MagicException}) and adds
 * nothing.
 */
final class MavenMagic implements LineMagic<Void, BaseKernel> {

    static final String USAGE = """
            usage: %maven group:artifact:version ...   adds the jars and their dependencies \
            (the local repository first, then the repositories, mirrors and proxies of ~/.m2/settings.xml, else \
            Maven Central; EXCON_MAVEN_OFFLINE=true: local only)
              group:artifact:extension[:classifier]:version   another kind of file; a version may be a range \
            [1.0,2.0) or a -SNAPSHOT
              -Dname=value   a property for the POMs (activates their profiles)
              --settings     prints the local repository, repositories, mirrors and checksum policies in use""";

    /** The kernel's own jars (its class path does not change); read on first use. */
    private KernelArtifacts startup;

    /** What earlier {@code %maven} lines of this kernel added: those count as the kernel's too. */
    private final List<KernelArtifacts.Known> added = new ArrayList<>();

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        if (args.isEmpty() || args.contains("-h") || args.contains("--help")) {
            System.out.println(USAGE);
            return null;
        }
        List<Artifact> wanted = new ArrayList<>();
        Map<String, String> properties = new LinkedHashMap<>();
        boolean describe = false;
        for (String a : args) {
            if (a.equals("--settings")) {
                describe = true;
            } else if (a.startsWith("-D")) {
                int eq = a.indexOf('=');
                if (eq == 2 || a.length() == 2) {
                    throw MagicException.usage("'" + a + "' names no property: write -Dname=value", USAGE);
                }
                properties.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
            } else if (a.startsWith("-")) {
                throw MagicException.usage("unknown option '" + a + "'", USAGE);
            } else {
                try {
                    wanted.add(MavenResolver.parse(a));
                } catch (IllegalArgumentException e) {
                    throw MagicException.usage(e.getMessage(), USAGE);
                }
            }
        }
        MavenSetup setup;
        try {
            setup = MavenSetup.standard();
        } catch (IllegalArgumentException e) {
            throw MagicException.failed(e.getMessage());
        }
        if (describe) {
            System.out.print(setup.describe());
        }
        if (startup == null) {
            startup = KernelArtifacts.of(System.getProperty("java.class.path", ""));
        }
        KernelArtifacts provided = startup.plus(added);
        List<Artifact> toResolve = new ArrayList<>();
        for (Artifact c : wanted) {
            var known = provided.find(c.getGroupId(), c.getArtifactId());
            if (known.isPresent()) {
                System.out.println(known.get().key() + " is already on the kernel's class path (version "
                        + known.get().version() + "; that version is the one cells use)");
            } else {
                toResolve.add(c);
            }
        }
        if (toResolve.isEmpty()) {
            return null;
        }
        MavenResolver.Resolution r;
        try {
            r = new MavenResolver(setup, provided, System.out).resolve(toResolve, properties);
        } catch (MavenResolver.ResolutionException e) {
            throw MagicException.failed("cannot resolve " + String.join(", ", toResolve.stream()
                    .map(MavenResolver::toString).toList()) + " (nothing was added): " + e.getMessage());
        }
        for (String line : r.relocations()) {
            System.out.println("relocated: " + line);
        }
        if (!r.keptFromKernel().isEmpty()) {
            System.out.println("kept the kernel's own " + String.join(", ", r.keptFromKernel().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).toList()));
        }
        List<Path> files = r.jars().stream().map(MavenResolver.Resolved::file).toList();
        if (files.isEmpty()) {
            System.out.println("nothing to add: every jar is already on the kernel's class path");
            return null;
        }
        KernelClasspath.add(kernel, files);
        for (MavenResolver.Resolved j : r.jars()) {
            added.add(new KernelArtifacts.Known(j.artifact().getGroupId(), j.artifact().getArtifactId(),
                    j.artifact().getVersion(), j.file()));
        }
        long downloaded = r.jars().stream().filter(MavenResolver.Resolved::downloaded).count();
        System.out.println("added " + files.size() + " jar" + (files.size() == 1 ? "" : "s") + " ("
                + (files.size() - downloaded) + " from the local repository, " + downloaded + " downloaded): "
                + String.join(", ", r.jars().stream().map(MavenResolver.Resolved::coordinate).toList()));
        return null;
    }
}
