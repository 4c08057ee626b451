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

    /** Adds the entries; false (and a message on stderr) if this kernel cannot take new jars. */
    static boolean add(BaseKernel kernel, List<Path> entries) {
        if (entries.isEmpty()) {
            return true;
        }
        String cp = entries.stream().map(p -> p.toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        try {
            Method m = kernel.getClass().getMethod("addToClasspath", String.class);
            m.invoke(kernel, cp);
            return true;
        } catch (NoSuchMethodException e) {
            System.err.println("this kernel (" + kernel.getClass().getName() + ") cannot add jars to its class path");
            return false;
        } catch (InvocationTargetException e) {
            System.err.println("could not add to the class path: " + e.getCause());
            return false;
        } catch (ReflectiveOperationException e) {
            System.err.println("could not add to the class path: " + e);
            return false;
        }
    }
}
