/**
 * Checking data sets against their publishers' checksums before they are used
 * ({@link dev.excon.data.verify.DataVerifier}).
 *
 * <p>What "checked against the published checksum" means for each data set:
 * <ul>
 *   <li>Fashion-MNIST: Zalando publishes the MD5 of each of the four {@code .gz} files, and each file is checked
 *       against it. Debian's {@code dataset-fashion-mnist} ships the same compressed data under a rewritten gzip
 *       header (file name dropped, time stamp changed by its reproducible-build tooling): such a file is checked by
 *       putting the published header back and comparing the MD5 with the published one, so every byte of the
 *       compressed data, the CRC-32 and the length are covered. An uncompressed IDX file is checked against the
 *       SHA-256 of the published file's content, derived here from copies that matched the published MD5s.
 *   <li>CIFAR-10, CIFAR-100, Tiny ImageNet, CIFAR-100-C: the publishers give a checksum for the archive only. The
 *       downloader checks it, then records the SHA-256 of every unpacked file in a manifest
 *       ({@link dev.excon.data.download.Manifest}); the files are checked against that manifest. A directory unpacked
 *       by hand has no manifest: when its archive is in {@code <data root>/.downloads/} and matches the published
 *       checksum, the files are compared with the archive's entries (and a manifest is written); otherwise it is
 *       reported as not verifiable, with how to verify it, and never claimed verified.
 * </ul>
 *
 * <p>A result is cached next to the data ({@code .excon-verified}) or, where that directory is not writable or is a
 * system directory under {@code /usr}, in the per-user cache ({@code EXCON_CACHE}, else {@code
 * $XDG_CACHE_HOME/excon}, else {@code ~/.cache/excon}); a file is hashed again when its size or modification time
 * changes.
 */
package dev.excon.data.verify;
