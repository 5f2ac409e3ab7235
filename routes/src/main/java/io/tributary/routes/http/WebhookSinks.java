package io.tributary.routes.http;

import io.tributary.bridge.config.RouteSink;
import io.tributary.routes.spi.PartStartException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;

/**
 * Makes the processors that deliver a route's messages to its webhook, sharing one HTTP client; closed
 * with the routes.
 *
 * <p>Why the JDK's {@link HttpClient} and not camel-http: camel-http's producer is synchronous, it holds the
 * calling thread until the answer came. A route from the broker runs on one thread (which keeps each
 * publisher's order), so one slow webhook would stall every message of the route, and a route could never
 * have more than one request in flight. {@link HttpClient#sendAsync} holds no thread while it waits: the
 * route's thread only builds the request, and the exchange completes on this class's executor when the
 * answer came.
 *
 * <p>The client speaks HTTP/1.1, follows no redirects (a 3xx fails the delivery), and connects within the
 * sink's timeout; sinks with different timeouts get a client each. Credentials are read once, when a sink is
 * built, and exist only inside the requests: never in an exchange header, a log line or an exception.
 */
public final class WebhookSinks implements AutoCloseable {

    /** Requests a route may have waiting for a free slot before new ones fail (and are retried). */
    static final int MAX_WAITING = 10_000;

    private final Map<String, String> environment;
    private final ExecutorService executor;
    private final Executor completions;
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    /** @param environment where secrets named by environment variable are read */
    public WebhookSinks(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        AtomicInteger threads = new AtomicInteger();
        // Threads that finish answered exchanges and start waiting requests; none waits for I/O, so few run at once.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "tributary-webhook-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.executor = pool;
        // An answer that comes while the sinks close must still finish its exchange: then on the answering thread.
        this.completions = task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    /**
     * The processor that sends each exchange to {@code sink}; it completes the exchange when a 2xx answer
     * came, and fails it otherwise (so the route's retries and dead letters apply). A 400, 401, 403, 404, 405,
     * 410, 413, 414, 415 or 422 answer fails it with a {@link PermanentDeliveryException}, which the route
     * does not retry.
     *
     * @param variables the template variables of an exchange, as the route's source wrote it
     * @throws PartStartException if the sink's credentials cannot be read (naming the variable or file)
     *     or its URL template, method or header names are not valid
     */
    public AsyncProcessor sink(RouteSink.Http sink, Function<Exchange, ? extends Function<String, String>> variables) {
        Optional<Authorization> authorization = sink.auth().map(auth -> Authorization.read(auth, environment));
        WebhookRequests requests;
        try {
            requests = WebhookRequests.of(sink, authorization, variables);
        } catch (IllegalArgumentException e) {
            throw new PartStartException(e.getMessage(), null);
        }
        ConcurrencyGate gate = new ConcurrencyGate(sink.concurrency(), MAX_WAITING, executor);
        return new WebhookProcessor(requests, client(sink.timeout()), gate, completions, sink.timeout());
    }

    private HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, timeout -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(executor)
                .build());
    }

    /**
     * Lets go of the clients (Java 17's client has no close: its connections and selector thread end once it
     * is unreferenced) and stops the executor's idle threads. Called after the routes stopped, when no request
     * is in flight any more.
     */
    @Override
    public void close() {
        clients.clear();
        executor.shutdown();
    }
}
