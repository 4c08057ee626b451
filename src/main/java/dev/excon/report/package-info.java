/**
 * Report objects that render themselves, with no notebook types: result tables (Tablesaw), charts (XChart:
 * reliability diagrams, robustness curves, corruption-by-severity heatmaps and the Ovadia et al. 2019 severity
 * summary, t-SNE scatter, per-seed scatter with mean and interval), saliency overlays and grids, and a {@link dev.excon.report.Report} that stacks titled
 * sections into one self-contained HTML page.
 *
 * <p>Every figure is a {@link dev.excon.report.Figure}: {@code toImage()} (a PNG-ready image with the caption drawn as
 * a footer), {@code savePng(Path)}, {@code saveSvg(Path)} where XChart can (it needs the optional VectorGraphics2D jar,
 * which this build does not have: the method then throws {@link java.lang.UnsupportedOperationException} naming it),
 * and {@code toHtml()} (an HTML fragment with the image inline as a base64 PNG). Tables are {@link
 * dev.excon.report.ResultTable}s, rendered to HTML with every string escaped and long tables truncated with a row
 * count. Each object carries a caption, by convention {@link dev.excon.Provenance#caption()}, so every table and
 * chart says what produced it. Offline by design: no script, stylesheet or font is fetched.
 */
package dev.excon.report;
