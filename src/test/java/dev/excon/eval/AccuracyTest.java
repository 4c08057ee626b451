package dev.excon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.excon.data.ImageDataset;
import dev.excon.model.ExconNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyTest {

    /** Six samples, six classes, worked out by hand (ties go to the lower class index). */
    static final float[] LOGITS = {
        5, 1, 0, 0, 0, 0, // label 0: predicted 0
        3, 2, 1, 0, 0, 0, // label 1: predicted 0, one class above: top-5
        0, 1, 2, 3, 4, 5, // label 2: predicted 5, three above: top-5
        0, 1, 2, 3, 4, 5, // label 0: predicted 5, five above: not top-5
        1, 1, 1, 1, 1, 1, // label 3: a tie, predicted 0, classes 0..2 rank above it: top-5
        1, 1, 1, 1, 1, 1, // label 0: a tie, predicted 0
    };
    static final int[] LABELS = {0, 1, 2, 0, 3, 0};

    @Test
    void handCase() {
        AccuracyResult r = Accuracy.of(new Logits(LOGITS, 6, LABELS));
        assertEquals(6, r.count());
        assertEquals(5, r.k());
        assertEquals(2.0 / 6, r.top1(), 1e-15);
        assertEquals(5.0 / 6, r.topK(), 1e-15);
        assertArrayEquals(new double[] {2.0 / 3, 0, 0, 0, Double.NaN, Double.NaN}, r.perClass(), 1e-15);
        assertArrayEquals(new long[] {3, 1, 1, 1, 0, 0}, r.classCounts());
        long[][] confusion = new long[6][6];
        confusion[0][0] = 2;
        confusion[0][5] = 1;
        confusion[1][0] = 1;
        confusion[2][5] = 1;
        confusion[3][0] = 1;
        for (int c = 0; c < 6; c++) {
            assertArrayEquals(confusion[c], r.confusion()[c], "confusion row " + c);
        }
        assertEquals((2.0 / 3) / 4, r.meanPerClass(), 1e-15, "mean over the four classes with samples");
        String s = r.toString();
        assertTrue(s.contains("top-1 0.3333") && s.contains("top-5 0.8333"), s);
    }

    @Test
    void topKIsCappedAtTheNumberOfClasses() {
        AccuracyResult r = Accuracy.of(new Logits(new float[] {0, 1, 2, 2, 1, 0}, 3, new int[] {0, 2}));
        assertEquals(3, r.k());
        assertEquals(1.0, r.topK());
        assertEquals(0.0, r.top1());
    }

    @Test
    void deviceArraysGiveTheSameResult() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = m.create(LOGITS, new Shape(6, 6));
            NDArray labels = m.create(new long[] {0, 1, 2, 0, 3, 0});
            AccuracyResult r = Accuracy.of(logits, labels);
            assertEquals(2.0 / 6, r.top1(), 1e-15);
            assertEquals(5.0 / 6, r.topK(), 1e-15);
        }
    }

    @Test
    void aDataSetPassEqualsTheLogitsOfAllImagesAtOnce() {
        ImageDataset data = EvalFixtures.quadrants(21, 3, "quadrants/acc");
        try (ExconNetwork net = EvalFixtures.grayNetwork(4); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AccuracyResult batched = Accuracy.evaluate(net, data, 8); // 8 + 8 + 5
            NDArray images = EvalFixtures.imagesOf(m, data);
            AccuracyResult whole = Accuracy.of(net.logits(images), m.create(EvalFixtures.longLabels(data)));
            assertEquals(21, batched.count());
            assertEquals(whole.top1(), batched.top1(), 1e-12);
            assertEquals(whole.topK(), batched.topK(), 1e-12);
            for (int c = 0; c < 4; c++) {
                assertArrayEquals(whole.confusion()[c], batched.confusion()[c]);
            }
            assertEquals(List.of("tl", "tr", "bl", "br"), batched.classNames());
        }
    }

    @Test
    void badInputsAreRefusedWithTheActualValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Accuracy.of(new Logits(new float[] {1, 2, 3}, 3, new int[] {3})));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Accuracy.of(new Logits(new float[] {1, Float.NaN}, 2, new int[] {0})));
        assertThrows(IllegalStateException.class, () -> new Accuracy.Accumulator(3, 5, List.of()).result());
    }
}
