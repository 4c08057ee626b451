/**
 * Embeddings of backbone features for inspection: exact t-SNE (van der Maaten and Hinton 2008) written here on plain
 * double arrays, seeded and deterministic, and the choice of a class subset to embed. Results are data ({@link
 * dev.excon.eval.embedding.TsneResult}: 2-D coordinates, labels, class names, parameters); the scatter chart is
 * {@code dev.excon.report.TsneScatter}. No GPL code is used.
 */
package dev.excon.eval.embedding;
