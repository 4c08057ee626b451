package dev.excon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import dev.excon.Scalars;
import java.util.SplittableRandom;

/**
 * Initialisers drawing on the host from one seeded generator, in parameter order: the same seed gives the same
 * network on any device and engine build.
 */
final class SeededInit {

    private SeededInit() {}

    /**
     * PyTorch's {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}, the reference's convolution init: normal
     * with std {@code sqrt(2 / fan_out)}, fan_out = out_channels x kernel area.
     */
    static Initializer kaimingNormalFanOut(SplittableRandom rng) {
        return (manager, shape, dataType) -> {
            long fanOut = shape.get(0) * (shape.dimension() > 2 ? shape.slice(2).size() : 1);
            return gaussian(manager, shape, dataType, Math.sqrt(2.0 / fanOut), rng);
        };
    }

    /**
     * PyTorch's default {@code nn.Linear} init: weight and bias uniform on {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]}.
     */
    static Initializer torchLinear(long fanIn, SplittableRandom rng) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return (manager, shape, dataType) -> {
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
            return Scalars.owned(manager, v, shape).toType(dataType, false);
        };
    }

    private static NDArray gaussian(NDManager manager, Shape shape, DataType dataType, double std, SplittableRandom r) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i += 2) {
            // Box-Muller: two normals per pair of uniforms.
            double u1 = 1.0 - r.nextDouble();
            double u2 = r.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1)) * std;
            v[i] = (float) (radius * Math.cos(2 * Math.PI * u2));
            if (i + 1 < v.length) {
                v[i + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
            }
        }
        return Scalars.owned(manager, v, shape).toType(dataType, false);
    }
}
