package dev.excon.notebook.kernel;

import dev.excon.ExconRuntime;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Starts the ExCon kernel: {@code java ... dev.excon.notebook.kernel.KernelMain <connection file>}, as the kernelspec's
 * {@code kernel.json} says. {@code --warm-up} instead runs the start-up work once and exits, which is how the
 * kernelspec installer records the class-data-sharing archive that makes the first cell fast.
 */
public final class KernelMain {

    private KernelMain() {}

    private static final boolean TRACE = System.getenv("EXCON_KERNEL_TRACE") != null;

    /** The process's own standard error (Jupyter's log); cells get streams of their own while they run. */
    static final PrintStream LOG = System.err;

    /** With EXCON_KERNEL_TRACE set: the wall-clock time (epoch ms) of start-up steps, for measurements. */
    static void trace(String what) {
        if (TRACE) {
            LOG.println("excon kernel trace " + System.currentTimeMillis() + " " + what);
        }
    }

    public static void main(String[] args) throws Exception {
        trace("main");
        ExconRuntime.init();
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        defaultDataRoot();
        if (args.length == 1 && args[0].equals("--warm-up")) {
            WarmUp.run();
            System.exit(0);
        }
        if (args.length != 1) {
            System.err.println("usage: KernelMain <connection file> | --warm-up");
            System.exit(2);
        }
        PrintStream log = LOG;
        KernelConnectionProperties props = KernelConnectionProperties.parse(
                Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        ExconKernel kernel = ExconKernel.create();
        kernel.startEvaluator();
        GuardedConnection connection = new GuardedConnection(props, log, kernel.cellThread());
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        trace("connected");
        watchParent(log);
        kernel.awaitShutdown();
        // Let the shutdown reply leave, but do not hang on sockets of a client that is gone.
        Thread closer = new Thread(connection::waitUntilClose, "excon-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(2000);
        System.exit(0);
    }

    /**
     * Notebooks run in their own directory, not the project's: unless the user chose a data root, it is the data/ of
     * the checkout the kernelspec points at ({@code -Dexcon.home}).
     */
    private static void defaultDataRoot() {
        String home = System.getProperty("excon.home");
        String env = System.getenv("EXCON_DATA");
        if (home != null && System.getProperty("excon.data") == null && (env == null || env.isBlank())) {
            System.setProperty("excon.data", Path.of(home, "data").toString());
        }
    }

    /** Jupyter names its process in JPY_PARENT_PID: when it dies, so does the kernel (no orphans). */
    private static void watchParent(PrintStream log) {
        String pid = System.getenv("JPY_PARENT_PID");
        if (pid == null || pid.isBlank()) {
            return;
        }
        try {
            ProcessHandle.of(Long.parseLong(pid.trim())).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> {
                        log.println("excon kernel: parent process " + pid + " ended; exiting");
                        Runtime.getRuntime().halt(0);
                    }),
                    () -> {
                        log.println("excon kernel: parent process " + pid + " is gone; exiting");
                        Runtime.getRuntime().halt(0);
                    });
        } catch (NumberFormatException e) {
            log.println("excon kernel: JPY_PARENT_PID=" + pid + " is not a process id; not watching the parent");
        }
    }
}
