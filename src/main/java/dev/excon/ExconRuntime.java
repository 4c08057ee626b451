package dev.excon;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Process-wide defaults every ExCon entry point applies before DJL loads its engine.
 *
 * <p>Nothing leaves the machine unless the user asks: DJL is put in offline mode (no model-zoo or native downloads)
 * and its telemetry is switched off. PyTorch runs one intra-op thread per core and one inter-op thread. cuDNN's
 * benchmark mode is on: on a GPU, each convolution shape is timed once and the fastest algorithm kept (no effect on
 * the CPU). Each default
 * is only set when the user has not chosen a value through a system property or environment variable, so {@code
 * -Dai.djl.offline=false} or {@code DJL_OFFLINE=false} still lets DJL fetch CUDA libtorch on a GPU machine.
 */
public final class ExconRuntime {

    /** System property naming the number of PyTorch intra-op threads (DJL's own name). */
    public static final String NUM_THREADS = "ai.djl.pytorch.num_threads";

    /** System property naming the number of PyTorch inter-op threads (DJL's own name). */
    public static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    /**
     * System property (DJL's own name, read once when the engine loads) for cuDNN's benchmark mode; default {@code
     * true}, also settable through {@code EXCON_CUDNN_BENCHMARK}. {@code false} keeps cuDNN's heuristic choice, which
     * does not depend on timings, and skips the timing of every new batch shape (ExConB's batches vary).
     */
    public static final String CUDNN_BENCHMARK = "ai.djl.pytorch.cudnn_benchmark";

    private static volatile boolean initialised;

    private ExconRuntime() {}

    /** Applies the defaults once; cheap to call from every entry point. */
    public static void init() {
        if (initialised) {
            return;
        }
        synchronized (ExconRuntime.class) {
            if (initialised) {
                return;
            }
            defaultProperty("ai.djl.offline", "DJL_OFFLINE", "true");
            defaultProperty("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
            defaultProperty(NUM_THREADS, null, Integer.toString(threads()));
            defaultProperty(NUM_INTEROP_THREADS, null, "1");
            defaultProperty(CUDNN_BENCHMARK, "EXCON_CUDNN_BENCHMARK", "true");
            initialised = true;
        }
    }

    /**
     * The number of compute threads: {@code EXCON_THREADS} if set, else {@code OMP_NUM_THREADS}, else the number of
     * cores the JVM sees.
     */
    public static int threads() {
        for (String name : new String[] {"EXCON_THREADS", "OMP_NUM_THREADS"}) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                try {
                    int n = Integer.parseInt(value.trim());
                    if (n > 0) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            name + "=" + value + " is not a positive integer; unset it or give a thread count");
                }
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** True when DJL will not download anything (the default). */
    public static boolean offline() {
        init();
        return Boolean.parseBoolean(System.getProperty("ai.djl.offline"));
    }

    /** The engine, initialised with the defaults above. */
    public static Engine engine() {
        init();
        return Engine.getEngine("PyTorch");
    }

    /**
     * The device a run uses when the user does not choose one: the first GPU when DJL sees one, else the CPU.
     */
    public static Device defaultDevice() {
        return engine().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }

    /**
     * Turns off PyTorch's gradient recording on the calling thread. libtorch keeps that switch per thread and DJL
     * only turns it off on the thread that loaded the engine, so a forward pass on any other thread (a notebook
     * kernel's, a worker's) would record a graph it never uses. Gradient collectors still turn it on for their
     * scope. A no-op on other engines.
     */
    public static void noGradientRecording() {
        init();
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            jni.getMethod("setGradMode", boolean.class).invoke(null, false);
        } catch (ReflectiveOperationException | LinkageError e) {
            // Not the PyTorch engine: nothing to switch.
        }
    }

    /** Whether the calling thread records gradients (PyTorch's grad mode); false on other engines. */
    public static boolean recordsGradients() {
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            return (Boolean) jni.getMethod("isGradMode").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    private static void defaultProperty(String property, String envName, String value) {
        if (System.getProperty(property) != null) {
            return;
        }
        String env = envName == null ? null : System.getenv(envName);
        System.setProperty(property, env != null && !env.isBlank() ? env : value);
    }
}
