/**
 * The ExCon Jupyter kernel: JJava's protocol layer with an in-process JShell evaluator that keeps result objects,
 * runs cells on an interruptible thread, and reports errors by cell line. Started by the kernelspec {@code excon}.
 */
package dev.excon.notebook.kernel;
