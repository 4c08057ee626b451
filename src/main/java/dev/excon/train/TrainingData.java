package dev.excon.train;

import dev.excon.data.ChannelStats;
import dev.excon.data.Datasets;
import dev.excon.data.ImageDataset;
import dev.excon.data.Splits;
import dev.excon.data.TrainTest;
import dev.excon.data.TrainValidation;
import dev.excon.data.verify.DataVerifier;
import dev.excon.data.verify.KnownDataset;
import java.nio.file.Path;

/**
 * The three parts a run uses, with the data set's normalisation statistics.
 *
 * @param train training images
 * @param validation held-out images for model selection (never the test set); empty when {@code
 *     validationFraction} is 0 (the reference's {@code --validation=0})
 * @param test the official test images, reported only
 * @param stats per-channel statistics for the model's normalisation and the mask fill colour
 */
public record TrainingData(ImageDataset train, ImageDataset validation, ImageDataset test, ChannelStats stats) {

    /** Checks that the parts agree with each other and with the statistics. */
    public TrainingData {
        for (ImageDataset d : new ImageDataset[] {validation, test}) {
            if (d.channels() != train.channels() || d.height() != train.height() || d.width() != train.width()
                    || d.numClasses() != train.numClasses()) {
                throw new IllegalArgumentException(d + " does not match the training set " + train);
            }
        }
        if (stats.channels() != train.channels()) {
            throw new IllegalArgumentException("statistics have " + stats.channels() + " channels, images "
                    + train.channels());
        }
        if (train.height() != train.width()) {
            throw new IllegalArgumentException("images must be square, got " + train.height() + "x" + train.width());
        }
    }

    /**
     * Loads the configuration's data set from its default location (see {@code DataPaths}; checked against its
     * published checksums first, see {@code DataVerifier}), applies the train and test limits (class-balanced samples,
     * seeded), and holds out the validation fraction, stratified and seeded.
     */
    public static TrainingData load(TrainConfig config) {
        TrainTest tt;
        ChannelStats stats;
        switch (config.dataset()) {
            case "fashion-mnist" -> {
                tt = Datasets.fashionMnist(verified(KnownDataset.FASHION_MNIST));
                stats = ChannelStats.FASHION_MNIST;
            }
            case "cifar10" -> {
                tt = Datasets.cifar10(verified(KnownDataset.CIFAR10));
                stats = ChannelStats.CIFAR10;
            }
            case "cifar100" -> {
                tt = Datasets.cifar100(verified(KnownDataset.CIFAR100));
                stats = ChannelStats.CIFAR100;
            }
            case "tiny-imagenet" -> {
                tt = Datasets.tinyImageNet(verified(KnownDataset.TINY_IMAGENET));
                stats = ChannelStats.TINY_IMAGENET;
            }
            default -> throw new IllegalArgumentException("unknown dataset " + config.dataset());
        }
        return of(tt, stats, config);
    }

    /** The data set's default directory, checked against its published checksums (cached until a file changes). */
    private static Path verified(KnownDataset d) {
        Path dir = d.defaultDirectory();
        DataVerifier.onFirstUse(d, dir);
        return dir;
    }

    /**
     * Applies the configuration's limits and validation split to data already loaded.
     *
     * @throws IllegalArgumentException if a class would have no image in the training or the validation part: the
     *     message names trainLimit and validationFraction, their values and the smallest trainLimit that works
     */
    public static TrainingData of(TrainTest tt, ChannelStats stats, TrainConfig config) {
        ImageDataset train = tt.train();
        ImageDataset test = tt.test();
        if (config.trainLimit() > 0 && config.trainLimit() < train.size()) {
            train = Splits.perClass(train, Math.max(1, config.trainLimit() / train.numClasses()), config.seed());
        }
        requireEnoughPerClass(tt.train(), train, config);
        if (config.testLimit() > 0 && config.testLimit() < test.size()) {
            test = Splits.perClass(test, Math.max(1, config.testLimit() / test.numClasses()), config.seed());
        }
        TrainValidation split = Splits.stratified(train, config.validationFraction(), config.seed());
        return new TrainingData(split.train(), split.validation(), test, stats);
    }

    /** Refuses, before anything is trained, a split that leaves a class out of the training or validation part. */
    private static void requireEnoughPerClass(ImageDataset full, ImageDataset limited, TrainConfig config) {
        double fraction = config.validationFraction();
        if (fraction == 0) {
            return; // every class keeps its images: a sample of at least one per class is all a run needs
        }
        int min = Splits.minimumPerClass(fraction);
        int[] counts = limited.classCounts();
        int[] available = full.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0 || counts[c] >= min) {
                continue;
            }
            String need = "validationFraction=" + fraction + " needs at least " + min + " training images per class,"
                    + " so that the training and the validation part each hold one image of every class";
            if (limited != full && available[c] >= min) {
                int classes = limited.numClasses();
                throw new IllegalArgumentException("trainLimit=" + config.trainLimit() + " keeps " + counts[c]
                        + " training image" + (counts[c] == 1 ? "" : "s") + " of class '" + limited.classNames()
                        .get(c) + "' (trainLimit / " + classes + " classes, rounded down, at least 1), but " + need
                        + ": set trainLimit to at least " + (long) min * classes + " (--set trainLimit=" + (long) min
                        * classes + "), or to 0 for all " + full.size() + " training images"
                        + (min > 2 ? ", or lower validationFraction (0.2 as in the reference needs 2 per class)"
                                : ""));
            }
            throw new IllegalArgumentException(full.name() + " has only " + counts[c] + " image"
                    + (counts[c] == 1 ? "" : "s") + " of class '" + limited.classNames().get(c) + "', but " + need
                    + (min > 2 ? ": lower validationFraction (0.2 as in the reference needs 2 per class)"
                            : ": use a data set with at least 2 images of every class"));
        }
    }

    /** Image height and width. */
    public int imageSize() {
        return train.height();
    }
}
