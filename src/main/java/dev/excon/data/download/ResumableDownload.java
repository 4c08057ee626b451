package dev.excon.data.download;

import dev.excon.data.DatasetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a {@code .part} file up to the whole file at a URL, resuming with {@code Range: bytes=N-} when the part
 * already holds N bytes.
 *
 * <p>Server answers: 206 appends (when its range starts at N); 200 means the server ignored the range, so the part
 * is rewritten from byte 0; 416 means nothing is left to send, so the part is complete when its size equals the
 * total in {@code Content-Range: bytes *}{@code /total}, and is otherwise started over. A transfer that ends early
 * (connection dropped, fewer bytes than announced, or no data for the read timeout) keeps the part and throws.
 */
final class ResumableDownload {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");
    private static final int MAX_RESTARTS = 2;

    private final HttpClient client;
    private final Duration responseTimeout;
    private final Duration readTimeout;
    private final ProgressListener listener;

    ResumableDownload(HttpClient client, Duration responseTimeout, Duration readTimeout, ProgressListener listener) {
        this.client = client;
        this.responseTimeout = responseTimeout;
        this.readTimeout = readTimeout;
        this.listener = listener;
    }

    /**
     * Downloads {@code url} into {@code part}, resuming what is there.
     *
     * @param manualRoute a sentence telling the user how to get the file without this downloader
     * @throws DatasetException on HTTP errors, no connection, or a transfer that ended early (part kept)
     */
    void run(URI url, Path part, String manualRoute) {
        for (int restarts = 0; ; restarts++) {
            if (request(url, part, manualRoute)) {
                return;
            }
            if (restarts == MAX_RESTARTS) {
                throw new DatasetException("Download of " + url + " failed: the server answered the range request"
                        + " for " + part + " inconsistently " + (restarts + 1) + " times in a row. Delete " + part
                        + " and run again. " + manualRoute);
            }
            listener.onStep("the server cannot continue " + part.getFileName() + "; starting over");
            deletePart(part);
        }
    }

    /** One request. Returns true when the part is complete, false when it must be started over. */
    private boolean request(URI url, Path part, String manualRoute) {
        long have = sizeOf(part);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(responseTimeout).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
            listener.onStep("resuming " + url + " at byte " + have);
        } else {
            listener.onStep("downloading " + url);
        }
        Response response = new Response(part, have);
        CompletableFuture<HttpResponse<Long>> future = client.sendAsync(request.build(), response::subscriber);
        try {
            awaitWithReadTimeout(future, response);
        } catch (ExecutionException | CompletionException e) {
            throw failure(url, part, response, e.getCause() == null ? e : e.getCause(), manualRoute);
        } catch (InterruptedException e) {
            future.cancel(true);
            PartFileSubscriber s = response.body;
            if (s != null) {
                s.abort(e);
            }
            Thread.currentThread().interrupt();
            throw new DatasetException("Download of " + url + " was interrupted after " + sizeOf(part)
                    + " bytes; the partial file is kept at " + part + ", run the same call again to resume.", e);
        }
        int status = response.status;
        if (response.body != null) {
            long size = sizeOf(part);
            if (response.total >= 0 && size < response.total) {
                throw truncated(url, part, size, response.total, "the server closed the response early");
            }
            return true;
        }
        if (status == 206 || status == 416) {
            return response.partComplete;
        }
        if (status >= 400) {
            throw new DatasetException("Download of " + url + " failed: HTTP " + status + httpHint(status) + ". "
                    + manualRoute);
        }
        throw new DatasetException("Download of " + url + " failed: unexpected HTTP " + status
                + " (expected 200 or 206). " + manualRoute);
    }

    private void awaitWithReadTimeout(CompletableFuture<HttpResponse<Long>> future, Response response)
            throws ExecutionException, InterruptedException {
        long pollMillis = Math.max(10, Math.min(1000, readTimeout.toMillis() / 4));
        while (true) {
            try {
                future.get(pollMillis, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                PartFileSubscriber s = response.body;
                if (s != null && s.idleNanos() > readTimeout.toNanos()) {
                    s.abort(new HttpTimeoutException("no data for " + format(readTimeout)));
                }
            }
        }
    }

    private DatasetException failure(URI url, Path part, Response response, Throwable cause, String manualRoute) {
        if (response.body != null) {
            return truncated(url, part, sizeOf(part), response.total, describe(cause));
        }
        if (cause instanceof UncheckedIOException local) {
            return new DatasetException("Cannot write the download to " + part + ": " + describe(local.getCause())
                    + ". Check that the data root is writable and has free space.", local.getCause());
        }
        if (isNoConnection(cause)) {
            return new DatasetException("Cannot connect to " + url.getHost() + " (" + describe(cause)
                    + "): this machine seems to be offline, or the host is unreachable from here. " + manualRoute,
                    cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new DatasetException("No answer from " + url.getHost() + " within " + format(responseTimeout)
                    + " for " + url + ". Try again later, or raise the response timeout. " + manualRoute, cause);
        }
        return new DatasetException("Download of " + url + " failed: " + describe(cause) + ". " + manualRoute,
                cause);
    }

    private static DatasetException truncated(URI url, Path part, long got, long total, String why) {
        String of = total >= 0 ? got + " of " + total + " bytes" : got + " bytes (total size not announced)";
        return new DatasetException("Download of " + url + " stopped after " + of + " (" + why
                + "). The partial file is kept at " + part + "; run the same call again to resume from byte " + got
                + ".");
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static boolean isNoConnection(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof UnresolvedAddressException || c instanceof NoRouteToHostException
                    || c instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String httpHint(int status) {
        if (status == 404 || status == 410) {
            return " (the file is not at this address any more)";
        }
        if (status == 401 || status == 403) {
            return " (the server refuses access)";
        }
        if (status == 429 || status >= 500) {
            return " (the server is busy or failing; trying again later may work)";
        }
        return "";
    }

    /** {@code "Type: message"}, following causes while the message is empty (HttpClient often leaves it so). */
    static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getSimpleName());
        Throwable c = t;
        while ((c.getMessage() == null || c.getMessage().isBlank()) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
            s.append(" caused by ").append(c.getClass().getSimpleName());
        }
        if (c.getMessage() != null && !c.getMessage().isBlank()) {
            s.append(": ").append(c.getMessage());
        }
        return s.toString();
    }

    private static long sizeOf(Path part) {
        try {
            return Files.isRegularFile(part) ? Files.size(part) : 0;
        } catch (IOException e) {
            throw new DatasetException("Cannot read the size of " + part + ": " + describe(e), e);
        }
    }

    private static void deletePart(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            throw new DatasetException("Cannot delete " + part + " to start the download over: " + describe(e)
                    + ". Delete it by hand and run again.", e);
        }
    }

    /** What one response turned out to be; written on the HTTP client's thread before the future completes. */
    private final class Response {
        private final Path part;
        private final long have;
        volatile int status;
        volatile long total = -1;
        volatile boolean partComplete;
        volatile PartFileSubscriber body;

        Response(Path part, long have) {
            this.part = part;
            this.have = have;
        }

        HttpResponse.BodySubscriber<Long> subscriber(HttpResponse.ResponseInfo info) {
            status = info.statusCode();
            if (status == 200) {
                total = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (have > 0) {
                    listener.onStep("the server ignored the range request; downloading from byte 0");
                }
                return open(0, StandardOpenOption.TRUNCATE_EXISTING);
            }
            if (status == 206) {
                Optional<String> range = info.headers().firstValue("Content-Range");
                Matcher m = CONTENT_RANGE.matcher(range.orElse(""));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    return HttpResponse.BodySubscribers.replacing(-1L);
                }
                total = m.group(3).equals("*")
                        ? info.headers().firstValueAsLong("Content-Length").stream().map(n -> n + have).findFirst()
                                .orElse(-1L)
                        : Long.parseLong(m.group(3));
                return open(have, StandardOpenOption.APPEND);
            }
            if (status == 416) {
                OptionalLong announced = info.headers().firstValue("Content-Range")
                        .map(UNSATISFIED_RANGE::matcher)
                        .filter(Matcher::matches)
                        .map(m -> OptionalLong.of(Long.parseLong(m.group(1))))
                        .orElse(OptionalLong.empty());
                partComplete = announced.isPresent() && announced.getAsLong() == have && have > 0;
                if (partComplete) {
                    total = have;
                    listener.onProgress(have, have);
                }
            }
            return HttpResponse.BodySubscribers.replacing(-1L);
        }

        private PartFileSubscriber open(long from, StandardOpenOption mode) {
            try {
                FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        mode);
                PartFileSubscriber s = new PartFileSubscriber(channel, from, total, listener);
                body = s;
                listener.onProgress(from, total);
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
