package io.tributary.routes.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.JdbcConnectionSettings;
import io.tributary.bridge.config.RouteSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the processors that write a route's messages to its SQL table, sharing one connection pool per
 * {@code connections.jdbc} entry; closed with the routes.
 *
 * <p>Each sink has a writer thread and a queue of its own (see {@link BatchWriter}). The queue holds
 * {@value #MIN_QUEUE_CAPACITY} rows, or ten batches when that is more: a route's source has at most 1000
 * exchanges in flight (the {@code tributary:} consumer's {@code maxInFlight}, past which the broker stops
 * reading from publishers; a Kafka source one record at a time), and each is at most one row here, so the bound
 * is never reached in normal operation. Should it be, the row is refused at once and the route retries the
 * message: no caller ever blocks on a sink.
 */
public final class JdbcSinks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinks.class);
    static final int MIN_QUEUE_CAPACITY = 10_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ConnectionSettings connections;
    private final Path dataDirectory;
    private final Map<String, String> environment;
    private final MeterRegistry meters;
    private final Map<String, HikariDataSource> pools = new LinkedHashMap<>();
    private final List<BatchWriter> writers = new ArrayList<>();
    private boolean closed;

    /**
     * @param dataDirectory where embedded H2 databases live
     * @param environment where secrets named by environment variable are read
     */
    public JdbcSinks(ConnectionSettings connections, Path dataDirectory, Map<String, String> environment) {
        this(connections, dataDirectory, environment, null);
    }

    /** @param meters where the pools report their meters ({@code hikaricp_*}); none when null */
    public JdbcSinks(ConnectionSettings connections, Path dataDirectory, Map<String, String> environment,
                     MeterRegistry meters) {
        this.connections = connections;
        this.dataDirectory = dataDirectory;
        this.environment = Map.copyOf(environment);
        this.meters = meters;
    }

    /** The pools open now, by connection name; for the readiness checks. */
    public synchronized Map<String, DataSource> pools() {
        return closed ? Map.of() : Map.copyOf(pools);
    }

    /**
     * The processor that writes each exchange as a row of {@code sink}'s table, in batches; it completes
     * each exchange when its batch committed, and fails it otherwise.
     *
     * @param variables the template variables of an exchange, as the route's source wrote it
     * @throws IllegalArgumentException when the connection is unknown, the database is neither H2 nor
     *     PostgreSQL, or the upsert key is not among the columns
     * @throws IllegalStateException when the connection's password cannot be read
     */
    public synchronized AsyncProcessor sink(RouteSink.Jdbc sink,
                                            Function<Exchange, ? extends Function<String, String>> variables) {
        if (closed) {
            throw new IllegalStateException("the JDBC sinks are closed");
        }
        JdbcConnectionSettings settings = connections.jdbc(sink.connection()).orElseThrow(
                () -> new IllegalArgumentException("no JDBC connection named '" + sink.connection() + "'"));
        SqlDialect dialect = settings.embedded() ? SqlDialect.H2 : SqlDialect.of(settings.url());
        TableStatements statements = TableStatements.of(sink, dialect);
        HikariDataSource pool = pools.get(settings.name());
        if (pool == null) {
            pool = PoolFactory.open(settings, dataDirectory, environment, meters);
            pools.put(settings.name(), pool);
            LOG.info("JDBC connection '{}': pool of {} to {}", settings.name(), settings.poolSize(),
                    PoolFactory.redact(pool.getJdbcUrl()));
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_QUEUE_CAPACITY, 10L * sink.batchSize()));
        BatchWriter writer = new BatchWriter(settings.name() + "/" + sink.table(), pool, statements,
                sink.batchSize(), sink.batchTime(), capacity);
        // The step starts its writer with its route: a route that never starts (a failed reload) has no thread.
        writers.add(writer);
        return new JdbcSink(new RowMapper(sink.columns(), variables), writer, this::release);
    }

    /**
     * Lets {@code writer} write what it has queued and end: its route is gone. Nothing waits for it here, so a
     * stop is not held up once per sink; {@link #close()} waits for those still writing, within its one limit.
     */
    private synchronized void release(BatchWriter writer) {
        writer.stopTaking();
        writers.removeIf(BatchWriter::isFinished);
    }

    /**
     * Writes the rows still queued, stops the writers (rows left after 30 s fail) and closes the pools. The
     * routes are stopped before, so no row comes in any more.
     */
    @Override
    public void close() {
        List<BatchWriter> closing;
        List<HikariDataSource> opened;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closing = List.copyOf(writers);
            writers.clear();
            opened = List.copyOf(pools.values());
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (BatchWriter writer : closing) {
            writer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        for (HikariDataSource pool : opened) {
            pool.close();
        }
    }
}
