package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.excon.model.ExconNetwork;
import dev.excon.saliency.Explainers;
import dev.excon.saliency.Target;
import org.junit.jupiter.api.Test;

class DeletionInsertionTest {

    @Test
    void trapezoidAreaByHand() {
        assertEquals(0.5, DeletionInsertionResult.area(new double[] {0, .5, 1}, new double[] {1, .5, 0}), 1e-15);
        // .25 * (1 + 1) / 2 + .75 * (1 + 0) / 2
        assertEquals(0.625, DeletionInsertionResult.area(new double[] {0, .25, 1}, new double[] {1, 1, 0}), 1e-15);
    }

    @Test
    void theXAxisIsTheShareOfPixelsReached() {
        assertArrayEquals(new double[] {0, .25, .5, .75, 1},
                DeletionInsertion.builder().optSteps(4).build().fractions(256), 0);
        // 10 steps of 1024 pixels: floor(t * 1024 / 10) pixels.
        assertEquals(102.0 / 1024, DeletionInsertion.standard().fractions(1024)[1], 0);
    }

    /**
     * Deletion starts at the clean confidence and ends at the all-filled image's; insertion the reverse; a middle
     * point equals the confidence on an image masked by hand from a Java ranking of the raw map.
     */
    @Test
    void curvesRunFromCleanToFilledAndBack() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 4, 7);
            float[] before = x.toFloatArray();
            DeletionInsertionResult r = DeletionInsertion.builder().optSteps(4).build().evaluate(net, x);
            float[] mean = net.backbone().stats().mean();
            NDArray fill = m.create(mean, new Shape(1, 3, 1, 1)).broadcast(new Shape(1, 3, 16, 16));
            float[] fillProbs = net.logits(fill).softmax(1).toFloatArray();
            NDArray logits = net.logits(x);
            float[] probs = logits.softmax(1).toFloatArray();
            long[] predicted = logits.argMax(1).toLongArray();
            float[] raw = Explainers.gradCam().explainRaw(net, x, Target.predicted()).toFloatArray();
            float[] pixels = x.toFloatArray();
            float[] deleted = new float[pixels.length];
            float[] inserted = new float[pixels.length];
            for (int i = 0; i < 4; i++) {
                int c = r.classes()[i];
                assertEquals(predicted[i], c);
                double clean = probs[i * 5 + c];
                double filled = fillProbs[c];
                double[] del = r.deletion()[i];
                double[] ins = r.insertion()[i];
                assertEquals(5, del.length);
                assertEquals(clean, del[0], 1e-6, "deletion starts at the clean confidence");
                assertEquals(filled, del[4], 1e-5, "deletion ends at the all-filled confidence");
                assertEquals(filled, ins[0], 1e-5, "insertion starts at the all-filled confidence");
                assertEquals(clean, ins[4], 1e-6, "insertion ends at the clean confidence");
                boolean[] top = DropIncreaseTest.top(raw, i * 256, 256, 128); // step 2 of 4: half the pixels
                for (int ch = 0; ch < 3; ch++) {
                    for (int p = 0; p < 256; p++) {
                        int at = (i * 3 + ch) * 256 + p;
                        deleted[at] = top[p] ? mean[ch] : pixels[at];
                        inserted[at] = top[p] ? pixels[at] : mean[ch];
                    }
                }
            }
            float[] delProbs = net.logits(m.create(deleted, x.getShape())).softmax(1).toFloatArray();
            float[] insProbs = net.logits(m.create(inserted, x.getShape())).softmax(1).toFloatArray();
            for (int i = 0; i < 4; i++) {
                int c = r.classes()[i];
                assertEquals(delProbs[i * 5 + c], r.deletion()[i][2], 1e-5, "deletion of the top half");
                assertEquals(insProbs[i * 5 + c], r.insertion()[i][2], 1e-5, "insertion of the top half");
            }
            double[] areas = r.deletionAreas();
            double mean0 = 0;
            for (double a : areas) {
                mean0 += a / areas.length;
            }
            assertEquals(mean0, r.deletionArea(), 1e-12, "the mean of the areas is the area of the mean curve");
            assertEquals(DeletionInsertionResult.area(r.fractions(), r.insertionCurve()), r.insertionArea(), 1e-12);
            assertArrayEquals(before, x.toFloatArray(), 0f, "the images are not modified");
        }
    }

    @Test
    void aBatchEqualsOneImageAtATime() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 3, 8);
            DeletionInsertion d = DeletionInsertion.builder().optSteps(5).build();
            DeletionInsertionResult batched = d.evaluate(net, x);
            for (int i = 0; i < 3; i++) {
                DeletionInsertionResult one = d.evaluate(net, x.get(i + ":" + (i + 1)));
                assertEquals(one.classes()[0], batched.classes()[i]);
                assertArrayEquals(one.deletion()[0], batched.deletion()[i], 1e-5);
                assertArrayEquals(one.insertion()[0], batched.insertion()[i], 1e-5);
            }
        }
    }

    @Test
    void aDataSetPassEqualsTheWholeBatch() {
        var data = EvalFixtures.quadrants(6, 9, "quadrants/del");
        try (ExconNetwork net = EvalFixtures.grayNetwork(4); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            DeletionInsertion d = DeletionInsertion.builder().optSteps(3).optBatchSize(4).build();
            DeletionInsertionResult passes = d.evaluate(net, data);
            DeletionInsertionResult whole = d.evaluate(net, EvalFixtures.imagesOf(m, data));
            assertEquals(6, passes.count());
            assertArrayEquals(whole.deletionCurve(), passes.deletionCurve(), 1e-5);
            assertArrayEquals(whole.insertionCurve(), passes.insertionCurve(), 1e-5);
        }
    }
}
