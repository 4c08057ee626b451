package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SgdTest {

    @Test
    void followsPyTorchsMomentumAndWeightDecayUpdate() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Linear layer = Linear.builder().setUnits(1).optBias(false).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            Parameter w = layer.getParameters().get(0).getValue();
            w.getArray().muli(0).addi(m.create(new float[] {1f, -2f}, new Shape(1, 2)));
            Sgd sgd = new Sgd(List.of(w), 0.9f, 0.1f);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.create(new float[] {3f, 4f}, new Shape(1, 2)); // d(w.x)/dw = x
            // By hand: g1 = x + 0.1 w0 = (3.1, 3.8); buf1 = g1; w1 = w0 - 0.5 g1 = (-0.55, -3.9).
            // g2 = x + 0.1 w1 = (2.945, 3.61); buf2 = 0.9 buf1 + g2 = (5.735, 7.03); w2 = w1 - 0.5 buf2 = (-3.4175, -7.415).
            float[][] expected = {{-0.55f, -3.9f}, {-3.4175f, -7.415f}};
            for (float[] want : expected) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = layer.forward(ps, new NDList(x), true).singletonOrThrow().sum();
                    gc.backward(y);
                }
                sgd.step(0.5f);
                assertArrayEquals(want, w.getArray().toFloatArray(), 1e-5f);
                try (NDArray g = w.getArray().getGradient()) {
                    assertEquals(0f, g.abs().sum().getFloat(), "step zeroes the gradient it used");
                }
            }
            assertEquals(2, sgd.steps());
        }
    }

    @Test
    void restoredStateContinuesExactly() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            List<float[]> a = run(m, 4, -1);
            List<float[]> b = run(m, 4, 2); // checkpoint after 2 steps, restore into a fresh optimiser
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), 0f, "step " + i);
            }
        }
    }

    private static List<float[]> run(NDManager m, int steps, int restartAfter) {
        Linear layer = Linear.builder().setUnits(1).optBias(false).build();
        layer.initialize(m, DataType.FLOAT32, new Shape(1, 3));
        Parameter w = layer.getParameters().get(0).getValue();
        w.getArray().muli(0).addi(m.create(new float[] {0.5f, -1f, 2f}, new Shape(1, 3)));
        ParameterStore ps = new ParameterStore(m, false);
        Sgd sgd = new Sgd(List.of(w), 0.9f, 1e-4f);
        List<float[]> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            if (s == restartAfter) {
                NDList saved = new NDList();
                for (NDArray buf : sgd.state()) {
                    saved.add(buf.duplicate());
                }
                long savedSteps = sgd.steps();
                sgd = new Sgd(List.of(w), 0.9f, 1e-4f);
                sgd.restore(NDList.decode(m, saved.encode()), savedSteps);
            }
            NDArray x = m.create(new float[] {1f + s, 2f, -s}, new Shape(1, 3));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = layer.forward(ps, new NDList(x), true).singletonOrThrow();
                gc.backward(y.mul(y).sum());
            }
            sgd.step(0.1f);
            out.add(w.getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void restoreRejectsAnotherNetworksState() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Linear layer = Linear.builder().setUnits(1).optBias(false).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            Sgd sgd = new Sgd(List.of(layer.getParameters().get(0).getValue()), 0.9f, 0f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sgd.restore(new NDList(m.zeros(new Shape(1, 4))), 3));
            assertTrue(e.getMessage().contains("(1, 4)") && e.getMessage().contains("(1, 3)"), e.getMessage());
        }
    }

    @Test
    void scheduleMatchesTheReferenceFormula() {
        LearningRateSchedule s = new LearningRateSchedule(0.5f, 200, 0);
        assertEquals(0.0005f, s.etaMin(), 1e-9f);
        // epoch 1: 5e-4 + (0.5 - 5e-4) * (1 + cos(pi / 200)) / 2
        assertEquals(0.0005 + 0.4995 * (1 + Math.cos(Math.PI / 200)) / 2, s.rate(1, 0, 196), 1e-7);
        assertEquals(0.0005 + 0.4995 * 0.5, s.rate(100, 5, 196), 1e-7);
        assertEquals(0.0005f, s.rate(200, 0, 196), 1e-7f);
        LearningRateSchedule warm = new LearningRateSchedule(0.5f, 200, 10);
        assertEquals(0.01f, warm.rate(1, 0, 100), 1e-7f);
        // Halfway through warm-up: batch 0 of epoch 6 is 500 of 1000 warm-up batches.
        assertEquals(0.01 + 0.5 * (warm.cosine(10) - 0.01), warm.rate(6, 0, 100), 1e-6);
        assertEquals(warm.cosine(11), warm.rate(11, 0, 100), 0f);
        assertThrows(IllegalArgumentException.class, () -> s.rate(201, 0, 1));
    }
}
