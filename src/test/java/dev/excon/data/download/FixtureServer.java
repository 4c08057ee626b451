package dev.excon.data.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server for the downloader tests: serves byte arrays by file name, honours {@code Range: bytes=N-}
 * (206, or 416 past the end) unless told to ignore it, can cut the next response short, and records every request's
 * path and {@code Range} header.
 */
final class FixtureServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final AtomicInteger cutNextAfter = new AtomicInteger(-1);
    private final AtomicInteger stallNextAfter = new AtomicInteger(-1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean honourRange = true;
    private volatile int forcedStatus;
    private volatile boolean announceLength = true;

    private FixtureServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on 127.0.0.1 with a free port. */
    static FixtureServer start() throws IOException {
        return new FixtureServer();
    }

    /** {@code http://127.0.0.1:PORT/}. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Serves {@code content} at {@code /<name>}. */
    FixtureServer serve(String name, byte[] content) {
        files.put(name, content.clone());
        return this;
    }

    /** The next response sends only {@code bytes} body bytes, then drops the connection. */
    FixtureServer cutNextResponseAfter(int bytes) {
        cutNextAfter.set(bytes);
        return this;
    }

    /** The next response sends {@code bytes} body bytes, then sends nothing more until the server is closed. */
    FixtureServer stallNextResponseAfter(int bytes) {
        stallNextAfter.set(bytes);
        return this;
    }

    /** Answer every request with the whole file and 200, as servers without range support do. */
    FixtureServer ignoreRange() {
        honourRange = false;
        return this;
    }

    /** Answer every request with {@code status} and no body. */
    FixtureServer failWith(int status) {
        forcedStatus = status;
        return this;
    }

    /** Send bodies chunked, without Content-Length. */
    FixtureServer withoutContentLength() {
        announceLength = false;
        return this;
    }

    /** One line per request: {@code "GET /file range=bytes=N-"} or {@code "... range=none"}. */
    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The Range header of every request, {@code "none"} where there was none. */
    synchronized List<String> rangeHeaders() {
        return requests.stream().map(r -> r.substring(r.indexOf("range=") + 6)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String range = ex.getRequestHeaders().getFirst("Range");
            String path = ex.getRequestURI().getPath();
            synchronized (this) {
                requests.add(ex.getRequestMethod() + " " + path + " range=" + (range == null ? "none" : range));
            }
            if (forcedStatus != 0) {
                ex.sendResponseHeaders(forcedStatus, -1);
                return;
            }
            byte[] content = files.get(path.substring(1));
            if (content == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            int start = 0;
            int status = 200;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (honourRange && m != null && m.matches()) {
                long from = Long.parseLong(m.group(1));
                if (from >= content.length) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                start = (int) from;
                status = 206;
                ex.getResponseHeaders().set("Content-Range",
                        "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
            }
            int length = content.length - start;
            int cut = cutNextAfter.getAndSet(-1);
            int stall = stallNextAfter.getAndSet(-1);
            ex.sendResponseHeaders(status, announceLength ? length : 0);
            OutputStream body = ex.getResponseBody();
            if (stall >= 0) {
                body.write(content, start, Math.min(stall, length));
                body.flush();
                awaitRelease();
                return;
            }
            body.write(content, start, cut >= 0 ? Math.min(cut, length) : length);
            body.flush();
            // With fewer bytes than announced, closing the exchange drops the connection.
        } catch (IOException expectedWhenCut) {
            // "insufficient bytes written to stream": the cut the test asked for.
        }
    }

    private void awaitRelease() {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
