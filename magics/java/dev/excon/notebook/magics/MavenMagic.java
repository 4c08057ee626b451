package dev.excon.notebook.magics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/**
 * {@code %maven group:artifact:version ...}: adds artifacts and their compile and runtime dependencies to the class
 * path, from the local Maven repository or, when missing there, from Maven Central (see {@link MavenResolver}). A
 * coordinate that does not parse or cannot be resolved fails the cell ({@link MagicException}) and adds nothing.
 */
final class MavenMagic implements LineMagic<Void, BaseKernel> {

    static final String USAGE = "usage: %maven group:artifact:version ...   adds the jars and their dependencies "
            + "(local ~/.m2/repository first, then Maven Central; EXCON_MAVEN_OFFLINE=true: local only)";

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        if (args.isEmpty() || args.contains("-h") || args.contains("--help")) {
            System.out.println(USAGE);
            return null;
        }
        List<MavenResolver.Coordinate> wanted = new ArrayList<>();
        for (String a : args) {
            try {
                wanted.add(MavenResolver.Coordinate.parse(a));
            } catch (IllegalArgumentException e) {
                throw MagicException.usage(e.getMessage(), USAGE);
            }
        }
        MavenResolver resolver = MavenResolver.standard(System.out)
                .provided(MavenResolver.Provided.of(System.getProperty("java.class.path", "")));
        Map<String, MavenResolver.Artifact> jars = new LinkedHashMap<>();
        for (MavenResolver.Coordinate c : wanted) {
            if (resolver.isProvided(c)) {
                System.out.println(c.groupId() + ":" + c.artifactId() + " is already on the kernel's class path "
                        + "(that version is the one cells use)");
                continue;
            }
            try {
                for (MavenResolver.Artifact a : resolver.resolve(c)) {
                    jars.putIfAbsent(a.coordinate().groupId() + ":" + a.coordinate().artifactId(), a);
                }
            } catch (MavenResolver.ResolutionException e) {
                throw MagicException.failed("cannot resolve " + c + " (nothing was added): " + e.getMessage());
            }
        }
        List<Path> files = jars.values().stream().map(MavenResolver.Artifact::file).toList();
        if (files.isEmpty()) {
            return null;
        }
        KernelClasspath.add(kernel, files);
        long downloaded = jars.values().stream().filter(MavenResolver.Artifact::downloaded).count();
        System.out.println("added " + files.size() + " jar" + (files.size() == 1 ? "" : "s") + " ("
                + (files.size() - downloaded) + " from the local repository, " + downloaded + " downloaded): "
                + String.join(", ", jars.values().stream().map(a -> a.coordinate().toString()).toList()));
        return null;
    }
}
