package dev.excon.report;

/** Anything a {@link Report} can hold: it renders itself as a self-contained HTML fragment. */
public interface ReportItem {

    /** A self-contained HTML fragment (no scripts, no external resources; all text escaped). */
    String toHtml();
}
