package dev.excon.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import dev.excon.data.ChannelStats;
import dev.excon.model.BlockModel;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ImageModel;
import dev.excon.model.Layers;
import dev.excon.model.ResNetSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Explainers on models the library did not build: Grad-CAM at any layer of a user's {@code SequentialBlock} against
 * values computed by hand, and layer paths on the library's own network against its taps.
 */
class AnyModelExplainerTest {

    static final Device CPU = Device.cpu();

    /** Each value within {@code rel} of the largest expected magnitude. */
    static void assertClose(float[] expected, float[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rel * scale + 1e-7, what + " [" + i + "]");
        }
    }

    /**
     * conv 3x3 (2 filters, bias) -> ReLU -> global average pool -> linear (3 classes), Grad-CAM at the convolution's
     * output (before the ReLU) and at the ReLU's output, signed and with ReLU, against a hand computation in double:
     * with A the activation (K, h, w), d logit_c / d A_kuv is {@code W_ck / (hw)} after the ReLU and {@code W_ck / (hw)
     * [Z_kuv > 0]} before it.
     */
    @Test
    void gradCamOnAUserBuiltSequentialBlockMatchesAHandComputationAtTwoLayers() {
        int k = 2;
        int classes = 3;
        int size = 6;
        int n = 2;
        try (NDManager m = NDManager.newBaseManager(CPU)) {
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(k).build())
                    .add(Activation::relu)
                    .add(Pool.globalAvgPool2dBlock())
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(classes).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, size, size));
            SplittableRandom rng = new SplittableRandom(5);
            float[][] values = new float[4][];
            int i = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                float[] v = new float[(int) a.size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) rng.nextGaussian();
                }
                a.set(v);
                values[i++] = v;
            }
            float[] convW = values[0];
            float[] convB = values[1];
            float[] linW = values[2];
            float[] linB = values[3];
            float[] x = new float[n * size * size];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) rng.nextDouble();
            }
            int[] target = {2, 0};
            ImageModel model = BlockModel.builder(net).setNumClasses(classes).optChannels(1).build();
            assertEquals(List.of("01Conv2d", "02LambdaBlock", "03LambdaBlock", "04LambdaBlock", "05Linear"),
                    Layers.list(model).stream().map(Layers.Layer::path).toList());
            NDArray images = m.create(x, new Shape(n, 1, size, size));
            Target t = Target.classes(m.create(new long[] {target[0], target[1]}));

            int h = size - 2;
            double[] z = new double[n * k * h * h]; // convolution output, no padding
            for (int img = 0; img < n; img++) {
                for (int f = 0; f < k; f++) {
                    for (int u = 0; u < h; u++) {
                        for (int v = 0; v < h; v++) {
                            double s = convB[f];
                            for (int du = 0; du < 3; du++) {
                                for (int dv = 0; dv < 3; dv++) {
                                    s += (double) convW[f * 9 + du * 3 + dv] * x[img * size * size + (u + du) * size
                                            + v + dv];
                                }
                            }
                            z[((img * k + f) * h + u) * h + v] = s;
                        }
                    }
                }
            }
            // Check the forward pass too: logits = W mean(relu(Z)) + b.
            double[] logits = new double[n * classes];
            for (int img = 0; img < n; img++) {
                for (int c = 0; c < classes; c++) {
                    double s = linB[c];
                    for (int f = 0; f < k; f++) {
                        double mean = 0;
                        for (int q = 0; q < h * h; q++) {
                            mean += Math.max(0, z[(img * k + f) * h * h + q]) / (h * h);
                        }
                        s += linW[c * k + f] * mean;
                    }
                    logits[img * classes + c] = s;
                }
            }
            assertClose(toFloat(logits), model.logits(images).toFloatArray(), 1e-6, "forward");

            for (boolean afterRelu : new boolean[] {false, true}) {
                double[] cam = new double[n * h * h];
                for (int img = 0; img < n; img++) {
                    for (int f = 0; f < k; f++) {
                        double weight = 0; // mean over positions of d logit / d A
                        for (int q = 0; q < h * h; q++) {
                            double zq = z[(img * k + f) * h * h + q];
                            weight += afterRelu || zq > 0 ? linW[target[img] * k + f] / (double) (h * h) : 0;
                        }
                        weight /= h * h;
                        for (int q = 0; q < h * h; q++) {
                            double zq = z[(img * k + f) * h * h + q];
                            cam[img * h * h + q] += weight * (afterRelu ? Math.max(0, zq) : zq);
                        }
                    }
                }
                String layer = afterRelu ? "02LambdaBlock" : "01Conv2d";
                float[] signed = Explainers.gradCam(layer, false).tapMaps(model, images, t).toFloatArray();
                assertClose(toFloat(cam), signed, 1e-5, "signed Grad-CAM at " + layer);
                double[] relu = cam.clone();
                for (int q = 0; q < relu.length; q++) {
                    relu[q] = Math.max(0, relu[q]);
                }
                float[] positive = Explainers.gradCam(layer, true).tapMaps(model, images, t).toFloatArray();
                assertClose(toFloat(relu), positive, 1e-5, "ReLU Grad-CAM at " + layer);
            }
            assertTrue(net.getParameters().values().stream().allMatch(Parameter::requiresGradient),
                    "parameters unfrozen again after the explanations");
            assertTrue(net.getChildren().values().get(0) instanceof Conv2d, "the capture put the layer back");

            IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                    () -> Explainers.gradCam("04LambdaBlock", false).explain(model, images, t));
            assertTrue(flat.getMessage().contains("4-D"), flat.getMessage());
        }
    }

    /** The library's network by path: the reference's layer named as a path gives the same maps as its Tap. */
    @Test
    void aLayerPathOnTheLibraryNetworkGivesTheSameMapsAsItsTap() {
        ChannelStats gray = new ChannelStats(new float[] {0.3f}, new float[] {0.2f});
        try (NDManager m = NDManager.newBaseManager(CPU);
                ExconNetwork net = ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(gray).setImageSize(16)
                        .setNumClasses(5).optSeed(3).optDevice(CPU).build()) {
            assertTrue(Layers.list(net).stream().anyMatch(l -> l.path().equals("05layer2_0/03conv2")), "path listed");
            SplittableRandom rng = new SplittableRandom(9);
            float[] x = new float[4 * 16 * 16];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) rng.nextDouble();
            }
            NDArray images = m.create(x, new Shape(4, 1, 16, 16));
            float[] byTap = Explainers.gradCam().explainRaw(net, images, Target.predicted()).toFloatArray();
            float[] byPath = Explainers.gradCam("layer2_0/conv2", false).explainRaw(net, images, Target.predicted())
                    .toFloatArray();
            assertClose(byTap, byPath, 1e-6, "the tap (last conv of stage 2) and its path");
            // The ResNet runs its stages from a typed list the capture cannot redirect: said, not silently wrong.
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Explainers.gradCam("layer2_0", false).explain(net, images, Target.predicted()));
            assertTrue(e.getMessage().contains("not reached"), e.getMessage());
            assertTrue(net.backbone().getChildren().get("05layer2_0") instanceof dev.excon.model.ResidualBlock,
                    "the tree is restored after a failed capture");
        }
    }

    @Test
    void badLayerPathsAreRefusedNamingTheChildren() {
        try (NDManager m = NDManager.newBaseManager(CPU)) {
            SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(2).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 4, 4));
            ImageModel model = BlockModel.builder(net).setNumClasses(2).build();
            NDArray images = m.ones(new Shape(1, 1, 4, 4));
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> Explainers.gradCam("conv9", false).explain(model, images, Target.predicted()));
            assertTrue(unknown.getMessage().contains("[01LambdaBlock, 02Linear]"), unknown.getMessage());
            assertThrows(IllegalArgumentException.class, () -> GradCam.builder().optLayer("a//b"));
            IllegalArgumentException wrongK = assertThrows(IllegalArgumentException.class,
                    () -> BlockModel.builder(net).setNumClasses(0).build());
            assertTrue(wrongK.getMessage().contains("setNumClasses"), wrongK.getMessage());
            ImageModel liar = BlockModel.builder(net).setNumClasses(7).build();
            IllegalStateException shape = assertThrows(IllegalStateException.class,
                    () -> Explainers.inputGradient().explain(liar, images, Target.predicted()));
            assertTrue(shape.getMessage().contains("(1, 7)"), shape.getMessage());
        }
    }

    /** A convolution with 8 filters: its input gradient is wrong on the CPU, so gradients through it are refused. */
    @Test
    void gradientsThroughANarrowConvolutionAreRefusedOnTheCpu() {
        try (NDManager m = NDManager.newBaseManager(CPU)) {
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).build())
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).build())
                    .add(Activation::relu).add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(3).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8));
            ImageModel model = BlockModel.builder(net).setNumClasses(3).optChannels(1).build();
            assertEquals(List.of("02Conv2d (8 filters)"), model.gradientHazards());
            NDArray images = m.ones(new Shape(2, 1, 8, 8));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Explainers.inputGradient().explain(model, images, Target.predicted()));
            assertTrue(e.getMessage().contains("02Conv2d (8 filters)") && e.getMessage().contains("at least 16"),
                    e.getMessage());
            // Grad-CAM's backward pass stops at its layer: at the narrow convolution's output it is allowed, at the
            // layer before it refused.
            assertEquals(new Shape(2, 1, 8, 8),
                    Explainers.gradCam("02Conv2d", false).explainPredicted(model, images).getShape());
            assertThrows(IllegalStateException.class,
                    () -> Explainers.gradCam("01Conv2d", false).explain(model, images, Target.predicted()));
            assertEquals(new Shape(2, 3), model.logits(images).getShape(), "forward passes are unaffected");
        }
    }

    static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
