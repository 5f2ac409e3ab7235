package io.tributary.bench.sinks;

import io.tributary.bench.kafka.TelemetryPayload;
import io.tributary.bench.load.LatencyHistogram;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import io.tributary.testsupport.http.WebhookServer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook run's target: a route posting every message to test-support's {@link WebhookServer} in the driver
 * (a fixed pool of handler threads, nothing recorded), which answers every request to {@link #PATH} with 204 No
 * Content once it has read the body. This class counts which message each request carried (the route sends the
 * payload as it is), the duplicates, and publish → request received, both in this JVM's {@link System#nanoTime()}.
 */
final class WebhookTarget implements SinkTarget {

    static final String PATH = "/hook";

    static {
        // One write per response anyway; without this the JDK server leaves Nagle's algorithm on.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final WebhookServer server;
    private final int threads;
    private final int concurrency;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Receipts receipts;
    private volatile RunClock clock;

    private WebhookTarget(int threads, int publishers, int concurrency) {
        this.threads = threads;
        this.concurrency = concurrency;
        this.receipts = new Receipts(publishers);
        this.server = WebhookServer.builder().threads(threads).backlog(512).recording(false).start();
        server.script(PATH, (request, index) -> {
            count(request.body(), System.nanoTime()); // once the body is read, as the latency has always been taken
            return WebhookServer.Answer.status(204);
        });
    }

    /**
     * Starts the server.
     *
     * @param threads threads that run the handlers
     * @param publishers how many publishers' messages to count
     * @param concurrency the route's {@code concurrency}
     */
    static WebhookTarget start(int threads, int publishers, int concurrency) {
        return new WebhookTarget(threads, publishers, concurrency);
    }

    private void count(byte[] body, long now) {
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
    }

    int port() {
        return server.port();
    }

    /** The URL the route posts to. */
    String url() {
        return server.url(PATH);
    }

    /** The server's settings, for the report. */
    String describe() {
        return "JDK com.sun.net.httpserver.HttpServer in the driver on 127.0.0.1, " + threads + " handler threads, "
                + "TCP_NODELAY, answers 204 No Content to every request after reading its body";
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

    /** The route of the run: the one in docs/benchmarks.md, with the server's port. */
    @Override
    public String routeConfig() {
        return routeConfig(url(), concurrency);
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
        // the server is started fresh for its one run
    }

    /** From now on, the latency of the messages sent within this clock's window is measured. */
    @Override
    public void useClock(RunClock runClock) {
        this.clock = runClock;
    }

    /** Requests received so far, probes included. */
    @Override
    public long count() {
        return requests.get();
    }

    /** The driver's messages received, by publisher and sequence. */
    @Override
    public Receipts received(int publishers) {
        return receipts;
    }

    /** Publish → request received, for the messages sent within the clock's window. */
    @Override
    public LatencySummary arrivalLatency() {
        synchronized (latency) {
            return LatencySummary.of(latency);
        }
    }

    @Override
    public OptionalLong cpuNanos() {
        return OptionalLong.empty();
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("requests received (each answered 204)", String.format(Locale.ROOT, "%,d", requests.get()));
        facts.put("of them probes (sent before the run, not counted)", Long.toString(probes.get()));
        return facts;
    }

    @Override
    public void finish() {
        server.close();
    }
}
