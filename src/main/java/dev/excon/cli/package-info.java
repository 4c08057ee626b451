/**
 * The headless command line, {@code excon}, for long runs on a GPU server: {@code train} (with resume and a terminal
 * progress bar), {@code evaluate} (the paper's protocol on a run's best checkpoint, saved as {@code evaluation.json}
 * and {@code report.html}), {@code report} (HTML from saved evaluations) and {@code data verify} (the data sets
 * against their published checksums). Launched by {@code bin/excon}.
 */
package dev.excon.cli;
