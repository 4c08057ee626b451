/**
 * ExCon for Java: explanation-driven supervised contrastive learning (Zhang et al., arXiv 2111.14271) on Deep Java
 * Library.
 *
 * <p>Packages read task first: {@code data} (readers, splits, the batch loader), {@code augment} (the SupCon view
 * pipeline), and the model, saliency, loss, training and evaluation packages built on them. {@link
 * dev.excon.ExconRuntime} holds the process-wide defaults (DJL offline, telemetry off, threads = cores).
 */
package dev.excon;
