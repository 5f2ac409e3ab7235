package io.tributary.routes.http;

import com.sun.net.httpserver.Headers;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook target for tests: the JDK's HTTP server on 127.0.0.1 and a free port, answering each request
 * on a thread of its own (so that concurrent requests are concurrent) and recording it. What it answers is
 * scripted per scenario, the first path segment ({@code /retry/...} is scenario {@code retry}); by default
 * 200 with no body.
 */
final class WebhookServer implements AutoCloseable {

    /** A request as the server received it. */
    record Request(String method, String rawPath, String rawQuery, Headers headers, byte[] body, long receivedNanos) {

        String header(String name) {
            return headers.getFirst(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: a status and headers. */
    record Answer(int status, Map<String, String> headers) {
        static Answer status(int status) {
            return new Answer(status, Map.of());
        }
    }

    /** Decides the answer to a scenario's request; {@code index} counts its earlier requests. May block. */
    @FunctionalInterface
    interface Script {
        Answer answer(Request request, int index) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<Request>> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxActive = new ConcurrentHashMap<>();

    private WebhookServer(HttpServer server) {
        this.server = server;
    }

    static WebhookServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        WebhookServer webhook = new WebhookServer(http);
        http.createContext("/", webhook::handle);
        http.setExecutor(webhook.threads);
        http.start();
        return webhook;
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void script(String scenario, Script script) {
        scripts.put(scenario, script);
    }

    /** The scenario's requests so far, in arrival order. */
    List<Request> requests(String scenario) {
        List<Request> list = requests.computeIfAbsent(scenario, s -> new ArrayList<>());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** The most requests of the scenario the server was answering at once. */
    int maxConcurrent(String scenario) {
        return maxActive.computeIfAbsent(scenario, s -> new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String scenario = path.split("/", 3).length > 1 ? path.split("/", 3)[1] : "";
        AtomicInteger now = active.computeIfAbsent(scenario, s -> new AtomicInteger());
        AtomicInteger max = maxActive.computeIfAbsent(scenario, s -> new AtomicInteger());
        max.accumulateAndGet(now.incrementAndGet(), Math::max);
        try (InputStream in = exchange.getRequestBody()) {
            Request request = new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), in.readAllBytes(), System.nanoTime());
            List<Request> list = requests.computeIfAbsent(scenario, s -> new ArrayList<>());
            int index;
            synchronized (list) {
                index = list.size();
                list.add(request);
            }
            Answer answer;
            try {
                answer = scripts.getOrDefault(scenario, (r, i) -> Answer.status(200)).answer(request, index);
            } catch (Exception e) {
                answer = Answer.status(599);
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            now.decrementAndGet();
            exchange.sendResponseHeaders(answer.status(), -1);
        } catch (IOException e) {
            now.decrementAndGet();
            throw e;
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

    /** Sends nothing back for a while; for scripts. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
