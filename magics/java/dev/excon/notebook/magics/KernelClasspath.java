package dev.excon.notebook.magics;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Adds jars to a running kernel's class path: this project's kernel and JJava's own both have a public {@code
 * addToClasspath(String)}; the base class has none, so it is found by name.
 */
final class KernelClasspath {

    private KernelClasspath() {}

    /** Adds the entries, or fails with a {@link MagicException} saying why this kernel cannot take them. */
    static void add(BaseKernel kernel, List<Path> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String cp = entries.stream().map(p -> p.toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        try {
            Method m = kernel.getClass().getMethod("addToClasspath", String.class);
            m.invoke(kernel, cp);
        } catch (NoSuchMethodException e) {
            throw MagicException.failed("this kernel (" + kernel.getClass().getName() + ") cannot add jars to its "
                    + "class path; use the excon kernel or JJava");
        } catch (InvocationTargetException e) {
            throw MagicException.failed("could not add " + cp + " to the class path: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw MagicException.failed("could not add " + cp + " to the class path: " + e);
        }
    }
}
