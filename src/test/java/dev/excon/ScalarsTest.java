package dev.excon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.GradientCollector;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    /** The Java buffer behind a DJL PyTorch array made from Java values (null when libtorch owns the memory). */
    private static ByteBuffer javaBuffer(NDArray a) throws ReflectiveOperationException {
        Field f = PtNDArray.class.getDeclaredField("dataRef");
        f.setAccessible(true);
        return (ByteBuffer) f.get(a);
    }

    /**
     * Why the library avoids DJL's number overloads: a factor made from a Java value and closed before backward (as
     * {@code mul(Number)} does at once) is still read by backward from the Java buffer, which the collector may free
     * and the allocator reuse. Writing into that buffer after the close stands in for the reuse.
     */
    @Test
    void backwardReadsAClosedJavaBackedFactorButNotAnOwnedOne() throws ReflectiveOperationException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, 2f, 3f});
            x.setRequiresGradient(true);
            NDArray javaBacked = m.create(4f);
            ByteBuffer buffer = javaBuffer(javaBacked);
            assertNotNull(buffer, "DJL keeps a Java buffer behind arrays made from Java values");
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = x.div(javaBacked).sum();
                javaBacked.close();
                buffer.putFloat(0, 0.5f); // the freed memory now holds something else
                gc.backward(y);
            }
            assertArrayEquals(new float[] {2f, 2f, 2f}, x.getGradient().toFloatArray(),
                    "d/dx sum(x / s) = 1 / s with the value found at backward time: 1 / 0.5, not 1 / 4");

            NDArray z = m.create(new float[] {1f, 2f, 3f});
            z.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray four = Scalars.of(z, 4);
                assertNull(javaBuffer(four), "libtorch owns the scalar's memory");
                NDArray y = z.div(four).sum();
                four.close();
                gc.backward(y);
            }
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, z.getGradient().toFloatArray());
        }
    }

    @Test
    void scalarsTakeTheArraysTypeAndPromoteLikeANumber() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray f32 = m.create(new float[] {1f, 2f});
            NDArray f64 = m.create(new double[] {1, 2});
            NDArray i64 = m.create(new long[] {3, 4});
            assertEquals(DataType.FLOAT32, Scalars.of(f32, 0.1).getDataType());
            assertEquals(0.1f, Scalars.of(f32, 0.1).getFloat());
            assertEquals(0.1, Scalars.of(f64, 0.1).getDouble(), 0.0, "float64 keeps every bit of the double");
            assertEquals(DataType.INT64, Scalars.mul(i64, 3).getDataType());
            assertArrayEquals(new long[] {9, 12}, Scalars.mul(i64, 3).toLongArray());
            assertEquals(DataType.FLOAT32, Scalars.mul(i64, 0.5).getDataType(), "a fraction makes a float result");
            assertArrayEquals(new float[] {1.5f, 2f}, Scalars.mul(i64, 0.5).toFloatArray());
            NDArray sum = f32.sum();
            assertEquals(DataType.FLOAT32, Scalars.div(sum, 3).getDataType(), "a 0-d float32 stays float32");
            NDArray mixed = m.create(new float[] {-1f, 2f});
            assertArrayEquals(new float[] {1f, 2f}, Scalars.maximum(mixed, 1).toFloatArray());
            assertArrayEquals(new float[] {-1f, 1f}, Scalars.minimum(mixed, 1).toFloatArray());
            assertArrayEquals(new float[] {1f, 4f}, Scalars.pow(f32, 2).toFloatArray());
            NDArray in = m.create(new float[] {2f, 4f});
            assertSame(in, Scalars.divi(in, 2));
            assertArrayEquals(new float[] {1f, 2f}, in.toFloatArray(), "divi works in place");
        }
    }

    @Test
    void ownedCopiesHoldNoJavaBuffer() throws ReflectiveOperationException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = Scalars.owned(m, new float[] {1f, 2f, 3f, 4f}, new Shape(2, 2));
            assertNull(javaBuffer(a));
            assertEquals(new Shape(2, 2), a.getShape());
            assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, a.toFloatArray());
            NDArray l = Scalars.owned(m, new long[] {7, 8});
            assertNull(javaBuffer(l));
            assertArrayEquals(new long[] {7, 8}, l.toLongArray());
        }
    }
}
