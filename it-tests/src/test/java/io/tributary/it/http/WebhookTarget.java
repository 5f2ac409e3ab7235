package io.tributary.it.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook for the tests: the JDK's HTTP server on 127.0.0.1 and a free port, answering each request on a
 * thread of its own and recording it with the status it got. What it answers is scripted per path; by default
 * 200.
 */
final class WebhookTarget implements AutoCloseable {

    /** A request as received, and the status it was answered with. */
    record Request(String method, String path, String contentType, String body, long receivedNanos, int status) {
    }

    /** An answer: a status and headers. */
    record Answer(int status, Map<String, String> headers) {
        static Answer status(int status) {
            return new Answer(status, Map.of());
        }
    }

    /** Decides the answer to a request of a path: {@code index} counts the path's earlier requests. May block. */
    @FunctionalInterface
    interface Script {
        Answer answer(String body, int index) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<Request>> requests = new ConcurrentHashMap<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    private WebhookTarget(HttpServer server) {
        this.server = server;
    }

    static WebhookTarget start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        WebhookTarget target = new WebhookTarget(http);
        http.createContext("/", target::handle);
        http.setExecutor(target.threads);
        http.start();
        return target;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void script(String path, Script script) {
        scripts.put(path, script);
    }

    /** The path's requests so far, answered ones, in the order they were answered. */
    List<Request> requests(String path) {
        List<Request> list = requests.computeIfAbsent(path, p -> new ArrayList<>());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** How many requests of the path arrived, answered or not yet. */
    int arrived(String path) {
        return counts.getOrDefault(path, 0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            long received = System.nanoTime();
            int index = counts.merge(path, 1, Integer::sum) - 1;
            Answer answer;
            try {
                answer = scripts.getOrDefault(path, (b, i) -> Answer.status(200)).answer(body, index);
            } catch (Exception e) {
                answer = Answer.status(599);
            }
            List<Request> list = requests.computeIfAbsent(path, p -> new ArrayList<>());
            synchronized (list) {
                list.add(new Request(exchange.getRequestMethod(), path,
                        exchange.getRequestHeaders().getFirst("Content-Type"), body, received, answer.status()));
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
