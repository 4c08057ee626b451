package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.excon.data.ImageDataset;
import dev.excon.model.ExconNetwork;
import org.junit.jupiter.api.Test;

class RobustnessTest {

    /** The grid shares one FGSM gradient per batch; that equals attacking at each radius separately. */
    @Test
    void theSharedFgsmGradientEqualsOneAttackPerRadius() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 10, 31);
            NDArray y = m.create(new long[] {0, 1, 2, 3, 4, 0, 1, 2, 3, 4});
            RobustnessResult r = Robustness.fgsm().evaluate(net, x, y);
            assertArrayEquals(new double[] {1, 2, 4, 8}, r.epsilons());
            AccuracyResult clean = Accuracy.of(net.logits(x), y);
            assertEquals(clean.top1(), r.clean().top1(), 0);
            assertEquals(Calibration.standard().ofLogits(net.logits(x), y).ece(), r.cleanCalibration().ece(), 1e-12);
            for (int e = 0; e < 4; e++) {
                NDArray logits = net.logits(Attacks.fgsm(r.epsilons()[e]).perturb(net, x, y));
                assertEquals(Accuracy.of(logits, y).top1(), r.accuracies()[e], 0, "eps " + r.epsilons()[e]);
                CalibrationResult c = Calibration.standard().ofLogits(logits, y);
                assertEquals(c.ece(), r.eces()[e], 1e-12);
                assertEquals(c.nll(), r.calibration().get(e).nll(), 1e-12);
            }
            String s = r.toString();
            assertTrue(s.contains("FGSM") && s.contains("clean") && s.contains("8/255") && s.contains("ECE"), s);
            assertEquals("FGSM", r.attack());
        }
    }

    /** On a trained toy model PGD is at least as strong as FGSM: lower accuracy and higher loss at each radius. */
    @Test
    void pgdIsAtLeastAsStrongAsFgsmOnATrainedModel() {
        ImageDataset train = EvalFixtures.quadrants(256, 41, "quadrants/train");
        ImageDataset test = EvalFixtures.quadrants(64, 42, "quadrants/test");
        try (ExconNetwork net = EvalFixtures.trainedQuadrantNetwork(train, 60)) {
            double[] grid = {4, 16, 32};
            RobustnessResult fgsm = Robustness.builder().optEpsilons(grid).optBatchSize(32).build()
                    .evaluate(net, test);
            RobustnessResult pgd = Robustness.builder().optEpsilons(grid).optAttack(Attacks.pgd(8))
                    .optBatchSize(32).build().evaluate(net, test);
            assertTrue(fgsm.clean().top1() >= 0.9, "the toy model learned the task: " + fgsm);
            assertEquals(fgsm.clean().top1(), pgd.clean().top1(), 0);
            for (int e = 0; e < grid.length; e++) {
                assertTrue(pgd.accuracies()[e] <= fgsm.accuracies()[e], "eps " + grid[e] + "\n" + fgsm + "\n" + pgd);
                assertTrue(pgd.calibration().get(e).nll() >= fgsm.calibration().get(e).nll(),
                        "eps " + grid[e] + "\n" + fgsm + "\n" + pgd);
            }
            assertTrue(pgd.accuracies()[2] < pgd.clean().top1(), "a 32/255 attack hurts:\n" + pgd);
            // Seeded per batch: the same evaluation twice gives the same numbers.
            RobustnessResult again = Robustness.builder().optEpsilons(grid).optAttack(Attacks.pgd(8))
                    .optBatchSize(32).build().evaluate(net, test);
            assertArrayEquals(pgd.accuracies(), again.accuracies(), 0);
            assertArrayEquals(pgd.eces(), again.eces(), 0);
        }
    }

    @Test
    void aDataSetPassEqualsTheWholeBatch() {
        ImageDataset data = EvalFixtures.quadrants(12, 43, "quadrants/rob");
        try (ExconNetwork net = EvalFixtures.grayNetwork(4); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            RobustnessResult passes = Robustness.builder().optBatchSize(12).build().evaluate(net, data);
            RobustnessResult whole = Robustness.fgsm().evaluate(net, EvalFixtures.imagesOf(m, data),
                    m.create(EvalFixtures.longLabels(data)));
            assertArrayEquals(whole.accuracies(), passes.accuracies(), 0);
            assertArrayEquals(whole.eces(), passes.eces(), 1e-6);
            assertEquals(12, passes.clean().count());
        }
    }
}
