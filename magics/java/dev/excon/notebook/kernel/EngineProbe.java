package dev.excon.notebook.kernel;

import java.lang.reflect.Field;

/** Tells whether DJL's PyTorch engine has been loaded, without loading it (loading takes a second or two). */
final class EngineProbe {

    private static volatile Field engineField;
    private static volatile boolean unavailable;

    private EngineProbe() {}

    /** True once some code has loaded the PyTorch engine in this JVM. */
    static boolean pytorchLoaded() {
        if (unavailable) {
            return false;
        }
        try {
            Field f = engineField;
            if (f == null) {
                Class<?> provider = Class.forName("ai.djl.pytorch.engine.PtEngineProvider", false,
                        EngineProbe.class.getClassLoader());
                f = provider.getDeclaredField("engine");
                f.setAccessible(true);
                engineField = f;
            }
            return f.get(null) != null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true; // another DJL version or no PyTorch engine: nothing to switch
            return false;
        }
    }
}
