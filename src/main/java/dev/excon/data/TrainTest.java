package dev.excon.data;

/**
 * A data set's official training and test parts.
 *
 * @param train the training images (split it further with {@link Splits#stratified} for a validation set)
 * @param test the official test images (Tiny ImageNet: the official validation set, as in the reference)
 */
public record TrainTest(ImageDataset train, ImageDataset test) {

    /** Checks that both parts have the same image shape and classes. */
    public TrainTest {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || !train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException(
                    "train " + train + " and test " + test + " differ in image shape or class names");
        }
    }
}
