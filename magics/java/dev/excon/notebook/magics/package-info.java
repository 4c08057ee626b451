/**
 * The ExCon JJava extension: {@code %excon env|seed|device}, {@code %classpath}, {@code %jars}, {@code %maven} (on
 * Apache Maven Resolver, with ~/.m2/settings.xml), and the registration of the renderers. Works in the ExCon kernel
 * and in a stock JJava kernel.
 */
package dev.excon.notebook.magics;
