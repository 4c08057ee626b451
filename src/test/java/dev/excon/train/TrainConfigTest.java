package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

    @Test
    void paperPresetsFollowTheReferenceReadme() {
        TrainConfig c = TrainConfig.preset("paper-cifar100");
        assertEquals(Method.EXCONB, c.method());
        assertEquals("resnet50", c.backbone());
        assertEquals(256, c.batchSize());
        assertEquals(0.5f, c.learningRate());
        assertEquals(0.1f, c.temperature());
        assertEquals(200, c.epochs());
        assertEquals(50, c.expEpochs());
        assertFalse(c.backgroundAnchor(), "background as negatives only");
        assertEquals(0, c.effectiveWarmEpochs(), "no warm-up at batch 256 (the reference warms up above 256)");
        TrainConfig t = TrainConfig.preset("paper-tiny-imagenet");
        assertEquals(128, t.batchSize());
        assertEquals(0, t.expEpochs());
        assertEquals("tiny-imagenet", t.dataset());
        assertEquals(10, c.toBuilder().batchSize(512).build().effectiveWarmEpochs());
    }

    @Test
    void explanationsStartAtExpEpochs() {
        TrainConfig c = TrainConfig.preset("paper-cifar100");
        assertFalse(c.explainsAt(49));
        assertTrue(c.explainsAt(50));
        assertFalse(c.toBuilder().method(Method.SUPCON).build().explainsAt(100));
    }

    @Test
    void roundTripsThroughProperties() {
        TrainConfig c = TrainConfig.preset("paper-tiny-imagenet").toBuilder().seed(7).backgroundAnchor(true).build();
        assertEquals(c, TrainConfig.fromPropertiesText(c.toPropertiesText()));
        assertTrue(c.toString().contains("temperature=0.1") && c.toString().contains("seed=7"), c.toString());
    }

    @Test
    void badValuesNameTheKeyAndTheFix() {
        TrainConfig q = TrainConfig.preset("quick");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.toBuilder().batchSize(1).build());
        assertTrue(e.getMessage().contains("batchSize=1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.toBuilder().set("learningRate", "fast").build());
        assertTrue(e.getMessage().contains("learningRate=fast is not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.toBuilder().set("lr", "0.1"));
        assertTrue(e.getMessage().contains("unknown configuration key 'lr'") && e.getMessage().contains("learningRate"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.preset("paper-cifar10"));
        assertTrue(e.getMessage().contains("paper-cifar100") && e.getMessage().contains("quick"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.toBuilder().backbone("resnet19").build());
        assertTrue(e.getMessage().contains("resnet19"), e.getMessage());
    }
}
