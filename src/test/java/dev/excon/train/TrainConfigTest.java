package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
    void probeEpochsRoundTripsAndCountsAsADeviation() {
        TrainConfig c = TrainConfig.preset("paper-cifar100").toBuilder().probeEpochs(7).build();
        assertEquals(7, c.probeEpochs());
        assertEquals(c, TrainConfig.fromPropertiesText(c.toPropertiesText()));
        assertTrue(c.toPropertiesText().contains("probeEpochs=7\n"), c.toPropertiesText());
        assertTrue(c.referenceDeviations().contains("probeEpochs=7 (reference: 0)"), c.referenceDeviations()
                .toString());
        assertEquals(7, TrainConfig.preset("quick").toBuilder().set("probeEpochs", "7").build().probeEpochs());
        for (String p : List.of("reference-cifar100", "reference-tiny-imagenet", "paper-cifar100",
                "paper-tiny-imagenet")) {
            assertEquals(0, TrainConfig.preset(p).probeEpochs(), p + " keeps the joint protocol");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.toBuilder().probeEpochs(-1).build());
        assertTrue(e.getMessage().contains("probeEpochs=-1") && e.getMessage().contains("0 (the reference"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.toBuilder().set("probeEpochs", "ten").build());
        assertTrue(e.getMessage().contains("probeEpochs=ten is not an integer"), e.getMessage());
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

    /**
     * The reference README's commands, option by option (python3 ExCon/main_supcon.py --epochs=200
     * --explainer="GradCAM" --dataset=... --batch_size=256|128 --method="Ex_SupCon" --learning_rate=0.5 --temp=0.1
     * --cosine --negative_pair=1 --validation=0 --background_anchor=0 --exp_epochs=50|0), plus the code's defaults
     * for what the commands leave out (--model resnet50, momentum 0.9, weight_decay 1e-4, base temperature 0.07,
     * tau 0.5, seed 1, the classifier's optimiser built by the same set_optimizer, warm-up only above batch 256),
     * and the code's behaviour where no option exists (encoder in train() mode while explaining, background images in
     * both view batches, netcal's ECE, explanation scores on the last model).
     */
    @Test
    void referencePresetsAreTheReferenceReadmeCommandsOptionByOption() {
        for (String[] ref : new String[][] {{"reference-cifar100", "cifar100", "256", "50"},
                {"reference-tiny-imagenet", "tiny-imagenet", "128", "0"}}) {
            TrainConfig c = TrainConfig.preset(ref[0]);
            assertEquals(200, c.epochs(), "--epochs=200");
            assertEquals("GradCAM", c.explainer(), "--explainer=GradCAM");
            assertEquals(ref[1], c.dataset(), "--dataset");
            assertEquals(Integer.parseInt(ref[2]), c.batchSize(), "--batch_size");
            assertEquals(Method.EXCONB, c.method(), "--method=Ex_SupCon --negative_pair=1");
            assertEquals(0.5f, c.learningRate(), "--learning_rate=0.5");
            assertEquals(0f, c.classifierLearningRate(), "the classifier's rate is the encoder's (0 = learningRate)");
            assertEquals(0.1f, c.temperature(), "--temp=0.1");
            assertEquals(0.0, c.validationFraction(), "--validation=0");
            assertTrue(c.selectsOnTest(), "best accuracy = the maximum test accuracy over epochs");
            assertFalse(c.backgroundAnchor(), "--background_anchor=0");
            assertEquals(Integer.parseInt(ref[3]), c.expEpochs(), "--exp_epochs");
            assertEquals("resnet50", c.backbone(), "--model default resnet50");
            assertEquals(0.9f, c.momentum(), "--momentum default");
            assertEquals(1e-4f, c.weightDecay(), "--weight_decay default");
            assertEquals(0.07f, c.baseTemperature(), "SupConLoss base_temperature default");
            assertEquals(0.5f, c.maskThreshold(), "tau 0.5 in train_encoder");
            assertEquals(1, c.seed(), "--seed default");
            assertEquals(0, c.effectiveWarmEpochs(), "opt.warm only when batch_size > 256");
            assertEquals(128, c.projectionDim(), "SupConResNet feat_dim 128");
            assertEquals(dev.excon.model.BatchNormMode.TRAIN, c.explanationBatchNorm(), "encoder.train() while explaining");
            assertFalse(c.shareBackgroundRows(), "background images in both view batches");
            assertEquals("netcal", c.calibrationBins(), "netcal ECE()");
            assertEquals("last", c.evaluateCheckpoint(), "eval_drop_increase on the last model");
            assertEquals(0, c.trainLimit());
            assertEquals(0, c.testLimit());
            assertEquals(List.of(), c.referenceDeviations(), ref[0]);
        }
    }

    @Test
    void paperPresetsDifferFromTheReferenceOnlyInTheCorrections() {
        assertEquals(List.of("calibrationBins=right-closed (reference: netcal)",
                "evaluateCheckpoint=best (reference: last)", "explanationBatchNorm=EVAL (reference: TRAIN)",
                "shareBackgroundRows=true (reference: false)", "validationFraction=0.2 (reference: 0.0)"),
                TrainConfig.preset("paper-cifar100").referenceDeviations());
        assertEquals(TrainConfig.preset("paper-cifar100").referenceDeviations(),
                TrainConfig.preset("paper-tiny-imagenet").referenceDeviations());
        TrainConfig paper = TrainConfig.preset("paper-cifar100");
        assertFalse(paper.selectsOnTest());
        assertEquals("validation accuracy", paper.selectionMeasure());
        assertEquals("test accuracy", TrainConfig.preset("reference-cifar100").selectionMeasure());
    }

    @Test
    void aShortenedRunKeepsThePresetsProportions() {
        // 50 of 200 plain-SupCon epochs in the reference: 10 of 40.
        TrainConfig c = TrainConfig.preset("paper-cifar100").withEpochs(40);
        assertEquals(40, c.epochs());
        assertEquals(10, c.expEpochs());
        assertFalse(c.explainsAt(9));
        assertTrue(c.explainsAt(10), "notebook 10 with epochs=40 explains from epoch 10");
        assertEquals(0, TrainConfig.preset("paper-tiny-imagenet").withEpochs(40).expEpochs());
        assertEquals(2, TrainConfig.preset("reference-cifar100").withEpochs(7).expEpochs(), "round(7 * 50 / 200)");
        // An explicit warm-up scales too; the reference's rule (-1) stays.
        assertEquals(5, TrainConfig.preset("paper-cifar100").toBuilder().warmEpochs(10).build().withEpochs(100)
                .warmEpochs());
        assertEquals(-1, c.warmEpochs());
        assertThrows(IllegalArgumentException.class, () -> c.withEpochs(0));
    }

    @Test
    void theNewSwitchesValidateAndNameTheirValues() {
        TrainConfig q = TrainConfig.preset("quick");
        assertEquals("IntegratedGradients", q.toBuilder().explainer("integrated_gradients").build().explainer());
        assertEquals("GradCAM", q.toBuilder().explainer("grad-cam").build().explainer());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.toBuilder().explainer("lime").build());
        assertTrue(e.getMessage().contains("'lime'") && e.getMessage().contains("SmoothGrad"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.toBuilder().set("explanationBatchNorm", "batch")
                .build());
        assertTrue(e.getMessage().contains("explanationBatchNorm=batch") && e.getMessage().contains("train"),
                e.getMessage());
        assertEquals(dev.excon.model.BatchNormMode.TRAIN,
                q.toBuilder().set("explanationBatchNorm", "train").build().explanationBatchNorm());
        e = assertThrows(IllegalArgumentException.class, () -> q.toBuilder().calibrationBins("left").build());
        assertTrue(e.getMessage().contains("calibrationBins=left") && e.getMessage().contains("netcal"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.toBuilder().evaluateCheckpoint("first").build());
        assertTrue(e.getMessage().contains("evaluateCheckpoint=first"), e.getMessage());
        assertEquals(0.0, q.toBuilder().validationFraction(0).build().validationFraction());
        e = assertThrows(IllegalArgumentException.class, () -> q.toBuilder().validationFraction(1).build());
        assertTrue(e.getMessage().contains("validationFraction=1.0") && e.getMessage().contains("[0, 1)"),
                e.getMessage());
        assertEquals(Method.EXSIMCLR, Method.parse("Ex_SimCLR"));
        assertEquals(Method.EXSIMCLRB, Method.parse("exsimclrb"));
    }

    @Test
    void aConfigurationWrittenBeforeTheSwitchesReadsWithTodaysDefaults() {
        // What config.properties held before these keys existed: every key of the quick preset then.
        String before = String.join("\n", "backbone=small", "backgroundAnchor=false", "baseTemperature=0.07",
                "batchSize=64", "classifierLearningRate=0.05", "dataset=fashion-mnist", "epochs=4", "expEpochs=2",
                "learningRate=0.1", "maskThreshold=0.5", "method=EXCON", "momentum=0.9", "name=quick",
                "projectionDim=128", "seed=1", "shareBackgroundRows=true", "temperature=0.1", "testLimit=2000",
                "trainLimit=4000", "validationFraction=0.2", "warmEpochs=0", "weightDecay=1.0E-4");
        TrainConfig c = TrainConfig.fromPropertiesText(before);
        assertEquals("GradCAM", c.explainer());
        assertEquals(dev.excon.model.BatchNormMode.EVAL, c.explanationBatchNorm());
        assertEquals("right-closed", c.calibrationBins());
        assertEquals("best", c.evaluateCheckpoint());
        assertEquals(0, c.probeEpochs(), "runs before the key had the joint protocol, whatever quick uses now");
        // Every key the file holds keeps its value.
        java.util.Properties read = c.toProperties();
        for (String line : before.split("\n")) {
            String[] kv = line.split("=", 2);
            assertEquals(kv[1], read.getProperty(kv[0]), kv[0]);
        }
    }
}
