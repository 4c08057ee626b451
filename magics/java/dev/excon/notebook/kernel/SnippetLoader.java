package dev.excon.notebook.kernel;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Loads the classes JShell compiles from cells, plus jars added with {@code %classpath}, {@code %jars} or {@code
 * %maven}. Its parent is the kernel's own class loader, so notebook code sees the ExCon library and its dependencies as
 * the kernel does (same classes, same static state).
 */
final class SnippetLoader implements LoaderDelegate {

    private final Map<String, byte[]> bytecodes = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
    private final Set<String> alreadyVisible = ConcurrentHashMap.newKeySet();
    private final Loader loader;

    SnippetLoader(ClassLoader parent) {
        this.loader = new Loader(parent);
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                alreadyVisible.add(normalise(entry));
            }
        }
    }

    ClassLoader classLoader() {
        return loader;
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (ClassBytecodes c : classes) {
            bytecodes.put(c.name(), c.bytecodes());
        }
        for (int i = 0; i < classes.length; i++) {
            try {
                loaded.put(classes[i].name(), loader.loadClass(classes[i].name()));
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("cannot load " + classes[i].name() + ": " + e, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            bytecodes.put(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank() || alreadyVisible.contains(normalise(entry))) {
                continue; // the kernel's own class path: the parent loader has it already
            }
            try {
                loader.addURL(Path.of(entry).toAbsolutePath().toUri().toURL());
                alreadyVisible.add(normalise(entry));
            } catch (MalformedURLException | RuntimeException e) {
                throw new InternalException("cannot add " + entry + " to the class path: " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = loaded.get(name);
        if (c != null) {
            return c;
        }
        if (bytecodes.containsKey(name)) {
            return loader.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }

    private static String normalise(String entry) {
        try {
            return Path.of(entry).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            return entry;
        }
    }

    /** Cell classes first by their bytecode, everything else from the added jars after the parent. */
    private final class Loader extends URLClassLoader {

        Loader(ClassLoader parent) {
            super("excon-notebook", new URL[0], parent);
        }

        @Override
        protected void addURL(URL url) {
            super.addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = bytecodes.get(name);
            if (b == null) {
                return super.findClass(name);
            }
            return defineClass(name, b, 0, b.length);
        }
    }
}
