/**
 * The notebook layer: the Java Jupyter kernel, the ExCon magics and the renderers for the library's report objects.
 * It is a second source root ({@code magics/java}) of the same build. It may use everything in the library; the
 * library never refers to it or to Jupyter types (a test checks this).
 */
package dev.excon.notebook;
