package dev.excon.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class MinMaxTest {

    @Test
    void eachImageIsScaledByItsOwnRangePlusOneEMinusEight() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray raw = m.create(new float[] {
                1, 3, 5, 5, // range 4
                -2, -2, -2, -2, // constant: all zeros, no division by zero
                0, 1e-8f, 0, 0 // range 1e-8: the epsilon halves the maximum
            }, new Shape(3, 1, 2, 2));
            int before = m.getManagedArrays().size();
            NDArray map = Explainer.minMaxNormalize(raw);
            assertEquals(before + 1, m.getManagedArrays().size(), "only the result stays");
            assertEquals(raw.getShape(), map.getShape());
            assertArrayEquals(new float[] {0, 0.5f, 1, 1, 0, 0, 0, 0, 0, 0.5f, 0, 0}, map.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1, 3, 5, 5}, raw.get(0).toFloatArray(), "the input is untouched");
        }
    }
}
