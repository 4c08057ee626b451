package dev.excon.saliency;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.excon.data.ChannelStats;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ResNetSpec;
import dev.excon.model.Tap;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small CPU networks and deterministic images for the saliency tests. */
final class Fixtures {

    static final int SIZE = 16;
    static final int CLASSES = 5;

    private Fixtures() {}

    /** A small ResNet (3 stages, 16x16 inputs, 5 classes) on the CPU; default tap: last conv of stage 2 (8x8). */
    static ExconNetwork network() {
        return network(null);
    }

    static ExconNetwork network(Tap tap) {
        ExconNetwork.Builder b = ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.CIFAR100)
                .setImageSize(SIZE).setNumClasses(CLASSES).optSeed(7).optDevice(Device.cpu());
        if (tap != null) {
            b.optTap(tap);
        }
        ExconNetwork net = b.build();
        // A few training-mode passes give the batch norms non-trivial running statistics, as after training.
        try (NDManager m = net.manager().newSubManager()) {
            for (int i = 0; i < 3; i++) {
                net.features(images(m, 8, 100 + i), true);
            }
        }
        return net;
    }

    /** n smooth-ish random images (n, 3, 16, 16) float32 in [0, 1] from a seed. */
    static NDArray images(NDManager m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return m.create(v, new Shape(n, 3, SIZE, SIZE));
    }

    static NDArray classes(NDManager m, long... c) {
        return m.create(c);
    }

    /** Copies of the parameters' gradients (zeros when none was computed yet); parameters must require gradients. */
    static List<float[]> gradients(ExconNetwork net) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : net.trainableParameters()) {
            try (NDArray g = p.getArray().getGradient()) {
                out.add(g.toFloatArray());
            }
        }
        return out;
    }

    static float maxAbs(float[] v) {
        float m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError(a.length + " values vs " + b.length);
        }
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static boolean isFloat32(NDArray a) {
        return a.getDataType() == DataType.FLOAT32;
    }
}
