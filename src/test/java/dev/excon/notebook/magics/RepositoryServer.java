package dev.excon.notebook.magics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Maven repository over HTTP on 127.0.0.1, serving a directory: GET and HEAD, 404 for what is not there. Paths under
 * {@code /private/} need HTTP Basic credentials {@code excon:s3cret}. It also answers proxy-style requests ({@code GET
 * http://other.host/path}) by path, so it can stand in for a proxy. Every request is logged.
 */
final class RepositoryServer implements AutoCloseable {

    static final String USER = "excon";
    static final String PASSWORD = "s3cret";

    /** One request: the URI as the client sent it (absolute when it came as to a proxy). */
    record Request(String method, String uri) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Request> log = new ConcurrentLinkedQueue<>();
    private final Path root;

    RepositoryServer(Path root) throws IOException {
        this.root = root;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads); // Maven Resolver downloads in parallel
        server.start();
    }

    /** {@code http://127.0.0.1:port/} */
    String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(log);
    }

    void clearLog() {
        log.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            log.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString()));
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/private/")) {
                String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8));
                if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"excon-test\"");
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                path = path.substring("/private".length());
            }
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
