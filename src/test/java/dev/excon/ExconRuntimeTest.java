package dev.excon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ExconRuntimeTest {

    @Test
    void defaultsKeepEverythingOnTheMachine() {
        ExconRuntime.init();
        assertTrue(ExconRuntime.offline(), "DJL must be offline by default");
        assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
        assertEquals(Integer.toString(ExconRuntime.threads()), System.getProperty(ExconRuntime.NUM_THREADS));
    }

    /** DJL reads the property once, when the engine loads; on the CPU the flag is set and has no effect. */
    @Test
    void cudnnBenchmarkIsOnUnlessTheUserSaysOtherwise() {
        ExconRuntime.init();
        String env = System.getenv("EXCON_CUDNN_BENCHMARK");
        assertEquals(env != null && !env.isBlank() ? env : "true", System.getProperty(ExconRuntime.CUDNN_BENCHMARK));
        assertEquals("PyTorch", ExconRuntime.engine().getEngineName());
    }

    @Test
    void gradientRecordingIsOffOnAnyThreadThatAsks() throws Exception {
        ExconRuntime.engine();
        boolean[] seen = new boolean[2];
        Thread t = new Thread(() -> {
            seen[0] = ExconRuntime.recordsGradients(); // libtorch's default on a fresh thread
            ExconRuntime.noGradientRecording();
            seen[1] = ExconRuntime.recordsGradients();
        });
        t.start();
        t.join();
        assertTrue(seen[0], "a new thread starts with PyTorch's default (recording on)");
        assertTrue(!seen[1], "and stops recording when asked");
    }

    @Test
    void pytorchEngineRunsOffline() {
        assertEquals("PyTorch", ExconRuntime.engine().getEngineName());
        try (NDManager m = NDManager.newBaseManager(ExconRuntime.defaultDevice())) {
            NDArray a = m.create(new float[] {1, 2, 3});
            assertEquals(14f, a.mul(a).sum().getFloat(), 0f);
        }
    }
}
