package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.excon.data.ImageDataset;
import dev.excon.model.ExconNetwork;
import dev.excon.saliency.Explainers;
import org.junit.jupiter.api.Test;

class DropIncreaseTest {

    @Test
    void keptPixelsFollowTheReferencesIntRule() {
        DropIncrease d = DropIncrease.reference();
        assertEquals(153, d.keptPixels(32, 32), "153 of 1024 at CIFAR size");
        assertEquals(614, d.keptPixels(64, 64), "614 of 4096 at Tiny ImageNet size");
        assertEquals(38, d.keptPixels(16, 16));
    }

    @Test
    void scoresFollowTheirFormulas() {
        // Y = .5, .5, .8, .4; O = .25, .5, .9, .1.
        DropIncreaseResult r = DropIncreaseResult.of(new double[] {.5, .5, .8, .4}, new double[] {.25, .5, .9, .1},
                new int[] {0, 1, 2, 3}, 0.15, 38, "test");
        assertEquals((0.5 + 0 + 0 + 0.75) / 4, r.averageDrop(), 1e-15);
        assertEquals(1.0 / 4, r.increaseRate(), 1e-15);
        assertEquals((0.1 / 0.8) / 4, r.averageRelativeIncrease(), 1e-15);
        assertEquals(2.0 / 4, r.dropRate(), 1e-15);
    }

    /**
     * A classifier with zero weights: the logits are its bias whatever the image, so Y = O exactly and the four scores
     * are 0 (the Grad-CAM map is all zeros: every pixel ties and the ranking is row-major).
     */
    @Test
    void aModelThatIgnoresTheImageScoresZero() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (Parameter p : net.classifierParameters()) {
                if (p.getType() == Parameter.Type.WEIGHT) {
                    p.getArray().muli(0f);
                }
            }
            DropIncreaseResult r = DropIncrease.reference().evaluate(net, EvalFixtures.images(m, 6, 1));
            assertArrayEquals(r.original(), r.masked(), 0.0);
            assertEquals(0, r.averageDrop());
            assertEquals(0, r.increaseRate());
            assertEquals(0, r.averageRelativeIncrease());
            assertEquals(0, r.dropRate());
        }
    }

    @Test
    void keepingEveryPixelChangesNothing() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            DropIncreaseResult r = DropIncrease.builder().optKeepFraction(1).build()
                    .evaluate(net, EvalFixtures.images(m, 6, 2));
            assertEquals(256, r.keptPixels());
            assertArrayEquals(r.original(), r.masked(), 1e-6, "the masked image is the original");
            assertEquals(0, r.averageDrop(), 1e-5);
            assertEquals(0, r.averageRelativeIncrease(), 1e-5);
        }
    }

    /** Keeping no pixel: every masked image is the fill colour, so O is the fill image's confidence of class c. */
    @Test
    void keepingNoPixelGivesTheFillImagesConfidence() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 6, 3);
            DropIncreaseResult r = DropIncrease.builder().optKeepFraction(0).build().evaluate(net, x);
            assertEquals(0, r.keptPixels());
            float[] mean = net.backbone().stats().mean();
            NDArray fill = m.create(mean, new Shape(1, 3, 1, 1)).broadcast(new Shape(1, 3, 16, 16));
            float[] fillProbs = net.logits(fill).softmax(1).toFloatArray();
            NDArray logits = net.logits(x);
            long[] predicted = logits.argMax(1).toLongArray();
            float[] probs = logits.softmax(1).toFloatArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(predicted[i], r.classes()[i], "explains the predicted class");
                assertEquals(probs[i * 5 + r.classes()[i]], r.original()[i], 1e-6, "Y");
                assertEquals(fillProbs[r.classes()[i]], r.masked()[i], 1e-5, "O");
            }
            // A black fill is a different image.
            DropIncreaseResult black = DropIncrease.builder().optKeepFraction(0).optFill(new float[] {0, 0, 0})
                    .build().evaluate(net, x);
            float[] blackProbs = net.logits(m.zeros(new Shape(1, 3, 16, 16))).softmax(1).toFloatArray();
            assertEquals(blackProbs[black.classes()[0]], black.masked()[0], 1e-5);
        }
    }

    /** The masked image keeps exactly the 38 top-ranked pixels of the raw Grad-CAM map (checked by hand in Java). */
    @Test
    void theMaskedConfidenceIsThatOfTheTopPixelsImage() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 3, 4);
            DropIncreaseResult r = DropIncrease.reference().evaluate(net, x);
            float[] raw = Explainers.gradCam().explainRaw(net, x, dev.excon.saliency.Target.predicted())
                    .toFloatArray();
            float[] pixels = x.toFloatArray();
            float[] mean = net.backbone().stats().mean();
            float[] masked = new float[pixels.length];
            for (int i = 0; i < 3; i++) {
                boolean[] keep = top(raw, i * 256, 256, 38);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 256; p++) {
                        int at = (i * 3 + c) * 256 + p;
                        masked[at] = keep[p] ? pixels[at] : mean[c];
                    }
                }
            }
            float[] probs = net.logits(m.create(masked, x.getShape())).softmax(1).toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(probs[i * 5 + r.classes()[i]], r.masked()[i], 1e-5, "image " + i);
            }
        }
    }

    /** The k largest of {@code v[from .. from + p)}, ties by lower index. */
    static boolean[] top(float[] v, int from, int p, int k) {
        Integer[] order = new Integer[p];
        for (int j = 0; j < p; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order,
                java.util.Comparator.<Integer>comparingDouble(j -> -v[from + j]).thenComparingInt(j -> j));
        boolean[] keep = new boolean[p];
        for (int r = 0; r < k; r++) {
            keep[order[r]] = true;
        }
        return keep;
    }

    @Test
    void aBatchEqualsOneImageAtATime() {
        try (ExconNetwork net = EvalFixtures.network(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = EvalFixtures.images(m, 6, 5);
            float[] before = x.toFloatArray();
            DropIncrease d = DropIncrease.reference();
            DropIncreaseResult batched = d.evaluate(net, x);
            double[] y = new double[6];
            double[] o = new double[6];
            int[] c = new int[6];
            for (int i = 0; i < 6; i++) {
                DropIncreaseResult one = d.evaluate(net, x.get(i + ":" + (i + 1)));
                y[i] = one.original()[0];
                o[i] = one.masked()[0];
                c[i] = one.classes()[0];
            }
            assertArrayEquals(c, batched.classes());
            assertArrayEquals(y, batched.original(), 1e-5);
            assertArrayEquals(o, batched.masked(), 1e-5);
            DropIncreaseResult loop = DropIncreaseResult.of(y, o, c, 0.15, 38, "loop");
            assertEquals(loop.averageDrop(), batched.averageDrop(), 1e-5);
            assertEquals(loop.increaseRate(), batched.increaseRate(), 0);
            assertEquals(loop.dropRate(), batched.dropRate(), 0);
            assertArrayEquals(before, x.toFloatArray(), 0f, "the images are not modified");
            assertTrue(!net.isFrozen(), "the parameters are trainable again");
            assertEquals(0f, EvalFixtures.maxParameterGradient(net.trainableParameters()), "no parameter gradient");
        }
    }

    @Test
    void aDataSetPassEqualsTheWholeBatch() {
        ImageDataset data = EvalFixtures.quadrants(10, 4, "quadrants/di");
        try (ExconNetwork net = EvalFixtures.grayNetwork(4); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            DropIncrease d = DropIncrease.builder().optBatchSize(4).build();
            DropIncreaseResult passes = d.evaluate(net, data);
            DropIncreaseResult whole = d.evaluate(net, EvalFixtures.imagesOf(m, data));
            assertEquals(10, passes.count());
            assertArrayEquals(whole.classes(), passes.classes());
            assertArrayEquals(whole.original(), passes.original(), 1e-5);
            assertArrayEquals(whole.masked(), passes.masked(), 1e-5);
            assertTrue(passes.toString().contains("Average Drop"), passes.toString());
        }
    }
}
