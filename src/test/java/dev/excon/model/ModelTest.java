package dev.excon.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.excon.data.ChannelStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void cifarResNet18HasTheStandardParameterCount() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ResNet r18 = new ResNet(ResNetSpec.RESNET18, ChannelStats.CIFAR10);
            r18.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            LinearClassifier fc = new LinearClassifier(10);
            fc.initialize(m, DataType.FLOAT32, new Shape(1, 512));
            assertEquals(11_173_962L, ExconNetwork.countParameters(r18) + ExconNetwork.countParameters(fc));
        }
    }

    /** Counts a CIFAR ResNet from its definition: 3x3 convs without bias, BN gamma+beta per channel. */
    private static long expectedBackbone(ResNetSpec spec, int inChannels) {
        long n = 9L * inChannels * spec.stemWidth() + 2L * spec.stemWidth();
        int in = spec.stemWidth();
        for (int s = 0; s < spec.stages(); s++) {
            int planes = spec.widths()[s];
            for (int b = 0; b < spec.blocks()[s]; b++) {
                int stride = (b == 0 && s > 0) ? 2 : 1;
                int out;
                if (spec.bottleneck()) {
                    out = 4 * planes;
                    n += (long) in * planes + 2L * planes + 9L * planes * planes + 2L * planes
                            + (long) planes * out + 2L * out;
                } else {
                    out = planes;
                    n += 9L * in * planes + 2L * planes + 9L * planes * planes + 2L * planes;
                }
                if (stride != 1 || in != out) {
                    n += (long) in * out + 2L * out;
                }
                in = out;
            }
        }
        return n;
    }

    @Test
    void everyBackboneMatchesItsDefinitionAndProducesFeatures() {
        for (ResNetSpec spec : new ResNetSpec[] {ResNetSpec.RESNET34, ResNetSpec.RESNET50, ResNetSpec.SMALL}) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                ResNet r = new ResNet(spec, ChannelStats.CIFAR100);
                r.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
                assertEquals(expectedBackbone(spec, 3), ExconNetwork.countParameters(r), spec.name());
                NDArray f = r.forward(new ParameterStore(m, false), new NDList(m.randomUniform(0, 1,
                        new Shape(2, 3, 32, 32))), false).singletonOrThrow();
                assertEquals(new Shape(2, spec.featureDim()), f.getShape(), spec.name());
            }
        }
        assertEquals(23_500_352L, expectedBackbone(ResNetSpec.RESNET50, 3), "CIFAR ResNet-50 backbone");
    }

    @Test
    void tinyImageNetAndGrayscaleInputsWork() {
        try (ExconNetwork tiny = network(ResNetSpec.RESNET18, ChannelStats.TINY_IMAGENET, 64, 200)) {
            NDArray x = tiny.manager().randomUniform(0, 1, new Shape(2, 3, 64, 64));
            assertEquals(new Shape(2, 200), tiny.logits(x).getShape());
            assertEquals(Tap.lastConv(4), tiny.tap());
            ResNet.TapState s = tiny.backbone().forwardToTap(tiny.store(), x, false, tiny.tap());
            assertEquals(new Shape(2, 512, 8, 8), s.activation().getShape(), "the reference's 8x8 Tiny map");
        }
        try (ExconNetwork fm = network(ResNetSpec.SMALL, ChannelStats.FASHION_MNIST, 28, 10)) {
            NDArray x = fm.manager().randomUniform(0, 1, new Shape(3, 1, 28, 28));
            assertEquals(new Shape(3, 10), fm.logits(x).getShape());
            NDArray z = fm.embed(x, false);
            assertEquals(new Shape(3, 128), z.getShape());
            float[] norms = z.square().sum(new int[] {1}).toFloatArray();
            assertArrayEquals(new float[] {1f, 1f, 1f}, norms, 1e-5f);
            assertEquals(new Shape(3, 64, 14, 14),
                    fm.backbone().forwardToTap(fm.store(), x, false, fm.tap()).activation().getShape());
        }
    }

    @Test
    void splittingAtAnyTapGivesTheSameFeatures() {
        try (ExconNetwork net = network(ResNetSpec.RESNET18, ChannelStats.CIFAR100, 32, 100)) {
            NDArray x = net.manager().randomUniform(0, 1, new Shape(2, 3, 32, 32));
            float[] whole = net.features(x, false).toFloatArray();
            for (int stage = 1; stage <= 4; stage++) {
                for (Tap.Position pos : Tap.Position.values()) {
                    Tap tap = new Tap(stage, pos);
                    ResNet.TapState s = net.backbone().forwardToTap(net.store(), x, false, tap);
                    float[] split = net.backbone().forwardFromTap(net.store(), s, false, tap).toFloatArray();
                    assertArrayEquals(whole, split, 1e-5f, tap.toString());
                }
            }
            assertEquals(new Shape(2, 128, 16, 16), net.backbone()
                    .forwardToTap(net.store(), x, false, Tap.lastConv(2)).activation().getShape());
        }
    }

    @Test
    void aSingleImageGetsTheSameLogitsAsInABatch() {
        try (ExconNetwork net = network(ResNetSpec.SMALL, ChannelStats.CIFAR100, 32, 10)) {
            NDArray x = net.manager().randomUniform(0, 1, new Shape(3, 3, 32, 32));
            float[] batch = net.logits(x).get("1:2").toFloatArray();
            float[] alone = net.logits(x.get("1:2")).toFloatArray();
            assertArrayEquals(batch, alone, 1e-5f);
            assertEquals(new Shape(1, 10), net.logits(x.get("1:2")).getShape());
        }
    }

    @Test
    void theSeedFixesTheInitialisation() {
        float[] a;
        float[] b;
        float[] c;
        try (ExconNetwork n1 = network(ResNetSpec.SMALL, ChannelStats.CIFAR100, 32, 10, 5);
                ExconNetwork n2 = network(ResNetSpec.SMALL, ChannelStats.CIFAR100, 32, 10, 5);
                ExconNetwork n3 = network(ResNetSpec.SMALL, ChannelStats.CIFAR100, 32, 10, 6)) {
            a = n1.classifierParameters().get(0).getArray().toFloatArray();
            b = n2.classifierParameters().get(0).getArray().toFloatArray();
            c = n3.classifierParameters().get(0).getArray().toFloatArray();
            assertArrayEquals(n1.encoderParameters().get(0).getArray().toFloatArray(),
                    n2.encoderParameters().get(0).getArray().toFloatArray(), 0f);
        }
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void initialisationFollowsTheReference() {
        try (ExconNetwork net = network(ResNetSpec.RESNET18, ChannelStats.CIFAR100, 32, 100)) {
            for (Parameter p : net.backboneParameters()) {
                NDArray w = p.getArray();
                if (p.getType() == Parameter.Type.WEIGHT && w.getShape().get(0) == 512 && w.getShape().get(2) == 3) {
                    // Kaiming normal, fan_out = 512 * 3 * 3: std sqrt(2 / 4608) = 0.02083, mean 0.
                    float std = (float) Math.sqrt(w.square().mean().getFloat() - Math.pow(w.mean().getFloat(), 2));
                    assertEquals(0.02083f, std, 0.0003f, p.getName());
                    assertEquals(0f, w.mean().getFloat(), 0.0003f, p.getName());
                }
                if (p.getType() == Parameter.Type.GAMMA) {
                    assertEquals(1f, w.min().getFloat());
                    assertEquals(1f, w.max().getFloat());
                }
            }
            NDArray fc = net.classifierParameters().get(0).getArray();
            float bound = (float) (1 / Math.sqrt(512));
            assertTrue(fc.abs().max().getFloat() <= bound, "torch Linear init within 1/sqrt(fan_in)");
            assertTrue(fc.abs().max().getFloat() > 0.95f * bound);
        }
    }

    @Test
    void normalisationIsTheFirstBlock() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ChannelStats stats = new ChannelStats(new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 2f});
            Normalize n = new Normalize(stats);
            NDArray x = m.create(new float[] {1f, 0.5f, 1f}, new Shape(1, 3, 1, 1));
            float[] y = n.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
            assertArrayEquals(new float[] {1f, 1f, 0.5f}, y, 1e-6f);
            NDArray gray = m.ones(new Shape(1, 1, 2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> n.forward(new ParameterStore(m, false), new NDList(gray), false));
            assertTrue(e.getMessage().contains("1 channels but the model normalises 3"), e.getMessage());
        }
    }

    @Test
    void parametersRoundTripThroughSaveAndLoad() throws Exception {
        try (ExconNetwork a = network(ResNetSpec.SMALL, ChannelStats.CIFAR100, 32, 10, 1);
                ExconNetwork b = network(ResNetSpec.SMALL, ChannelStats.CIFAR100, 32, 10, 2)) {
            NDArray x = a.manager().randomUniform(0, 1, new Shape(4, 3, 32, 32));
            // A training-mode forward moves the batch-norm running statistics, which must travel too.
            a.features(x, true);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.saveParameters(new DataOutputStream(bytes));
            assertFalse(Arrays.equals(a.logits(x).toFloatArray(), b.logits(x).toFloatArray()));
            b.loadParameters(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(a.logits(x).toFloatArray(), b.logits(x).toFloatArray(), 0f);
        }
    }

    @Test
    void badConfigurationsSayWhatToSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.CIFAR100).setImageSize(32)
                        .build());
        assertTrue(e.getMessage().contains("setNumClasses"), e.getMessage());
        IllegalArgumentException tap = assertThrows(IllegalArgumentException.class,
                () -> ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.CIFAR100).setImageSize(32)
                        .setNumClasses(10).optTap(Tap.lastConv(4)).build());
        assertTrue(tap.getMessage().contains("3 stages"), tap.getMessage());
        IllegalArgumentException name =
                assertThrows(IllegalArgumentException.class, () -> ResNetSpec.byName("resnet19"));
        assertTrue(name.getMessage().contains("resnet18"), name.getMessage());
    }

    static ExconNetwork network(ResNetSpec spec, ChannelStats stats, int size, int classes) {
        return network(spec, stats, size, classes, 1);
    }

    static ExconNetwork network(ResNetSpec spec, ChannelStats stats, int size, int classes, long seed) {
        return ExconNetwork.builder().setSpec(spec).setStats(stats).setImageSize(size).setNumClasses(classes)
                .optSeed(seed).optDevice(Device.cpu()).build();
    }
}
