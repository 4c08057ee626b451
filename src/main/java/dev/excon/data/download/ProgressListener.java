package dev.excon.data.download;

/**
 * Hears how a {@link Downloader#fetch} is going. Both methods may be called from an HTTP client thread; keep them
 * quick and thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = (bytesDone, bytesTotal) -> {};

    /**
     * Called after each chunk of the archive is written.
     *
     * @param bytesDone bytes of the archive on disk so far, including a resumed prefix
     * @param bytesTotal the archive's full size, or {@code -1} when the server does not say
     */
    void onProgress(long bytesDone, long bytesTotal);

    /**
     * Called when a step starts, e.g. {@code "verifying MD5 of data/.downloads/cifar-100-binary.tar.gz"}. Default:
     * ignored.
     */
    default void onStep(String message) {}
}
