package dev.excon.notebook.magics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.resolution.VersionRangeResolutionException;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.transfer.RepositoryOfflineException;

/**
 * Turns Maven Resolver's exceptions into one message for a notebook user: what failed (the resolver's own words,
 * which name the artifact and the repository) and the fix for that kind of failure. Maven Resolver has the facts but
 * no advice, and its messages repeat each other down the cause chain.
 */
final class ResolutionFailure {

    private ResolutionFailure() {}

    static String explain(List<Artifact> wanted, DependencyResolutionException e, MavenSetup setup) {
        List<Throwable> roots = new ArrayList<>();
        DependencyResult result = e.getResult();
        if (result != null) {
            roots.addAll(result.getCollectExceptions());
            for (ArtifactResult r : result.getArtifactResults()) {
                if (!r.isResolved()) {
                    roots.addAll(r.getExceptions());
                }
            }
        }
        if (roots.isEmpty()) {
            roots.add(e);
        }
        Set<String> what = new LinkedHashSet<>();
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t : roots) {
            Throwable deepest = t;
            for (Throwable c = t; c != null; c = c.getCause()) {
                chain.add(c);
                deepest = c;
            }
            what.add(t.getMessage() == null ? t.getClass().getSimpleName() : clean(t.getMessage()));
            if (deepest.getMessage() != null) {
                what.add(clean(deepest.getMessage()));
            }
        }
        // The resolver repeats a cause's message inside its own: keep only the messages no other one contains.
        List<String> distinct = what.stream().filter(m -> what.stream().noneMatch(o -> !o.equals(m) && o.contains(m)))
                .toList();
        return String.join("; ", distinct) + ". " + fix(wanted, chain, setup);
    }

    /** Without a leading exception class name ({@code a.b.SomeException: }) and trailing full stops. */
    private static String clean(String message) {
        return message.replaceFirst("^([a-z][\\w$]*\\.)+[A-Z][\\w$]*: ", "").replaceAll("[.\\s]+$", "");
    }

    private static String fix(List<Artifact> wanted, List<Throwable> chain, MavenSetup setup) {
        if (any(chain, ChecksumFailureException.class)) {
            boolean none = chain.stream().anyMatch(t -> t instanceof ChecksumFailureException
                    && t.getMessage() != null && t.getMessage().contains("no checksums"));
            return (none ? "The repository publishes no .sha1 or .md5 for it, so the download cannot be checked"
                    : "The download does not match its published checksum (a broken or tampered file)")
                    + " and is not added. Try again later; if that repository is known to publish bad or no "
                    + "checksums, give it <checksumPolicy>warn</checksumPolicy> in " + settings(setup);
        }
        if (setup.offline() || any(chain, RepositoryOfflineException.class)) {
            return "Downloads are off (EXCON_MAVEN_OFFLINE, -Dexcon.maven.offline or <offline> in " + settings(setup)
                    + ") and the local repository " + setup.localRepository() + " lacks it: run %maven once online, "
                    + "or fetch it there with mvn dependency:get -Dartifact=" + coordinates(wanted);
        }
        if (any(chain, VersionRangeResolutionException.class) || chain.stream().anyMatch(t -> t.getMessage() != null
                && t.getMessage().contains("No versions available"))) {
            return "No version in that range exists in " + repositories(setup) + ": widen the range or give a "
                    + "fixed version";
        }
        if (chain.stream().anyMatch(t -> t.getMessage() != null && (t.getMessage().contains("401")
                || t.getMessage().contains("403")))) {
            return "The repository refused access: give its credentials in " + settings(setup) + " as <server> "
                    + "with the id of the repository or of its mirror";
        }
        if (any(chain, ArtifactNotFoundException.class)) {
            return "Check the coordinate (group, artifact, version, classifier) and the repositories it was "
                    + "looked for in: " + repositories(setup);
        }
        return "Check the network, the proxy (<proxies> in " + settings(setup) + ", or https_proxy) and the "
                + "repositories: " + repositories(setup);
    }

    private static boolean any(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }

    private static String settings(MavenSetup setup) {
        return setup.settingsFile() == null ? "~/.m2/settings.xml" : setup.settingsFile().toString();
    }

    private static String coordinates(List<Artifact> wanted) {
        return wanted.stream().map(MavenResolver::toString).collect(Collectors.joining(","));
    }

    private static String repositories(MavenSetup setup) {
        List<String> out = new ArrayList<>();
        for (RemoteRepository r : setup.repositories()) {
            RemoteRepository m = setup.mirrors().getMirror(r);
            out.add(m == null ? r.getId() + " (" + r.getUrl() + ")"
                    : r.getId() + " through mirror " + m.getId() + " (" + m.getUrl() + ")");
        }
        return String.join(", ", out) + " (settings: " + settings(setup) + ", EXCON_MAVEN_REPOSITORIES)";
    }
}
