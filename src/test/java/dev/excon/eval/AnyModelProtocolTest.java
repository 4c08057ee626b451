package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.excon.data.ChannelStats;
import dev.excon.data.DataPaths;
import dev.excon.data.Datasets;
import dev.excon.data.ImageDataset;
import dev.excon.data.Splits;
import dev.excon.data.TrainTest;
import dev.excon.model.BlockModel;
import dev.excon.model.ImageModel;
import dev.excon.model.Normalize;
import dev.excon.model.TorchScriptBlock;
import dev.excon.saliency.Explainer;
import dev.excon.saliency.Explainers;
import dev.excon.saliency.Explanation;
import dev.excon.saliency.GradCam;
import dev.excon.saliency.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Models the library did not build, on the real Fashion-MNIST: a small CNN trained in PyTorch (the committed fixture
 * made by {@code environment/fixtures/torchscript_fixture.py}), loaded as TorchScript (whole, and split at its
 * Grad-CAM layer) and rebuilt from DJL blocks with its weights. The expected values are PyTorch's own: logits, test
 * accuracy, input gradients and Grad-CAM by its autograd.
 */
class AnyModelProtocolTest {

    static final Device CPU = Device.cpu();
    static final float[] MEAN = {0.2860f};
    static Path dir;
    static JsonObject golden;
    static TrainTest data;

    @BeforeAll
    static void load() throws Exception {
        dir = Path.of(AnyModelProtocolTest.class.getResource("/dev/excon/model/torchscript/golden.json").toURI())
                .getParent();
        golden = JsonParser.parseString(Files.readString(dir.resolve("golden.json"))).getAsJsonObject();
        boolean present = Files.isRegularFile(DataPaths.fashionMnist().resolve("t10k-images-idx3-ubyte.gz"))
                || Files.isRegularFile(DataPaths.fashionMnist().resolve("t10k-images-idx3-ubyte"));
        if (!present && "1".equals(System.getenv("EXCON_REQUIRE_REAL_DATA"))) {
            fail("EXCON_REQUIRE_REAL_DATA=1 but Fashion-MNIST is not under " + DataPaths.fashionMnist());
        }
        Assumptions.assumeTrue(present, "Fashion-MNIST not installed");
        data = Datasets.fashionMnist();
    }

    static float[] floats(String key) {
        JsonArray a = golden.getAsJsonArray(key);
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    /** The golden test images (6, 1, 28, 28) in [0, 1]. */
    static NDArray goldenImages(NDManager m) {
        float[] pixels = floats("images_uint8");
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] /= 255f;
        }
        return m.create(pixels, new Shape(pixels.length / 784, 1, 28, 28));
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
        }
    }

    /** The fixture's network as DJL blocks, with the weights PyTorch trained (read from the .npz). */
    static SequentialBlock rebuild(NDManager m) throws IOException {
        Conv2d conv1 = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).optPadding(new Shape(1, 1))
                .build();
        BatchNorm bn1 = BatchNorm.builder().build();
        Conv2d conv2 = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).optPadding(new Shape(1, 1))
                .build();
        BatchNorm bn2 = BatchNorm.builder().build();
        Linear fc = Linear.builder().setUnits(10).build();
        SequentialBlock net = new SequentialBlock()
                .add(new Normalize(new ChannelStats(MEAN, new float[] {0.3530f})))
                .add(conv1).add(bn1).add(Activation::relu).add(Pool.avgPool2dBlock(new Shape(2, 2)))
                .add(conv2).add(bn2).add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock()).add(fc);
        net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        NDList weights;
        try (InputStream in = Files.newInputStream(dir.resolve("fashion-cnn-weights.npz"))) {
            weights = NDList.decode(m, in);
        }
        copy(weights, "trunk.conv1", conv1, Map.of("weight", "weight", "bias", "bias"));
        copy(weights, "trunk.conv2", conv2, Map.of("weight", "weight", "bias", "bias"));
        Map<String, String> bn = Map.of("gamma", "weight", "beta", "bias", "runningMean", "running_mean",
                "runningVar", "running_var");
        copy(weights, "trunk.bn1", bn1, bn);
        copy(weights, "trunk.bn2", bn2, bn);
        copy(weights, "head.fc", fc, Map.of("weight", "weight", "bias", "bias"));
        return net;
    }

    private static void copy(NDList weights, String prefix, Block block, Map<String, String> names) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String source = prefix + "." + names.get(p.getKey());
            NDArray w = weights.stream().filter(a -> source.equals(a.getName())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + source + " in the .npz"));
            p.getValue().getArray().set(w.toFloatArray());
        }
    }

    /** Each value within {@code rel} of the largest expected magnitude (float32 kernels sum in other orders). */
    static void assertCloseRelative(float[] expected, float[] actual, double rel, String what) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertClose(expected, actual, rel * scale + 1e-7, what);
    }

    @Test
    void aTorchScriptModelGivesPyTorchsLogitsAccuracyGradientsAndGradCam() {
        try (NDManager m = NDManager.newBaseManager(CPU);
                TorchScriptBlock ts = TorchScriptBlock.load(dir.resolve("fashion-cnn.pt"), CPU);
                TorchScriptBlock trunk = TorchScriptBlock.load(dir.resolve("fashion-cnn-trunk.pt"), CPU);
                TorchScriptBlock head = TorchScriptBlock.load(dir.resolve("fashion-cnn-head.pt"), CPU)) {
            ImageModel model = BlockModel.builder(ts).setNumClasses(10).optChannels(1).optMeanColour(MEAN)
                    .optName("fashion-cnn").build();
            NDArray images = goldenImages(m);
            NDArray labels = m.create(new long[] {9, 2, 1, 1, 6, 1});
            assertArrayEquals(new float[] {9, 2, 1, 1, 6, 1}, floats("labels"), "the golden images' labels");
            assertCloseRelative(floats("logits"), model.logits(images).toFloatArray(), 1e-5, "logits");
            AccuracyResult accuracy = Accuracy.evaluate(model, data.test(), 1000);
            int correct = (int) Math.round(accuracy.top1() * accuracy.count());
            assertEquals(golden.get("test_correct").getAsInt(), correct, 2, "test images right, PyTorch's count");
            // Several times: a wrong gradient path shows as calls that disagree (see GradientHazards).
            for (int call = 1; call <= 3; call++) {
                NDArray g = Explainers.inputGradient().attributions(model, images, Target.classes(labels));
                assertCloseRelative(floats("input_gradient"), g.toFloatArray(), 1e-4, "input gradient, call " + call);
            }
            for (Explainer e : List.of(Explainers.integratedGradients(8, 48), Explainers.smoothGrad(4, 0.1f, 2))) {
                NDArray map = e.explain(model, images, labels);
                assertEquals(new Shape(6, 1, 28, 28), map.getShape(), e.toString());
                assertTrue(map.max().getFloat() <= 1f && map.min().getFloat() >= 0f, e + " map in [0, 1]");
            }
            IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
                    () -> Explainers.gradCam("trunk", false).explain(model, images, labels));
            assertTrue(inside.getMessage().contains("cannot see inside"), inside.getMessage());

            // Split at the layer, joined in a SequentialBlock: Grad-CAM at the trunk's output against PyTorch's.
            ImageModel split = BlockModel.builder(new SequentialBlock().add(trunk).add(head)).setNumClasses(10)
                    .optChannels(1).optMeanColour(MEAN).optName("fashion-cnn split").build();
            Target target = Target.classes(labels);
            GradCam signed = GradCam.builder().optLayer("01TorchScriptBlock").build();
            assertCloseRelative(floats("gradcam_signed"), signed.tapMaps(split, images, target).toFloatArray(), 1e-4,
                    "signed Grad-CAM");
            GradCam relu = GradCam.builder().optLayer("0").optRelu(true).build(); // the same layer by index
            assertCloseRelative(floats("gradcam_relu"), relu.tapMaps(split, images, target).toFloatArray(), 1e-4,
                    "ReLU Grad-CAM");
            try (Explanation e = signed.explain(split, images, target)) {
                assertEquals(new Shape(6, 1, 28, 28), e.map().getShape(), "upsampled to the input");
            }

            ImageDataset test = Splits.perClass(data.test(), 10, 5);
            ProtocolResult r = PaperProtocol.builder().optExplainer(signed).optCorruptions(false).optEpsilons(2, 8)
                    .optPgdLimit(20).optTsne(false, 1, 1).build()
                    .evaluate("torchscript", split, Splits.perClass(data.train(), 5, 6), test, null);
            assertEquals(Accuracy.evaluate(split, test, 64).top1(), r.accuracy().top1(), 1e-12);
            assertTrue(r.fgsm().accuracies()[1] <= r.fgsm().accuracies()[0] + 1e-9, "FGSM accuracy falls");
            assertTrue(r.provenance().config().contains("model=fashion-cnn split"), r.provenance().config());
        }
    }

    @Test
    void aUserBuiltNetworkGoesThroughEveryExplainerAndTheProtocol() throws IOException {
        try (NDManager m = NDManager.newBaseManager(CPU)) {
            SequentialBlock net = rebuild(m);
            ImageModel model = BlockModel.builder(net).setNumClasses(10).optChannels(1).optMeanColour(MEAN)
                    .optName("fashion-cnn rebuilt").build();
            NDArray images = goldenImages(m);
            assertClose(floats("logits"), model.logits(images).toFloatArray(), 1e-4,
                    "DJL rebuild's logits against PyTorch's");
            NDArray labels = m.create(new long[] {9, 2, 1, 1, 6, 1});
            assertCloseRelative(floats("input_gradient"), Explainers.inputGradient()
                    .attributions(model, images, Target.classes(labels)).toFloatArray(), 1e-4,
                    "DJL rebuild's input gradient against PyTorch's autograd");
            Target predicted = Target.predicted();
            for (Explainer e : List.of(Explainers.gradCam("08LambdaBlock", false), Explainers.inputGradient(),
                    Explainers.integratedGradients(8, 48), Explainers.smoothGrad(4, 0.1f, 2))) {
                NDArray raw = e.explainRaw(model, images, predicted);
                assertEquals(new Shape(6, 1, 28, 28), raw.getShape(), e.toString());
                assertTrue(raw.abs().max().getFloat() > 0, e + " gives a non-zero map");
            }

            ImageDataset test = Splits.perClass(data.test(), 20, 3);
            ImageDataset validation = Splits.perClass(data.train(), 10, 4);
            List<String> refused = new ArrayList<>();
            IllegalArgumentException noLayer = assertThrows(IllegalArgumentException.class,
                    () -> PaperProtocol.builder().optProgress(refused::add).build()
                            .evaluate("user", model, validation, test, null));
            assertTrue(noLayer.getMessage().contains("optLayer") && refused.isEmpty(), noLayer.getMessage());

            List<String> phases = new ArrayList<>();
            ProtocolResult r = PaperProtocol.builder().optExplainer(Explainers.gradCam("08LambdaBlock", false))
                    .optCorruptionLimit(20).optEpsilons(2, 8).optPgdLimit(20).optTsne(true, 10, 5)
                    .optProgress(phases::add).build().evaluate("user-built", model, validation, test, null);
            assertEquals(200, r.accuracy().count());
            AccuracyResult direct = Accuracy.evaluate(model, test, 64);
            assertEquals(direct.top1(), r.accuracy().top1(), 1e-12, "the protocol's accuracy is the model's");
            assertTrue(r.accuracy().top1() > 0.5, "a trained model: " + r.accuracy().top1());
            double[] fgsm = r.fgsm().accuracies();
            assertTrue(fgsm[1] <= fgsm[0] + 1e-9 && fgsm[0] <= r.accuracy().top1() + 1e-9,
                    "FGSM accuracy falls with epsilon");
            assertTrue(r.dropIncrease().averageDrop() >= 0);
            assertEquals(50, r.tsne().x().length, "t-SNE of the logits, 10 classes x 5");
            assertTrue(phases.stream().anyMatch(p -> p.contains("t-SNE of logits")), phases.toString());
            assertTrue(r.provenance().config().contains("model=fashion-cnn rebuilt"), r.provenance().config());
            assertEquals(test.fingerprint(), r.provenance().datasetFingerprint());
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsRefusedWithTheFix(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TorchScriptBlock.load(tmp.resolve("none.pt"), CPU));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path junk = Files.writeString(tmp.resolve("state_dict.pt"), "not a zip archive");
        IllegalArgumentException notScript = assertThrows(IllegalArgumentException.class,
                () -> TorchScriptBlock.load(junk, CPU));
        assertTrue(notScript.getMessage().contains("torch.jit.trace"), notScript.getMessage());
    }
}
