package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.data.Batch;
import dev.excon.data.DataLoader;
import dev.excon.data.DataPaths;
import dev.excon.model.ExconNetwork;
import dev.excon.model.Precision;
import dev.excon.saliency.Explainers;
import dev.excon.saliency.Target;
import dev.excon.train.ExconTrainer;
import dev.excon.train.Method;
import dev.excon.train.TrainConfig;
import dev.excon.train.TrainingData;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Evaluation in bf16 against fp32 on one trained network (a short SupCon run on the real Fashion-MNIST): accuracy,
 * FGSM accuracy and Grad-CAM maps within the tolerances the README states ("Mixed precision").
 */
class Bf16EvaluationTest {

    @Test
    void accuracyAttacksAndMapsInBf16MatchFp32() {
        Assumptions.assumeTrue(Precision.cpuBf16Support() != null, "this CPU has no bfloat16 instructions");
        boolean present = Files.isRegularFile(DataPaths.fashionMnist().resolve("train-images-idx3-ubyte.gz"))
                || Files.isRegularFile(DataPaths.fashionMnist().resolve("train-images-idx3-ubyte"));
        if (!present && "1".equals(System.getenv("EXCON_REQUIRE_REAL_DATA"))) {
            fail("EXCON_REQUIRE_REAL_DATA=1 but Fashion-MNIST is not under " + DataPaths.fashionMnist());
        }
        Assumptions.assumeTrue(present, "Fashion-MNIST not installed");
        TrainConfig c = TrainConfig.preset("quick").toBuilder().method(Method.SUPCON).trainLimit(1500).testLimit(1000)
                .epochs(2).expEpochs(0).build();
        try (ExconTrainer t = ExconTrainer.create(c, TrainingData.load(c), null, Device.cpu())) {
            t.fit();
            ExconNetwork net = t.network();
            var test = t.data().test();
            double[] clean = new double[2];
            double[] fgsm = new double[2];
            float[][] maps = new float[2][];
            Precision[] order = {Precision.FP32, Precision.BF16};
            for (int p = 0; p < 2; p++) {
                net.setPrecision(order[p]);
                clean[p] = Accuracy.evaluate(net, test, 250).top1();
                fgsm[p] = Robustness.builder().optEpsilons(2).build().evaluate(net, test).accuracies()[0];
                try (NDManager m = net.manager().newSubManager();
                        DataLoader.Epoch batches = DataLoader.builder(test).setBatchSize(64).optDevice(net.device())
                                .build().epoch(0, m)) {
                    Batch b = batches.iterator().next();
                    NDArray map = Explainers.gradCam().explain(net, b.images(), Target.classes(b.labels())).map();
                    maps[p] = map.toFloatArray();
                }
            }
            net.setPrecision(Precision.FP32);
            double mapDiff = 0;
            for (int i = 0; i < maps[0].length; i++) {
                mapDiff += Math.abs(maps[0][i] - maps[1][i]);
            }
            mapDiff /= maps[0].length;
            System.out.printf("fp32 / bf16 on 1,000 test images: accuracy %.4f / %.4f, FGSM 2/255 %.4f / %.4f, "
                    + "Grad-CAM mean |difference| %.4f%n", clean[0], clean[1], fgsm[0], fgsm[1], mapDiff);
            assertTrue(clean[0] > 0.2, "the network learned something (chance is 0.1): " + clean[0]);
            // Stated tolerances: accuracies within 1 point (10 of 1,000 images), maps within 0.05 on average.
            assertEquals(clean[0], clean[1], 0.01, "clean accuracy");
            assertEquals(fgsm[0], fgsm[1], 0.01, "FGSM accuracy");
            assertTrue(mapDiff < 0.05, "Grad-CAM maps differ by " + mapDiff);
        }
    }
}
