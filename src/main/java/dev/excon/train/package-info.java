/**
 * Training: the immutable run configuration with its presets, SGD with momentum and weight decay in PyTorch's form
 * (whose state is checkpointed), the reference's learning-rate schedule, the encoder steps of every method (CE,
 * SupCon, SimCLR, ExCon, ExConB), the joint encoder/classifier trainer with atomic checkpoints, exact resume and
 * progress events.
 */
package dev.excon.train;
