package io.tributary.bench.sinkservers;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook the route benchmark's route posts to, in the driver: the JDK's {@link HttpServer} on a free 127.0.0.1
 * port, its handlers on a fixed pool of threads, answering every request to {@link #PATH} with 204 No Content once it
 * has read the body and recorded which message it was (the route sends the payload as it is). It counts duplicates and
 * measures publish → request received, both in this JVM's {@link System#nanoTime()}.
 */
public final class WebhookServer implements AutoCloseable {

    public static final String PATH = "/hook";

    static {
        // One write per response anyway; without this the JDK server leaves Nagle's algorithm on.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final int threads;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Receipts receipts;
    private volatile RunClock clock;

    private WebhookServer(HttpServer server, ExecutorService executor, int threads, int publishers) {
        this.server = server;
        this.executor = executor;
        this.threads = threads;
        this.receipts = new Receipts(publishers);
    }

    /**
     * Starts the server.
     *
     * @param threads threads that run the handlers
     * @param publishers how many publishers' messages to count
     */
    public static WebhookServer start(int threads, int publishers) throws IOException {
        AtomicInteger number = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "webhook-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 512);
        WebhookServer webhook = new WebhookServer(server, executor, threads, publishers);
        server.createContext(PATH, webhook::handle);
        server.setExecutor(executor);
        server.start();
        return webhook;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL the route posts to. */
    public String url() {
        return "http://127.0.0.1:" + port() + PATH;
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

    /** From now on, the latency of the messages sent within this clock's window is measured. */
    public void useClock(RunClock runClock) {
        this.clock = runClock;
    }

    /** Requests received so far, probes included. */
    public long requests() {
        return requests.get();
    }

    /** Requests that carried a probe message (publisher -1). */
    public long probes() {
        return probes.get();
    }

    /** The driver's messages received, by publisher and sequence. */
    public Receipts receipts() {
        return receipts;
    }

    /** Publish → request received, for the messages sent within the clock's window. */
    public LatencySummary latency() {
        synchronized (latency) {
            return LatencySummary.of(latency);
        }
    }

    /** The server's settings, for the report. */
    public String describe() {
        return "JDK com.sun.net.httpserver.HttpServer in the driver on 127.0.0.1, " + threads + " handler threads, "
                + "TCP_NODELAY, answers 204 No Content to every request after reading its body";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
