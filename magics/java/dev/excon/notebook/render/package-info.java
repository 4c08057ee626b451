/**
 * Renderers: Tablesaw tables as escaped, truncated HTML tables; XChart charts and images as PNG; and the report
 * contract (a public {@code toHtml()} or {@code toImage()}) for {@code dev.excon.report} objects and any other class.
 */
package dev.excon.notebook.render;
