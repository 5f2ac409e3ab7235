package io.tributary.routes.metrics;

import io.tributary.broker.InProcessBroker;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Tributary is ready for traffic: the broker's listeners are bound, every route that starts by
 * itself is started, a cluster node reads the cluster's log, every link to an external MQTT broker is connected, every Kafka connection answers a
 * describe-cluster call and every JDBC pool hands out a connection, each within {@value #TIMEOUT_SECONDS} s. The Kafka and JDBC checks run in parallel and their
 * result is kept for {@value #CACHE_SECONDS} s, so frequent probes do not load the servers.
 */
public final class Readiness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    static final long TIMEOUT_SECONDS = 2;
    static final long CACHE_SECONDS = 5;
    private static final String UP = "up";

    /** The result: {@code checks} names each check with {@code "up"} or {@code "down: why"}. */
    public record Result(boolean up, Map<String, String> checks) {
    }

    private final InProcessBroker broker;
    private final CamelContext context;
    private final Map<String, Properties> kafka;
    private final Supplier<Map<String, DataSource>> jdbc;
    private final Supplier<Map<String, String>> fullBuffers;
    private final Supplier<Map<String, String>> links;
    private final Map<String, Admin> admins = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tributary-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private Map<String, String> external = Map.of();
    private long checkedAt;
    private boolean checked;
    private boolean closed;

    /**
     * @param kafka the admin client properties of each Kafka connection (bootstrap servers and the
     *     connection's own properties); see {@link #kafkaAdminProperties}
     * @param jdbc the connection pools open now, by connection name
     */
    public Readiness(InProcessBroker broker, CamelContext context, Map<String, Properties> kafka,
                     Supplier<Map<String, DataSource>> jdbc) {
        this(broker, context, kafka, jdbc, Map::of);
    }

    /**
     * @param fullBuffers the routes whose buffer ({@code ack: buffer}) is over its {@code unready-at} threshold,
     *     each with how full it is
     */
    public Readiness(InProcessBroker broker, CamelContext context, Map<String, Properties> kafka,
                     Supplier<Map<String, DataSource>> jdbc, Supplier<Map<String, String>> fullBuffers) {
        this(broker, context, kafka, jdbc, fullBuffers, Map::of);
    }

    /**
     * @param links each link to an external MQTT broker, as {@code mqtt:<name>} with {@code up} or {@code down: why};
     *     read at every check, since a link knows its state without asking its broker
     */
    public Readiness(InProcessBroker broker, CamelContext context, Map<String, Properties> kafka,
                     Supplier<Map<String, DataSource>> jdbc, Supplier<Map<String, String>> fullBuffers,
                     Supplier<Map<String, String>> links) {
        this.links = links;
        this.broker = broker;
        this.context = context;
        this.kafka = Map.copyOf(kafka);
        this.jdbc = jdbc;
        this.fullBuffers = fullBuffers;
    }

    /** The admin client properties for a Kafka connection: its own properties and where the cluster is. */
    public static Properties kafkaAdminProperties(String bootstrapServers, Map<String, ?> connectionProperties) {
        Properties properties = new Properties();
        properties.putAll(connectionProperties);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-readiness");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return properties;
    }

    /** An {@code up} cluster state names the live nodes, as this node sees them; {@code down: ...} stays. */
    private String clusterDetail(String state) {
        if (!state.startsWith(UP)) {
            return state;
        }
        return broker.clusterView().map(view -> {
            List<String> live = view.liveNodes();
            return UP + ": " + live.size() + (live.size() == 1 ? " node (" : " nodes (") + String.join(", ", live)
                    + ")";
        }).orElse(state);
    }

    /** Runs the checks (the Kafka and JDBC ones at most every {@value #CACHE_SECONDS} s). */
    public Result check() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("broker", broker.listenersBound() ? UP : "down: the MQTT listeners are not bound");
        checks.put("routes", routes());
        // A cluster node is ready once it reads the cluster's log: "up: 3 nodes (node-1, node-2, node-3)".
        broker.clusterState().ifPresent(state -> checks.put("cluster", clusterDetail(state)));
        Map<String, String> full = fullBuffers.get();
        if (!full.isEmpty()) {
            // A buffer filling up means a sink that has not kept up for long: soon devices wait or are refused.
            full.forEach((route, how) -> checks.put("buffer:" + route, "down: " + how));
        }
        checks.putAll(links.get());
        checks.putAll(external());
        boolean up = checks.values().stream().allMatch(value -> value.equals(UP) || value.startsWith(UP + ": "));
        return new Result(up, checks);
    }

    private String routes() {
        if (!context.getStatus().isStarted()) {
            return "down: the Camel context is " + context.getStatus().name().toLowerCase(java.util.Locale.ROOT);
        }
        // By route name: a route a reload is swapping is running while either generation is.
        List<String> stopped = RouteStates.notStarted(context);
        return stopped.isEmpty() ? UP : "down: not started: " + String.join(", ", stopped);
    }

    private synchronized Map<String, String> external() {
        if (closed) {
            return Map.of("connections", "down: stopping");
        }
        long now = System.nanoTime();
        if (checked && now - checkedAt < TimeUnit.SECONDS.toNanos(CACHE_SECONDS)) {
            return external;
        }
        Map<String, CompletableFuture<String>> running = new LinkedHashMap<>();
        for (Map.Entry<String, Properties> connection : kafka.entrySet()) {
            Admin admin = admin(connection.getKey(), connection.getValue());
            running.put("kafka:" + connection.getKey(), CompletableFuture.supplyAsync(() -> kafka(admin), executor));
        }
        for (Map.Entry<String, DataSource> pool : jdbc.get().entrySet()) {
            running.put("jdbc:" + pool.getKey(), CompletableFuture.supplyAsync(() -> jdbc(pool.getValue()), executor));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        Map<String, String> results = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<String>> check : running.entrySet()) {
            results.put(check.getKey(), await(check.getValue(), deadline));
        }
        external = results;
        checkedAt = System.nanoTime();
        checked = true;
        return results;
    }

    private static String await(CompletableFuture<String> check, long deadline) {
        try {
            return check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            check.cancel(true);
            return "down: no answer within " + TIMEOUT_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down: interrupted";
        } catch (ExecutionException e) {
            return "down: " + describe(e.getCause());
        }
    }

    private static String kafka(Admin admin) {
        try {
            admin.describeCluster(new DescribeClusterOptions()
                            .timeoutMs((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)))
                    .clusterId().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return UP;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down: interrupted";
        } catch (ExecutionException e) {
            return "down: " + describe(e.getCause());
        } catch (TimeoutException e) {
            return "down: no answer within " + TIMEOUT_SECONDS + " s";
        }
    }

    private static String jdbc(DataSource pool) {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid((int) TIMEOUT_SECONDS) ? UP : "down: the connection is not valid";
        } catch (Exception e) {
            return "down: " + describe(e);
        }
    }

    private Admin admin(String name, Properties properties) {
        return admins.computeIfAbsent(name, ignored -> Admin.create(properties));
    }

    /** Closes the Kafka admin clients. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Admin admin : admins.values()) {
            try {
                admin.close(Duration.ofSeconds(TIMEOUT_SECONDS));
            } catch (RuntimeException e) {
                LOG.debug("Closing a Kafka admin client failed: {}", e.toString());
            }
        }
        admins.clear();
        executor.shutdownNow();
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
