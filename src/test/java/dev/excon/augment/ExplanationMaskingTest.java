package dev.excon.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.excon.data.ChannelStats;
import dev.excon.model.ExconNetwork;
import dev.excon.model.ResNetSpec;
import dev.excon.saliency.Explainers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationMaskingTest {

    @Test
    void keepsPixelsAboveTheThresholdAndFillsTheRestWithTheMeanColour() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // A 3-channel 1x3 image; the same mask applies to every channel.
            NDArray img = m.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f},
                    new Shape(1, 3, 1, 3));
            NDArray map = m.create(new float[] {0.9f, 0.5f, 0.51f}, new Shape(1, 1, 1, 3));
            ExplanationMasking masking = new ExplanationMasking(0.5f, new float[] {0.25f, 0.5f, 0.75f});
            // 0.5 is not above the threshold: that pixel takes the fill colour, as the reference's "S > tau" keeps.
            float[] expected = {0.1f, 0.25f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.75f, 0.9f};
            assertArrayEquals(expected, masking.mask(img, map).toFloatArray(), 1e-7f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> masking.mask(img, m.ones(new Shape(1, 1, 2, 3))));
            assertTrue(e.getMessage().contains("(1, 1, 1, 3)"), e.getMessage());
        }
    }

    @Test
    void acceptsMaskedViewsTheClassifierStillRecognisesAndCollectsTheRest() {
        try (ExconNetwork net = ExconNetwork.builder().setSpec(ResNetSpec.SMALL).setStats(ChannelStats.CIFAR10)
                .setImageSize(16).setNumClasses(3).optSeed(4).optDevice(Device.cpu()).build();
                NDManager m = net.manager().newSubManager()) {
            int n = 24;
            NDArray v0 = m.randomUniform(0, 1, new Shape(n, 3, 16, 16));
            NDArray backup = m.randomUniform(0, 1, new Shape(n, 3, 16, 16));
            ExplanationMasking masking = new ExplanationMasking(0.5f, ChannelStats.CIFAR10.mean());
            ExplanationMasking.Saliency gradCam = (x, t) -> Explainers.gradCam().explain(net, x, t);
            NDArray maps = gradCam.maps(v0, m.zeros(new Shape(n), ai.djl.ndarray.types.DataType.INT64));
            NDArray masked = masking.mask(v0, maps);
            long[] predicted = net.logits(masked).argMax(1).toLongArray();
            // Labels chosen so that about half of the masked images are still "recognised".
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 2 == 0 ? predicted[i] : (predicted[i] + 1) % 3;
            }
            NDArray y = m.create(labels);
            ExplanationMasking.Result r = masking.apply(net, gradCam, v0, y, backup, true);
            NDArray expectedMasks = masking.mask(v0, gradCam.maps(v0, y));
            long[] expectedPred = net.logits(expectedMasks).argMax(1).toLongArray();
            float[] first = r.firstView().toFloatArray();
            float[] maskedPx = expectedMasks.toFloatArray();
            float[] backupPx = backup.toFloatArray();
            int per = 3 * 16 * 16;
            List<Integer> rejected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean ok = expectedPred[i] == labels[i];
                float[] want = ok ? maskedPx : backupPx;
                for (int p = 0; p < per; p++) {
                    assertEquals(want[i * per + p], first[i * per + p], 1e-6f, "image " + i);
                }
                if (!ok) {
                    rejected.add(i);
                }
            }
            assertEquals(n - rejected.size(), r.accepted());
            assertEquals(n, r.total());
            assertTrue(r.accepted() > 0 && !rejected.isEmpty(), "both branches exercised: " + rejected);
            assertEquals(rejected.size(), r.backgroundCount());
            float[] bg = r.background().toFloatArray();
            for (int k = 0; k < rejected.size(); k++) {
                int i = rejected.get(k);
                for (int p = 0; p < per; p++) {
                    assertEquals(maskedPx[i * per + p], bg[k * per + p], 1e-6f, "background " + k);
                }
            }
            assertTrue(r.keptFraction() > 0 && r.keptFraction() < 1);
            // ExCon without negatives collects nothing.
            assertNull(masking.apply(net, gradCam, v0, y, backup, false).background());
        }
    }
}
