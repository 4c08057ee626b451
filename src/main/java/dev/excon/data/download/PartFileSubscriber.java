package dev.excon.data.download;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Writes a response body to the end of a {@code .part} file as it arrives, one chunk at a time, and remembers when
 * the last chunk came so a stalled transfer can be {@link #abort aborted}. The body value is the file size at the
 * end.
 */
final class PartFileSubscriber implements HttpResponse.BodySubscriber<Long> {

    private final FileChannel channel;
    private final long bytesTotal;
    private final ProgressListener listener;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile long bytesDone;
    private volatile long lastChunkNanos = System.nanoTime();

    /**
     * @param channel the open {@code .part} file, positioned at its end; closed by this subscriber
     * @param bytesDone bytes already in the file
     * @param bytesTotal the full archive size, or -1 when unknown
     */
    PartFileSubscriber(FileChannel channel, long bytesDone, long bytesTotal, ProgressListener listener) {
        this.channel = channel;
        this.bytesDone = bytesDone;
        this.bytesTotal = bytesTotal;
        this.listener = listener;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> chunk) {
        try {
            for (ByteBuffer b : chunk) {
                while (b.hasRemaining()) {
                    bytesDone += channel.write(b);
                }
            }
            lastChunkNanos = System.nanoTime();
            listener.onProgress(bytesDone, bytesTotal);
        } catch (IOException | RuntimeException e) {
            abort(e);
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        closeChannel();
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        closeChannel();
        result.complete(bytesDone);
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    /** Nanoseconds since the last chunk arrived (or since this subscriber was made). */
    long idleNanos() {
        return System.nanoTime() - lastChunkNanos;
    }

    /** Stops the transfer: cancels the subscription, closes the file and fails the body with {@code cause}. */
    void abort(Throwable cause) {
        if (result.completeExceptionally(cause)) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            closeChannel();
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            // The caller re-reads the file size from disk; a failed close changes nothing it relies on.
        }
    }
}
