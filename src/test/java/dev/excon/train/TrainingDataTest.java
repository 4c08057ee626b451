package dev.excon.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.excon.data.ArrayImageDataset;
import dev.excon.data.ChannelStats;
import dev.excon.data.ImageDataset;
import dev.excon.data.TrainTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits and the validation split: a split that leaves a class out says which setting to change, and to what. */
class TrainingDataTest {

    /** {@code perClass} 2x2 gray images of each of 10 classes. */
    private static ImageDataset tenClasses(String name, int perClass) {
        int n = 10 * perClass;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            names.add("class" + c);
        }
        return new ArrayImageDataset(name, new byte[n * 4], labels, 1, 2, 2, names);
    }

    private static TrainingData load(int perClass, String... settings) {
        TrainConfig.Builder b = TrainConfig.preset("quick").toBuilder();
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        TrainTest tt = new TrainTest(tenClasses("toy/train", perClass), tenClasses("toy/test", 3));
        return TrainingData.of(tt, ChannelStats.FASHION_MNIST, b.build());
    }

    @Test
    void trainLimitBelowTwoPerClassNamesTheSettingAndTheMinimum() {
        // 5 images for 10 classes: one per class, none left over for validation (the reported "is empty").
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(50, "trainLimit", "5"));
        assertEquals("trainLimit=5 keeps 1 training image of class 'class0' (trainLimit / 10 classes, rounded down,"
                + " at least 1), but validationFraction=0.2 needs at least 2 training images per class, so that the"
                + " training and the validation part each hold one image of every class: set trainLimit to at least"
                + " 20 (--set trainLimit=20), or to 0 for all 500 training images", e.getMessage());
        // 19 is still one per class; 20, the minimum named, works: 10 training and 10 validation images.
        assertThrows(IllegalArgumentException.class, () -> load(50, "trainLimit", "19"));
        TrainingData d = load(50, "trainLimit", "20");
        assertEquals(10, d.train().size());
        assertEquals(10, d.validation().size());
    }

    @Test
    void aLargeValidationFractionNeedsMorePerClass() {
        // round(0.9 * n) leaves nothing for training until n = 6.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(50, "trainLimit", "50", "validationFraction", "0.9"));
        assertTrue(e.getMessage().startsWith("trainLimit=50 keeps 5 training images of class 'class0'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("validationFraction=0.9 needs at least 6 training images per class"),
                e.getMessage());
        assertTrue(e.getMessage().contains("set trainLimit to at least 60"), e.getMessage());
        assertTrue(e.getMessage().contains("or lower validationFraction"), e.getMessage());
        TrainingData d = load(50, "trainLimit", "60", "validationFraction", "0.9");
        assertEquals(10, d.train().size());
        assertEquals(50, d.validation().size());
    }

    @Test
    void aDataSetTooSmallForTheSplitSaysSoWithoutBlamingTrainLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(1, "trainLimit", "0"));
        assertTrue(e.getMessage().startsWith("toy/train has only 1 image of class 'class0'"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 2 images of every class"), e.getMessage());
    }
}
