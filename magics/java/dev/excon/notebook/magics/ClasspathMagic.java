package dev.excon.notebook.magics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/**
 * {@code %classpath PATH...} adds jars or class directories; {@code %jars PATH...} adds jars, taking every jar in a
 * directory. Both accept globs in the last part of a path ({@code lib/*.jar}) and {@code ~}. A path that matches
 * nothing (or, for {@code %jars}, a file that is not a jar) fails the cell and nothing is added.
 */
final class ClasspathMagic implements LineMagic<Void, BaseKernel> {

    private final boolean jarsOnly;

    ClasspathMagic(boolean jarsOnly) {
        this.jarsOnly = jarsOnly;
    }

    String usage() {
        return jarsOnly
                ? "usage: %jars PATH...   add jar files; a directory adds every jar in it; globs like lib/*.jar work"
                : "usage: %classpath PATH...   add jars or class directories; globs like lib/*.jar work";
    }

    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        if (args.isEmpty() || args.contains("-h") || args.contains("--help")) {
            System.out.println(usage());
            return null;
        }
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String arg : args) {
            List<Path> matches = expand(arg);
            if (matches.isEmpty()) {
                missing.add(arg);
            }
            for (Path p : matches) {
                if (jarsOnly && Files.isDirectory(p)) {
                    List<Path> jars = jarsIn(p);
                    if (jars.isEmpty()) {
                        missing.add(p + " (no .jar in it)");
                    }
                    found.addAll(jars);
                } else if (jarsOnly && !p.getFileName().toString().endsWith(".jar")) {
                    missing.add(p + " (not a .jar)");
                } else {
                    found.add(p);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw MagicException.usage("not found: " + String.join(", ", missing) + " (relative paths start at "
                    + Path.of("").toAbsolutePath() + "; nothing was added)", usage());
        }
        KernelClasspath.add(kernel, found);
        System.out.println("added " + found.size() + " to the class path: "
                + String.join(", ", found.stream().map(p -> p.getFileName().toString()).toList()));
        return null;
    }

    /** The existing paths an argument names (glob in the last part allowed). */
    static List<Path> expand(String arg) {
        String a = arg.startsWith("~/") ? System.getProperty("user.home") + arg.substring(1) : arg;
        Path p = Path.of(a);
        String last = p.getFileName() == null ? "" : p.getFileName().toString();
        List<Path> out = new ArrayList<>();
        if (last.contains("*") || last.contains("?") || last.contains("[")) {
            Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, last)) {
                    ds.forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            out.sort(null);
        } else if (Files.exists(p)) {
            out.add(p);
        }
        return out;
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
