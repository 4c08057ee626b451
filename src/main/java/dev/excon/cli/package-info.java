/**
 * The headless command line, {@code excon}, for long runs on a GPU server: {@code train} (with resume and a terminal
 * progress bar), and later {@code evaluate} and {@code report}. Launched by {@code bin/excon}.
 */
package dev.excon.cli;
