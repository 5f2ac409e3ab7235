package io.tributary.bench.sinks;

import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import io.tributary.bench.sinkservers.WebhookServer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/** The webhook run's target: a route posting every message to the driver's {@link WebhookServer}. */
final class WebhookTarget implements SinkTarget {

    private final WebhookServer server;
    private final int concurrency;

    /** @param concurrency the route's {@code concurrency} */
    WebhookTarget(WebhookServer server, int concurrency) {
        this.server = server;
        this.concurrency = concurrency;
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
        return routeConfig(server.url(), concurrency);
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

    @Override
    public void useClock(RunClock runClock) {
        server.useClock(runClock);
    }

    /** Requests received so far, probes included. */
    @Override
    public long count() {
        return server.requests();
    }

    @Override
    public Receipts received(int publishers) {
        return server.receipts();
    }

    @Override
    public LatencySummary arrivalLatency() {
        return server.latency();
    }

    @Override
    public OptionalLong cpuNanos() {
        return OptionalLong.empty();
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("requests received (each answered 204)", String.format(Locale.ROOT, "%,d", server.requests()));
        facts.put("of them probes (sent before the run, not counted)", Long.toString(server.probes()));
        return facts;
    }

    @Override
    public void finish() {
        server.close();
    }
}
