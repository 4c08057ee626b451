package dev.excon.notebook.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.excon.notebook.Notebook;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code %excon} in process: usage, a UsageError for every wrong argument, seed, device, env (printed here). */
class ExconMagicTest {

    private final ExconMagic magic = new ExconMagic();

    @AfterEach
    void reset() {
        Notebook.setSeed(Notebook.DEFAULT_SEED);
        Notebook.setDevice(null);
        Notebook.usePrecision("fp32");
    }

    private String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            magic.eval(null, List.of(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentPrintsTheUsage() {
        assertTrue(run().contains("usage: %excon"));
    }

    @Test
    void wrongArgumentsFailWithAUsageErrorNamingTheValue() {
        Map<List<String>, String> named = new LinkedHashMap<>();
        named.put(List.of("nope"), "'nope'");
        named.put(List.of("seed"), "needs a number");
        named.put(List.of("seed", "abc"), "'abc' is not an integer seed");
        named.put(List.of("seed", "1", "2"), "not '1 2'");
        named.put(List.of("device", "foo"), "'foo' is not a device");
        named.put(List.of("device", "cpu", "1"), "'cpu 1' is not a device");
        named.put(List.of("device", "gpu", "x"), "'x' is not a GPU number");
        named.put(List.of("env", "extra"), "not 'extra'");
        named.put(List.of("precision", "fp16"), "'fp16' is not a precision");
        named.put(List.of("precision", "bf16", "now"), "not 'bf16 now'");
        named.forEach((args, value) -> {
            MagicException e = assertThrows(MagicException.class, () -> magic.eval(null, args), args.toString());
            assertEquals("UsageError", e.errorName(), args.toString());
            assertTrue(e.getMessage().contains(value), args + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains("%excon") || e.getMessage().contains("env, seed or device"),
                    "the message says what to write instead: " + e.getMessage());
            assertEquals(ExconMagic.USAGE, String.join("\n", e.details()), "the usage comes with it");
        });
        assertEquals(Notebook.DEFAULT_SEED, Notebook.seed(), "a failed %excon seed changes nothing");
        assertEquals(dev.excon.model.Precision.FP32, Notebook.precision(), "a failed %excon precision neither");
    }

    @Test
    void seedSetsTheNotebookValueAndTheEngine() {
        String out = run("seed", "1234");
        assertEquals(1234, Notebook.seed());
        assertTrue(out.contains("seed 1234") && out.contains("engine seeded"), out);
        assertEquals(1234, Engine.getInstance().getSeed());
    }

    @Test
    void deviceChoosesCpuAndExplainsAMissingGpu() {
        assertTrue(run("device", "cpu").contains("cpu()"));
        assertEquals(Device.cpu(), Notebook.device());
        String gpu = run("device", "gpu");
        if (Engine.getInstance().getGpuCount() == 0) {
            assertTrue(gpu.contains("no GPU") && gpu.contains("GPU=1"), gpu);
            assertEquals(Device.cpu(), Notebook.device(), "unchanged");
        } else {
            assertEquals(Device.gpu(0), Notebook.device());
        }
        assertTrue(run("device").contains("device: "));
    }

    @Test
    void precisionIsBf16WhereTheProcessorHasItElseFp32WithTheReason() {
        String out = run("precision", "bf16");
        boolean cpuHasIt = dev.excon.model.Precision.cpuBf16Support() != null;
        assertEquals(cpuHasIt ? dev.excon.model.Precision.BF16 : dev.excon.model.Precision.FP32, Notebook.precision());
        assertEquals(!cpuHasIt, out.contains("note: precision=bf16 asked for"), out);
        assertTrue(run("precision").contains("precision: " + Notebook.precision().key()));
        run("precision", "FP32");
        assertEquals(dev.excon.model.Precision.FP32, Notebook.precision());
    }

    @Test
    void envListsEngineThreadsMemoryAndDataSets() {
        String out = run("env");
        for (String row : List.of("Java", "engine", "PyTorch", "device", "GPUs", "threads", "memory", "allocator",
                "offline", "seed", "precision", "data root", "Fashion-MNIST", "CIFAR-10", "CIFAR-100", "Tiny ImageNet",
                "CIFAR-100-C")) {
            assertTrue(out.contains(row), row + " missing:\n" + out);
        }
    }

    @Test
    void completionOffersTheSubCommands() {
        assertEquals(List.of("env", "seed", "device", "precision"), ExconExtension.argumentCompletions("excon"));
        assertEquals(List.of(), ExconExtension.argumentCompletions("maven"));
    }
}
