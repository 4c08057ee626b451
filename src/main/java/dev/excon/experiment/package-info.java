/**
 * Experiments: a grid of runs (methods x seeds x any configuration key) under one directory, trained and evaluated
 * point by point, resumable, and compared over seeds.
 */
package dev.excon.experiment;
