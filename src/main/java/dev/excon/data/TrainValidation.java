package dev.excon.data;

/**
 * A training set and the validation set held out of it; see {@link Splits#stratified}. Model selection (the best
 * checkpoint) uses the validation part, never the test set.
 *
 * @param train the images to train on
 * @param validation the held-out images for model selection and temperature scaling
 */
public record TrainValidation(ImageDataset train, ImageDataset validation) {}
