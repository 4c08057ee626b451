package dev.excon.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.excon.data.ArrayImageDataset;
import dev.excon.data.ChannelStats;
import dev.excon.data.ImageDataset;
import dev.excon.loss.CrossEntropy;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ResNetSpec;
import dev.excon.train.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small CPU networks, images and data sets for the evaluation tests. */
public final class EvalFixtures {

    static final int SIZE = 16;
    static final ChannelStats GRAY = new ChannelStats(new float[] {0.2f}, new float[] {0.25f});

    private EvalFixtures() {}

    /** A small ResNet for 3x16x16 images and 5 classes with non-trivial batch-norm running statistics. */
    static ExconNetwork network() {
        ExconNetwork net = ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.CIFAR100)
                .setImageSize(SIZE).setNumClasses(5).optSeed(7).optDevice(Device.cpu()).build();
        try (NDManager m = net.manager().newSubManager()) {
            for (int i = 0; i < 3; i++) {
                net.features(images(m, 8, 100 + i), true);
            }
        }
        return net;
    }

    /** A small untrained ResNet for the 1x16x16 quadrant images. */
    static ExconNetwork grayNetwork(int classes) {
        return ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(GRAY).setImageSize(SIZE)
                .setNumClasses(classes).optSeed(3).optDevice(Device.cpu()).build();
    }

    /** n random images (n, 3, 16, 16) float32 in [0, 1] from a seed. */
    static NDArray images(NDManager m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return m.create(v, new Shape(n, 3, SIZE, SIZE));
    }

    /** Four classes of 1x16x16 images: a bright 6x6 square in the class's quadrant over dark noise. */
    public static ImageDataset quadrants(int n, long seed, String name) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * 256];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            labels[i] = c;
            int oy = (c / 2) * 8 + 1 + r.nextInt(2);
            int ox = (c % 2) * 8 + 1 + r.nextInt(2);
            for (int p = 0; p < 256; p++) {
                px[i * 256 + p] = (byte) r.nextInt(60);
            }
            for (int y = oy; y < oy + 6; y++) {
                for (int x = ox; x < ox + 6; x++) {
                    px[i * 256 + y * 16 + x] = (byte) (180 + r.nextInt(60));
                }
            }
        }
        return new ArrayImageDataset(name, px, labels, 1, 16, 16, List.of("tl", "tr", "bl", "br"));
    }

    /** All images of a data set as one (N, C, H, W) float32 batch in [0, 1], as the loader makes them. */
    static NDArray imagesOf(NDManager m, ImageDataset data) {
        byte[] all = new byte[data.size() * data.imageBytes()];
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, all, i * data.imageBytes());
        }
        return m.create(java.nio.ByteBuffer.wrap(all),
                new Shape(data.size(), data.channels(), data.height(), data.width()), DataType.UINT8)
                .toType(DataType.FLOAT32, false).div(255f);
    }

    static long[] longLabels(ImageDataset data) {
        long[] y = new long[data.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = data.label(i);
        }
        return y;
    }

    /** A small ResNet trained end-to-end with cross-entropy on quadrant images (a few seconds on the CPU). */
    static ExconNetwork trainedQuadrantNetwork(ImageDataset train, int steps) {
        ExconNetwork net = grayNetwork(4);
        List<Parameter> params = new ArrayList<>(net.backboneParameters());
        params.addAll(net.classifierParameters());
        Sgd sgd = new Sgd(params, 0.9f, 0f);
        try (NDManager m = net.manager().newSubManager()) {
            NDArray all = imagesOf(m, train);
            NDArray labels = m.create(longLabels(train));
            int n = train.size();
            int batch = 32;
            for (int s = 0; s < steps; s++) {
                int from = (s * batch) % (n - batch + 1);
                try (NDManager step = m.newSubManager()) {
                    NDArray x = all.get(from + ":" + (from + batch));
                    NDArray y = labels.get(from + ":" + (from + batch));
                    x.attach(step);
                    y.attach(step);
                    try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                        NDArray logits = net.classify(net.features(x, true));
                        gc.backward(CrossEntropy.mean(logits, y));
                    }
                    sgd.step(0.05f);
                }
            }
        }
        return net;
    }

    /** The largest absolute parameter gradient of the network (0 when none was computed). */
    static float maxParameterGradient(List<Parameter> parameters) {
        float max = 0;
        for (Parameter p : parameters) {
            try (NDArray g = p.getArray().getGradient()) {
                max = Math.max(max, g.abs().max().getFloat());
            }
        }
        return max;
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
}
