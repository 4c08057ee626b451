package dev.excon.notebook.render;

import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.IChart;

/** An XChart chart as a PNG image. Loaded only when XChart is on the class path. */
final class ChartImage {

    private ChartImage() {}

    static BufferedImage image(Object chart) {
        return BitmapEncoder.getBufferedImage((IChart) chart);
    }

    static String text(Object value) {
        IChart chart = (IChart) value;
        String title = chart.getTitle() != null && !chart.getTitle().isBlank() ? " '" + chart.getTitle() + "'" : "";
        return chart.getClass().getSimpleName() + title + " (" + chart.getWidth() + "x" + chart.getHeight() + ")";
    }
}
