package dev.excon.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A figure made of one or more XChart charts side by side. The charts are built fresh for every rendering from the
 * figure's data, so a figure is immutable and can be rendered from several threads.
 */
abstract class ChartFigure implements Figure {

    /** The class XChart's SVG encoder needs (optional dependency {@code de.erichseifert.vectorgraphics2d}). */
    static final String VECTOR_GRAPHICS_CLASS = "de.erichseifert.vectorgraphics2d.VectorGraphics2D";

    private final String title;
    private final String caption;

    ChartFigure(String title, String caption) {
        this.title = title == null ? "" : title;
        this.caption = caption == null ? "" : caption;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final String caption() {
        return caption;
    }

    /** The charts, left to right. */
    abstract List<? extends Chart<?, ?>> charts();

    @Override
    public BufferedImage toImage() {
        List<BufferedImage> parts = new ArrayList<>();
        for (Chart<?, ?> c : charts()) {
            parts.add(BitmapEncoder.getBufferedImage(c));
        }
        BufferedImage body = Images.hstack(parts);
        return Images.withFooter(parts.size() > 1 ? Images.withTitle(body, title) : body, caption);
    }

    @Override
    public boolean supportsSvg() {
        return charts().size() == 1 && vectorGraphicsAvailable();
    }

    @Override
    public void saveSvg(Path file) {
        List<? extends Chart<?, ?>> charts = charts();
        if (charts.size() != 1) {
            throw new UnsupportedOperationException("'" + title + "' has " + charts.size()
                    + " charts side by side; XChart writes one chart per SVG: use savePng");
        }
        if (!vectorGraphicsAvailable()) {
            throw new UnsupportedOperationException("XChart writes SVG through the optional library"
                    + " de.erichseifert.vectorgraphics2d:VectorGraphics2D, which is not on the classpath: add it"
                    + " to pom.xml for SVG, or use savePng");
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            VectorGraphicsEncoder.saveVectorGraphic(charts.get(0), file.toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static boolean vectorGraphicsAvailable() {
        try {
            Class.forName(VECTOR_GRAPHICS_CLASS, false, ChartFigure.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The house style applied to every chart: white, no chart border, readable fonts. */
    static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setPlotBackgroundColor(java.awt.Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(new java.awt.Color(160, 160, 160));
        s.setPlotGridLinesColor(new java.awt.Color(225, 225, 225));
        s.setChartTitleFont(Images.TITLE_FONT);
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(new java.awt.Color(200, 200, 200));
        s.setLegendFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        s.setAxisTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        s.setChartPadding(8);
        s.setAntiAlias(true);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + title + (caption.isEmpty() ? "" : "; " + caption) + "]";
    }
}
