package dev.excon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A kernel never outlives its front end: when the process that started it dies, the kernel exits. */
@Tag("kernel")
class KernelLifecycleTest {

    @Test
    void kernelExitsWhenItsParentDies() throws Exception {
        KernelSession session = new KernelSession();
        long pid;
        try {
            assertEquals("2", session.execute("1 + 1").result("text/plain"));
            pid = session.call("op", "kernel_pid").get("pid").getAsLong();
        } catch (RuntimeException | AssertionError e) {
            session.close();
            throw e;
        }
        Optional<ProcessHandle> kernel = ProcessHandle.of(pid);
        assertTrue(kernel.isPresent() && kernel.get().isAlive(), "kernel " + pid + " runs");
        session.killDriver(); // no shutdown request: the parent just vanishes
        try {
            kernel.get().onExit().get(1, TimeUnit.MINUTES); // it exits within a second; the minute is a hang guard
        } catch (java.util.concurrent.TimeoutException e) {
            kernel.get().destroyForcibly();
            throw new AssertionError("kernel " + pid + " still runs a minute after its parent died");
        }
        assertFalse(kernel.get().isAlive());
    }
}
