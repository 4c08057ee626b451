package dev.excon.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A chart or picture that renders itself: as an image (PNG-ready, caption drawn as a footer), a PNG or SVG file, or
 * an HTML fragment with the image inline. Figures hold plain host data (no native memory), so they need no closing.
 */
public interface Figure extends ReportItem {

    /** The title, e.g. {@code "Reliability: SupCon vs ExCon"}. */
    String title();

    /** The provenance line shown under the figure (by convention {@code Provenance.caption()}), or "". */
    String caption();

    /** The figure as an ARGB image, the caption drawn in a footer strip. */
    BufferedImage toImage();

    /** Writes {@link #toImage()} as PNG, creating parent directories. */
    default void savePng(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, Html.png(toImage()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@link #saveSvg(Path)} works in this process. */
    default boolean supportsSvg() {
        return false;
    }

    /**
     * Writes the figure as SVG (XChart appends {@code .svg} to a file name without it).
     *
     * @throws UnsupportedOperationException when the figure is not a single XChart chart or XChart's optional
     *     VectorGraphics2D jar is missing (the message says which); use {@link #savePng(Path)} instead
     */
    default void saveSvg(Path file) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " '" + title()
                + "' has no SVG form (a raster picture or several charts side by side); use savePng");
    }

    /** A self-contained HTML fragment: a {@code <figure>} with the image inline as base64 PNG and the caption. */
    @Override
    default String toHtml() {
        return Html.figure(toImage(), title(), caption());
    }
}
