/**
 * Experiments over several seeds: a grid of runs (methods x seeds x any configuration key) under one directory,
 * trained and evaluated point by point and resumable ({@link dev.excon.experiment.Experiment}), and the comparison of
 * methods that it produces.
 *
 * <p>Every comparison in the paper rests on one training seed. Here a method is run with several seeds, each run is
 * evaluated ({@link dev.excon.eval.ProtocolResult#headline()} gives its measures), and {@link
 * dev.excon.experiment.Comparison} turns the {@code method -> seed -> measure -> value} map into per-method summaries
 * (mean, sample standard deviation, 95% t interval: {@link dev.excon.experiment.SeedSummary}), paired comparisons
 * over the seeds two methods share (paired t-test and Wilcoxon signed-rank test: {@link
 * dev.excon.experiment.PairedComparison}) and the paper's four claims with a verdict ({@link
 * dev.excon.experiment.Claim}). {@link dev.excon.experiment.ComparisonReport} renders them with the {@code report}
 * package. The tests and distributions come from Apache Commons Statistics; nothing here re-implements them.
 *
 * <p>Layering: this package sits above {@code train}, {@code eval} and {@code report} (it uses their types); {@code
 * report} does not know it, so the runner can depend on both without a cycle.
 */
package dev.excon.experiment;
