package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ResNetSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EncoderStepTest {

    private static ExconNetwork net() {
        return ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ExconTrainerTest.QUADRANT_STATS)
                .setImageSize(16).setNumClasses(4).optProjectionDim(16).optSeed(3).optDevice(Device.cpu()).build();
    }

    private static EncoderStep.Outcome run(TrainConfig c, ExconNetwork net, boolean explain) {
        return run(c, net, explain, 32);
    }

    /** A step on the first {@code n} images of a quadrant batch (its first 4 hold one image of each class). */
    private static EncoderStep.Outcome run(TrainConfig c, ExconNetwork net, boolean explain, int n) {
        try (NDManager m = net.manager().newSubManager()) {
            dev.excon.data.ImageDataset d = dev.excon.eval.EvalFixtures.quadrants(32, 9, "q");
            byte[] px = new byte[n * 256];
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                d.copyImage(i, px, i * 256);
                y[i] = d.label(i);
            }
            NDArray x = m.create(java.nio.ByteBuffer.wrap(px), new Shape(n, 1, 16, 16), DataType.UINT8)
                    .toType(DataType.FLOAT32, false).div(255f);
            EncoderStep.Outcome o = new EncoderStep(c, net, ExconTrainerTest.QUADRANT_STATS)
                    .run(x, m.create(y), explain, new SplittableRandom(5));
            for (Parameter p : net.encoderParameters()) {
                try (NDArray g = p.getArray().getGradient()) {
                    g.subi(g);
                }
            }
            return o;
        }
    }

    @Test
    void sharedBackgroundRowsEncodeEachRejectedImageOnce() {
        TrainConfig shared = ExconTrainerTest.small(Method.EXCONB, 1);
        TrainConfig exact = shared.toBuilder().shareBackgroundRows(false).build();
        try (ExconNetwork a = net(); ExconNetwork b = net()) {
            EncoderStep.Outcome s = run(shared, a, true);
            EncoderStep.Outcome e = run(exact, b, true);
            // A fresh classifier rejects most masks; both runs see the same batch, masks and decisions.
            assertTrue(s.background() > 0, "some masks rejected");
            assertEquals(s.background(), e.background());
            assertEquals(64 + s.background(), s.encodedRows());
            assertEquals(64 + 2 * e.background(), e.encodedRows(), "the reference's batches hold the background twice");
            // Only batch norm's statistics differ (background weighed once): the losses stay close.
            assertEquals(e.loss(), s.loss(), 0.05 * e.loss());
        }
    }

    @Test
    void explanationsOffGivesPlainSupConViews() {
        TrainConfig c = ExconTrainerTest.small(Method.EXCONB, 1);
        try (ExconNetwork a = net()) {
            EncoderStep.Outcome o = run(c, a, false);
            assertEquals(0, o.explained());
            assertEquals(0, o.background());
            assertEquals(64, o.encodedRows());
            assertTrue(Float.isFinite(o.loss()));
        }
    }

    /**
     * Ex_SimCLR uses the same masked views as ExCon and the SimCLR loss. With one image per class the two losses
     * coincide (each row's only positive is its other view either way); with repeated labels they differ, because
     * SupCon pulls same-class rows together and SimCLR does not.
     */
    @Test
    void exSimClrUsesExConsViewsWithTheSimClrLoss() {
        try (ExconNetwork a = net(); ExconNetwork b = net(); ExconNetwork c = net(); ExconNetwork d = net()) {
            TrainConfig excon = ExconTrainerTest.small(Method.EXCON, 1);
            TrainConfig exSimClr = ExconTrainerTest.small(Method.EXSIMCLR, 1);
            EncoderStep.Outcome unique = run(excon, a, true, 4);
            EncoderStep.Outcome uniqueSimClr = run(exSimClr, b, true, 4);
            assertEquals(unique.explained(), uniqueSimClr.explained());
            assertEquals(unique.accepted(), uniqueSimClr.accepted(), "the same masks and decisions");
            assertEquals(unique.loss(), uniqueSimClr.loss(), 1e-5f, "one image per class: SupCon is SimCLR");
            EncoderStep.Outcome repeated = run(excon, c, true, 32);
            EncoderStep.Outcome repeatedSimClr = run(exSimClr, d, true, 32);
            assertEquals(repeated.accepted(), repeatedSimClr.accepted());
            assertTrue(Math.abs(repeated.loss() - repeatedSimClr.loss()) > 1e-3,
                    "repeated labels: " + repeated.loss() + " vs " + repeatedSimClr.loss());
        }
    }

    @Test
    void exSimClrBAddsTheRejectedMasksAsBackground() {
        try (ExconNetwork a = net(); ExconNetwork b = net()) {
            EncoderStep.Outcome exconB = run(ExconTrainerTest.small(Method.EXCONB, 1), a, true);
            EncoderStep.Outcome exSimClrB = run(ExconTrainerTest.small(Method.EXSIMCLRB, 1), b, true);
            assertTrue(exSimClrB.background() > 0);
            assertEquals(exconB.background(), exSimClrB.background());
            assertEquals(64 + exSimClrB.background(), exSimClrB.encodedRows());
            assertTrue(Float.isFinite(exSimClrB.loss()));
        }
    }
}
