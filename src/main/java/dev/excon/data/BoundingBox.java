package dev.excon.data;

/**
 * An object's bounding box in pixel coordinates of its image, as the data set's annotation file gives it: {@code
 * (x0, y0)} the top-left and {@code (x1, y1)} the bottom-right corner (Tiny ImageNet: x_min, y_min, x_max, y_max).
 * Explanation metrics use it to ask whether a saliency map falls on the object.
 *
 * @param x0 left column
 * @param y0 top row
 * @param x1 right column
 * @param y1 bottom row
 */
public record BoundingBox(int x0, int y0, int x1, int y1) {}
