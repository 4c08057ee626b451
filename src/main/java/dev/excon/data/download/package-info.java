/**
 * Fetching the public data sets ExCon uses: a catalogue of archives with their published checksums
 * ({@link dev.excon.data.download.DatasetSource}), a resumable, checksum-verified, all-or-nothing
 * {@link dev.excon.data.download.Downloader}, and a dependency-free command line
 * ({@link dev.excon.data.download.DownloadMain}).
 *
 * <p>Layout under the data root ({@link dev.excon.data.DataPaths#dataRoot()}, default {@code data/}):
 * <pre>
 * data/.downloads/cifar-100-binary.tar.gz.part   while downloading (kept after an interrupted transfer, to resume)
 * data/.downloads/cifar-100-binary.tar.gz        the verified archive (or one the user put there by hand)
 * data/.unpack-cifar-100-binary-123/             unpacking; removed on success and on any failure
 * data/cifar-100-binary/                         appears in one atomic rename, only when complete
 * data/cifar-100-binary/.excon-manifest.sha256   the SHA-256 of every unpacked file ({@link Manifest})
 * </pre>
 * The readers in {@code dev.excon.data} never see a half-written data set: a directory under the data root is either
 * complete or was not made by this package.
 */
package dev.excon.data.download;
