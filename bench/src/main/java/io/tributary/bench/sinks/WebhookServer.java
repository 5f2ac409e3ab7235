package io.tributary.bench.sinks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.bench.kafka.TelemetryPayload;
import io.tributary.bench.load.LatencyHistogram;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook run's target, in the driver: the JDK's {@link HttpServer} on a free 127.0.0.1 port, its handlers on a
 * fixed pool of threads, answering every request to {@code /hook} with 204 No Content once it has read the body and
 * recorded which message it was (the route sends the payload as it is). It counts duplicates and measures
 * publish → request received, both in this JVM's {@link System#nanoTime()}.
 */
final class WebhookServer implements SinkTarget, AutoCloseable {

    static final String PATH = "/hook";

    static {
        // One write per response anyway; without this the JDK server leaves Nagle's algorithm on.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final int threads;
    private final int concurrency;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile Receipts receipts = new Receipts(0);
    private volatile RunClock clock;

    private WebhookServer(HttpServer server, ExecutorService executor, int threads, int concurrency) {
        this.server = server;
        this.executor = executor;
        this.threads = threads;
        this.concurrency = concurrency;
    }

    /**
     * Starts the server.
     *
     * @param threads threads that run the handlers
     * @param concurrency the route's {@code concurrency}, for its configuration
     * @param publishers how many publishers' messages to count
     */
    static WebhookServer start(int threads, int concurrency, int publishers) throws IOException {
        AtomicInteger number = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "webhook-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 512);
        WebhookServer webhook = new WebhookServer(server, executor, threads, concurrency);
        webhook.receipts = new Receipts(publishers);
        server.createContext(PATH, webhook::handle);
        server.setExecutor(executor);
        server.start();
        return webhook;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            requests.incrementAndGet();
            TelemetryPayload.Decoded message = TelemetryPayload.decode(body);
            if (message == null) {
                receipts.addMalformed();
            } else if (message.publisher() < 0) {
                probes.incrementAndGet();
            } else {
                receipts.add(message.publisher(), message.sequence());
                RunClock runClock = clock;
                if (runClock != null && runClock.inWindow(message.sentNanos())) {
                    synchronized (latency) {
                        latency.record(now - message.sentNanos());
                    }
                }
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public SinkScenario scenario() {
        return SinkScenario.WEBHOOK;
    }

    @Override
    public String id() {
        return "webhook";
    }

    @Override
    public String column() {
        return "concurrency " + concurrency;
    }

    /** The route of the run: the one in docs/benchmarks.md, with this server's port. */
    @Override
    public String routeConfig() {
        return routeConfig("http://127.0.0.1:" + port() + PATH, concurrency);
    }

    /** The webhook route's configuration; the report shows it with placeholders. */
    static String routeConfig(String url, int concurrency) {
        return """
                routes:
                  - name: telemetry-webhook
                    from: { mqtt: "bench/{publisher}/telemetry" }
                    to: { http: { url: "%s", method: POST, concurrency: %d, timeout: 10s } }
                """.formatted(url, concurrency);
    }

    @Override
    public void prepare() {
        // started fresh for its one run
    }

    @Override
    public void useClock(RunClock runClock) {
        this.clock = runClock;
    }

    /** Requests received so far, probes included. */
    @Override
    public long count() {
        return requests.get();
    }

    @Override
    public Receipts received(int publishers) {
        return receipts;
    }

    @Override
    public LatencySummary arrivalLatency() {
        synchronized (latency) {
            return LatencySummary.of(latency);
        }
    }

    /** None of its own: the server runs in the driver, whose CPU is reported apart. */
    @Override
    public Map<String, Long> processes() {
        return Map.of();
    }

    @Override
    public OptionalLong cpuNanos(String process) {
        return OptionalLong.empty();
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("requests received (each answered 204)", String.format(Locale.ROOT, "%,d", requests.get()));
        facts.put("of them probes (sent before the run, not counted)", Long.toString(probes.get()));
        return facts;
    }

    /** The server's settings, for the report. */
    String describe() {
        return "JDK com.sun.net.httpserver.HttpServer in the driver on 127.0.0.1, " + threads + " handler threads, "
                + "TCP_NODELAY, answers 204 No Content to every request after reading its body";
    }

    @Override
    public void finish() {
        close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
