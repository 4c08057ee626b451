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
        try (NDManager m = net.manager().newSubManager()) {
            dev.excon.data.ImageDataset d = dev.excon.eval.EvalFixtures.quadrants(32, 9, "q");
            byte[] px = new byte[32 * 256];
            long[] y = new long[32];
            for (int i = 0; i < 32; i++) {
                d.copyImage(i, px, i * 256);
                y[i] = d.label(i);
            }
            NDArray x = m.create(java.nio.ByteBuffer.wrap(px), new Shape(32, 1, 16, 16), DataType.UINT8)
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
}
