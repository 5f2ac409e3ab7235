package io.tributary.routes.http;

import io.tributary.bridge.config.RouteSink;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;

/**
 * Makes the processors that deliver a route's messages to its webhook, sharing one HTTP client; closed
 * with the routes.
 */
public final class WebhookSinks implements AutoCloseable {

    private final Map<String, String> environment;

    /** @param environment where secrets named by environment variable are read */
    public WebhookSinks(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The processor that sends each exchange to {@code sink}; it completes the exchange when a 2xx answer
     * came, and fails it otherwise (so the route's retries and dead letters apply).
     *
     * @param variables the template variables of an exchange, as the route's source wrote it
     */
    public AsyncProcessor sink(RouteSink.Http sink, Function<Exchange, ? extends Function<String, String>> variables) {
        throw new UnsupportedOperationException("webhook sinks are not built yet");
    }

    @Override
    public void close() {
    }
}
