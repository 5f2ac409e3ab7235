package io.tributary.testsupport.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook target for tests and benchmarks: the JDK's HTTP server on 127.0.0.1 and a free port, each request
 * answered on a thread of its own (so concurrent requests are concurrent) and recorded. What it answers is
 * scripted per path prefix ({@code /retry} covers {@code /retry} and {@code /retry/a/b}); by default 200, no body.
 */
public final class WebhookServer implements AutoCloseable {

    /** A request as the server received it. */
    public record Request(String method, String path, String query, Headers headers, byte[] body, long receivedNanos) {

        /** The first value of a header, or null. */
        public String header(String name) {
            return headers.getFirst(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: a status and headers. */
    public record Answer(int status, Map<String, String> headers) {
        /** An answer with no headers. */
        public static Answer status(int status) {
            return new Answer(status, Map.of());
        }
    }

    /** A request and the status it was answered with, when. */
    public record Answered(Request request, int status, long answeredNanos) {
    }

    /** Decides the answer to a request; {@code index} counts the earlier requests under the same prefix. May block. */
    @FunctionalInterface
    public interface Script {
        Answer answer(Request request, int index) throws Exception;
    }

    private static final Script OK = (request, index) -> Answer.status(200);

    private final HttpServer server;
    private final ExecutorService threads;
    private final boolean recording;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<Answered> answered = new ArrayList<>();

    private WebhookServer(Builder builder) throws IOException {
        this.recording = builder.recording;
        AtomicInteger number = new AtomicInteger();
        this.threads = builder.threads > 0
                ? Executors.newFixedThreadPool(builder.threads, r -> {
                    Thread thread = new Thread(r, "webhook-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                })
                : Executors.newCachedThreadPool();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), builder.backlog);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Starts a recording server with a thread per concurrent request. */
    public static WebhookServer start() {
        return builder().start();
    }

    /** A builder for a server with other threads, backlog or no recording. */
    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Answers the requests under {@code pathPrefix} with {@code script}; the longest matching prefix wins. */
    public void script(String pathPrefix, Script script) {
        scripts.put(pathPrefix, script);
    }

    /** The requests under {@code pathPrefix} so far, answered or not, in arrival order. */
    public List<Request> requests(String pathPrefix) {
        synchronized (requests) {
            return requests.stream().filter(r -> under(r.path(), pathPrefix)).toList();
        }
    }

    /** The answered requests under {@code pathPrefix}, in the order they were answered. */
    public List<Answered> answered(String pathPrefix) {
        synchronized (answered) {
            return answered.stream().filter(a -> under(a.request().path(), pathPrefix)).toList();
        }
    }

    /** The most requests under {@code pathPrefix} that the server was answering at once. */
    public int maxConcurrent(String pathPrefix) {
        // Each answered request was open from its arrival until its answer; an end sorts before a start at the
        // same instant, as the first had answered before the second arrived.
        List<long[]> events = new ArrayList<>();
        for (Answered a : answered(pathPrefix)) {
            events.add(new long[] {a.request().receivedNanos(), 1});
            events.add(new long[] {a.answeredNanos(), -1});
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int open = 0;
        int max = 0;
        for (long[] event : events) {
            open += (int) event[1];
            max = Math.max(max, open);
        }
        return max;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    private String scriptKey(String path) {
        String best = "";
        for (String prefix : scripts.keySet()) {
            if (under(path, prefix) && prefix.length() > best.length()) {
                best = prefix;
            }
        }
        return best;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            long received = System.nanoTime();
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), in.readAllBytes(), received);
            if (recording) {
                synchronized (requests) {
                    requests.add(request);
                }
            }
            String key = scriptKey(request.path());
            int index = counts.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
            Answer answer;
            try {
                answer = scripts.getOrDefault(key, OK).answer(request, index);
            } catch (Exception | AssertionError e) {
                // 599: no real server sends it, so a test sees its own script failed (AssertionError: Await.sleep).
                answer = Answer.status(599);
            }
            if (recording) {
                synchronized (answered) {
                    answered.add(new Answered(request, answer.status(), System.nanoTime()));
                }
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

    /** The options of a {@link WebhookServer}. */
    public static final class Builder {
        private int threads;
        private int backlog = 200;
        private boolean recording = true;

        private Builder() {
        }

        /** A fixed pool of this many daemon handler threads, instead of a thread per concurrent request. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** The listen backlog; 200 by default. */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /** Whether to keep every request for {@link #requests}; off for a load run, where scripts count instead. */
        public Builder recording(boolean recording) {
            this.recording = recording;
            return this;
        }

        public WebhookServer start() {
            try {
                return new WebhookServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the webhook server", e);
            }
        }
    }
}
