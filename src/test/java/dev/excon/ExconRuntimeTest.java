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

    @Test
    void pytorchEngineRunsOffline() {
        assertEquals("PyTorch", ExconRuntime.engine().getEngineName());
        try (NDManager m = NDManager.newBaseManager(ExconRuntime.defaultDevice())) {
            NDArray a = m.create(new float[] {1, 2, 3});
            assertEquals(14f, a.mul(a).sum().getFloat(), 0f);
        }
    }
}
