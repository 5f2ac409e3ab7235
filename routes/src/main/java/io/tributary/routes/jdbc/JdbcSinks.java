package io.tributary.routes.jdbc;

import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.RouteSink;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;

/**
 * Makes the processors that write a route's messages to its SQL table, sharing one connection pool per
 * {@code connections.jdbc} entry; closed with the routes.
 */
public final class JdbcSinks implements AutoCloseable {

    private final ConnectionSettings connections;
    private final Path dataDirectory;
    private final Map<String, String> environment;

    /**
     * @param dataDirectory where embedded H2 databases live
     * @param environment where secrets named by environment variable are read
     */
    public JdbcSinks(ConnectionSettings connections, Path dataDirectory, Map<String, String> environment) {
        this.connections = connections;
        this.dataDirectory = dataDirectory;
        this.environment = Map.copyOf(environment);
    }

    /**
     * The processor that writes each exchange as a row of {@code sink}'s table, in batches; it completes
     * each exchange when its batch committed, and fails it otherwise.
     *
     * @param variables the template variables of an exchange, as the route's source wrote it
     */
    public AsyncProcessor sink(RouteSink.Jdbc sink, Function<Exchange, ? extends Function<String, String>> variables) {
        throw new UnsupportedOperationException("jdbc sinks are not built yet");
    }

    @Override
    public void close() {
    }
}
