package io.tributary.routes;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.bridge.camel.TributaryComponent;
import io.tributary.bridge.config.KafkaConnectionSettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.broker.InProcessBroker;
import io.tributary.connectors.kafka.EmbeddedKafka;
import io.tributary.routes.api.HttpApi;
import io.tributary.routes.buffer.RouteBuffers;
import io.tributary.routes.http.WebhookSinks;
import io.tributary.routes.jdbc.JdbcSinks;
import io.tributary.routes.metrics.MeteredKafkaClientFactory;
import io.tributary.routes.metrics.Monitoring;
import io.tributary.routes.metrics.Readiness;
import io.tributary.routes.metrics.RouteMeters;
import io.tributary.routes.mqtt.MqttLinks;
import io.tributary.routes.spi.PartStartException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running integration side of Tributary: the Camel context with the configured routes and the plain
 * Camel YAML DSL files, joined to the broker in-process, plus any embedded Kafka they use and the links to external
 * MQTT brokers they read from. Started after
 * the broker. Stopped around it: {@link #stopExternalSources()} before the broker stops, {@link #close()} after,
 * so that a device's message acknowledged during the shutdown has always reached its sink.
 */
public final class TributaryBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TributaryBridge.class);
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 30;

    private final CamelContext context;
    private final Map<String, EmbeddedKafka> embeddedKafka;
    private final Map<String, String> bootstrapServers;
    private final List<AutoCloseable> sinkResources;
    private final WebhookSinks webhooks;
    private final JdbcSinks jdbc;
    private final RouteBuffers buffers;
    private final MqttLinks links;
    /** The configured routes running now, by name, and the Camel id each runs under. Guarded by this. */
    private final Map<String, RouteSettings> routes = new LinkedHashMap<>();
    private final Map<String, String> routeIds = new HashMap<>();
    private int generation = 1;
    /** Set first thing by a stop, outside the lock, so that a reload in progress stops removing routes. */
    private volatile boolean stopping;
    private TributaryComponent component;
    private KafkaEndpoints kafka;
    private volatile HttpApi api;
    private volatile PrometheusMeterRegistry metrics;
    private volatile Readiness readiness;

    private TributaryBridge(CamelContext context, Map<String, EmbeddedKafka> embeddedKafka,
                            Map<String, String> bootstrapServers, WebhookSinks webhooks, JdbcSinks jdbc,
                            RouteBuffers buffers, MqttLinks links, List<AutoCloseable> sinkResources) {
        this.context = context;
        this.embeddedKafka = embeddedKafka;
        this.bootstrapServers = bootstrapServers;
        this.webhooks = webhooks;
        this.jdbc = jdbc;
        this.buffers = buffers;
        this.links = links;
        this.sinkResources = sinkResources;
    }

    /**
     * Starts the embedded Kafka brokers the configuration asks for, then every route.
     *
     * @throws BridgeStartException naming what could not start; anything already started is stopped
     */
    public static TributaryBridge start(TributaryConfig config, InProcessBroker broker) {
        return start(config, broker, System.getenv());
    }

    /**
     * Starts as {@link #start(TributaryConfig, InProcessBroker)} does, reading secrets named by environment
     * variable from {@code environment}.
     */
    public static TributaryBridge start(TributaryConfig config, InProcessBroker broker,
                                        Map<String, String> environment) {
        Map<String, EmbeddedKafka> embedded = new LinkedHashMap<>();
        Map<String, String> servers = new LinkedHashMap<>();
        DefaultCamelContext context = new DefaultCamelContext();
        WebhookSinks webhooks = new WebhookSinks(environment);
        PrometheusMeterRegistry registry = Monitoring.newRegistry(broker);
        JdbcSinks jdbc = new JdbcSinks(config.connections(), config.dataDirectory(), environment, registry);
        MeteredKafkaClientFactory kafkaClients = new MeteredKafkaClientFactory(registry);
        RouteBuffers buffers;
        MqttLinks links;
        try {
            links = MqttLinks.create(config.connections().mqtt().values(), environment, registry);
            buffers = RouteBuffers.open(config.dataDirectory(), registry, config.routes());
        } catch (PartStartException e) {
            closeQuietly(webhooks);
            closeQuietly(jdbc);
            closeQuietly(kafkaClients);
            registry.close();
            throw new BridgeStartException(e.getMessage(), e.getCause());
        }
        // The buffers close after the routes stopped (a sink resource), so that what the routes finish is deleted;
        // the links too, so that what the routes finish is acknowledged.
        TributaryBridge bridge = new TributaryBridge(context, embedded, servers, webhooks, jdbc, buffers, links,
                List.of(webhooks, jdbc, kafkaClients, buffers, links));
        bridge.metrics = registry;
        try {
            for (KafkaConnectionSettings connection : config.connections().kafka().values()) {
                servers.put(connection.name(), connection.embedded()
                        ? startEmbedded(connection, config.dataDirectory(), embedded)
                        : connection.bootstrapServers());
            }
            context.disableJMX();
            context.getManagementStrategy().addEventNotifier(
                    new RouteMeters(registry, Set.copyOf(HttpApi.REQUEST_ROUTE_IDS)));
            context.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
            context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
            context.getComponent("kafka", KafkaComponent.class).setKafkaClientFactory(kafkaClients);
            bridge.component = new TributaryComponent(broker);
            context.addComponent(TributaryComponent.SCHEME, bridge.component);
            links.register(context);
            servers.forEach((name, address) -> context.getPropertiesComponent()
                    .addInitialProperty("tributary.kafka." + name + ".bootstrap-servers", address));
            bridge.kafka = new KafkaEndpoints(context, name -> config.connections().kafka(name).orElse(null),
                    connection -> servers.get(connection.name()));
            synchronized (bridge) {
                config.routes().forEach(route -> bridge.routeIds.put(route.name(), route.name()));
                context.addRoutes(bridge.configuredRoutes(config.routes(), bridge.routeIds));
                config.routes().forEach(route -> bridge.routes.put(route.name(), route));
            }
            for (Path file : config.camelRoutes()) {
                loadCamelRoutes(context, file);
            }
            context.start();
            // After every route subscribed: a message of a resumed session must find its route.
            links.start();
            Map<String, Properties> kafkaAdmins = new LinkedHashMap<>();
            servers.forEach((name, address) -> kafkaAdmins.put(name, Readiness.kafkaAdminProperties(address,
                    config.connections().kafka(name).orElseThrow().properties())));
            bridge.readiness = new Readiness(broker, context, kafkaAdmins, jdbc::pools, buffers::overThreshold,
                    links::states);
            Monitoring monitoring = new Monitoring(registry, bridge.readiness);
            bridge.api = config.httpApi()
                    .map(settings -> HttpApi.start(settings, context, broker, webhooks, config.dataDirectory(),
                            environment, monitoring))
                    .orElse(null);
            LOG.info("Bridge started: {} route(s), {} Camel YAML file(s), Kafka connections {}",
                    config.routes().size(), config.camelRoutes().size(), servers);
            return bridge;
        } catch (BridgeStartException e) {
            bridge.close();
            throw e;
        } catch (PartStartException e) {
            bridge.close();
            throw new BridgeStartException(e.getMessage(), e.getCause()); // a part says what failed: keep its words
        } catch (Exception e) {
            bridge.close();
            throw new BridgeStartException("the routes could not start: " + describe(e), e);
        }
    }

    /**
     * Makes the configured routes those of {@code wanted}, without stopping the routes that did not change.
     * An added or changed route starts before the route it replaces stops, so no message from a device is
     * acknowledged in a gap while neither runs; a message that arrives during the swap may be delivered by
     * both (at least once). A replaced or removed route finishes its in-flight deliveries before it goes. When
     * a new route cannot start, nothing changes.
     *
     * @param wanted routes validated against the connections this bridge started with
     * @return what changed
     * @throws BridgeStartException naming the route that could not start; the running routes are unchanged
     * @throws IllegalStateException once the bridge is stopping
     */
    public synchronized RouteChanges reloadRoutes(List<RouteSettings> wanted) {
        if (stopping) {
            throw new IllegalStateException("the bridge is stopping");
        }
        RouteChanges changes = RouteChanges.between(List.copyOf(routes.values()), wanted);
        if (changes.isEmpty()) {
            return changes;
        }
        Map<String, String> newIds = new LinkedHashMap<>();
        List<RouteSettings> starting = wanted.stream()
                .filter(route -> changes.added().contains(route.name()) || changes.changed().contains(route.name()))
                .toList();
        generation++;
        starting.forEach(route -> newIds.put(route.name(), routeIds.containsKey(route.name())
                ? route.name() + "~" + generation : route.name()));
        try {
            context.addRoutes(configuredRoutes(starting, newIds));
        } catch (Exception e) {
            newIds.values().forEach(this::removeRoute);
            throw new BridgeStartException("the routes could not be reloaded: " + describe(e), e);
        }
        List<String> replaced = new java.util.ArrayList<>(changes.changed());
        replaced.addAll(changes.removed());
        for (String name : replaced) {
            // Once a stop began, the context's own stop finishes the old routes: a stop does not wait for them
            // one by one here.
            String oldId = routeIds.remove(name);
            if (!stopping) {
                removeRoute(oldId);
            }
            RouteSettings before = routes.remove(name);
            if (before != null && before.buffered()) {
                RouteSettings after = wanted.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
                if (after == null || !after.buffered()) {
                    buffers.retire(name);
                }
            }
        }
        routeIds.putAll(newIds);
        starting.forEach(route -> routes.put(route.name(), route));
        // Keep the order of the file, for the console and readiness messages.
        Map<String, RouteSettings> ordered = new LinkedHashMap<>();
        wanted.forEach(route -> ordered.put(route.name(), routes.get(route.name())));
        routes.clear();
        routes.putAll(ordered);
        return changes;
    }

    /** The configured routes running now, in file order. */
    public synchronized List<RouteSettings> routes() {
        return List.copyOf(routes.values());
    }

    /** Stops a route, letting its in-flight deliveries finish, then removes it and its dead-letter route. */
    private void removeRoute(String routeId) {
        for (String id : List.of(routeId, ConfiguredRoutes.deadLetterRouteId(routeId))) {
            if (context.getRoute(id) == null) {
                continue;
            }
            try {
                context.getRouteController().stopRoute(id, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                context.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Removing route {}{} failed: {}", routeName(routeId),
                        id.equals(routeId) ? "" : " (its dead-letter part)", describe(e));
            }
        }
    }

    /**
     * A route's configured name from its Camel id: a reload that replaced {@code hot-readings} runs it as
     * {@code hot-readings~2}, which logs must not show ({@code ~} is not allowed in a name).
     */
    static String routeName(String routeId) {
        int generation = routeId.indexOf('~');
        return generation < 0 ? routeId : routeId.substring(0, generation);
    }

    private ConfiguredRoutes configuredRoutes(List<RouteSettings> settings, Map<String, String> ids) {
        return new ConfiguredRoutes(settings, ids::get, component, kafka, webhooks, jdbc, buffers);
    }

    /** The Camel context, for metrics and tests. */
    public CamelContext camelContext() {
        return context;
    }

    /** The bridge's meters (broker, routes, JDBC pools, JVM), as the HTTP API serves them at {@code /metrics}. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** The readiness checks the HTTP API answers {@code /health/ready} with. */
    public Readiness readiness() {
        return readiness;
    }

    /** Where the Kafka connection of that name is, for an embedded one the address it was started on. */
    public String bootstrapServers(String connection) {
        return bootstrapServers.get(connection);
    }

    /**
     * Stops the routes that read from outside the built-in broker, from Kafka and from external MQTT brokers, letting
     * the messages in progress finish: the Kafka offsets of what was delivered are committed, and what an external
     * broker sent is acknowledged to it once delivered. The first step of a shutdown: no new message then enters
     * from outside, while the routes from the built-in broker, and the links they publish through, keep running
     * until the broker has stopped taking messages from devices. A link disconnects in {@link #close()}, keeping its
     * session: what its broker sends meanwhile stays unacknowledged there, for the next session.
     */
    public void stopExternalSources() {
        stopping = true;
        closeApi();
        List<String> external;
        synchronized (this) {
            external = routes.values().stream()
                    .filter(route -> route.from() instanceof RouteSource.Kafka
                            || route.from() instanceof RouteSource.ExternalMqtt)
                    .map(route -> routeIds.get(route.name()))
                    .toList();
        }
        // Before the routes stop: a message whose route is gone must stay with its broker, not count as unrouted.
        links.stopTaking();
        for (String route : external) {
            try {
                context.getRouteController().stopRoute(route, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Stopping route {} failed: {}", routeName(route), describe(e));
            }
        }
    }

    /**
     * Stops the routes, letting in-flight deliveries finish (up to 30 s), then the embedded Kafka brokers.
     */
    @Override
    public void close() {
        stopping = true;
        closeApi();
        Readiness checks = readiness;
        if (checks != null) {
            checks.close();
        }
        // A message of an external broker whose route stops now stays with that broker for the next session.
        links.stopTaking();
        try {
            context.stop();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the routes failed: {}", describe(e));
        }
        // The HTTP client and the database pools outlive the routes that use them, so close them after.
        for (AutoCloseable resource : sinkResources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), describe(e));
            }
        }
        embeddedKafka.values().forEach(EmbeddedKafka::close);
        PrometheusMeterRegistry registry = metrics;
        if (registry != null) {
            registry.close();
        }
    }

    /** The HTTP API's port (the chosen one for port 0), when the API runs. */
    public java.util.OptionalInt httpApiPort() {
        HttpApi running = api;
        return running == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(running.port());
    }

    /** No HTTP request may publish or register anything once the shutdown began. */
    private void closeApi() {
        HttpApi running = api;
        if (running != null) {
            running.close();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), describe(e));
        }
    }

    private static String startEmbedded(KafkaConnectionSettings connection, Path dataDirectory,
                                        Map<String, EmbeddedKafka> started) {
        Path directory = dataDirectory.resolve("kafka-" + connection.name());
        try {
            EmbeddedKafka kafka = EmbeddedKafka.builder()
                    .dataDirectory(directory)
                    .port(connection.embeddedPort())
                    .build()
                    .start();
            started.put(connection.name(), kafka);
            LOG.info("Embedded Kafka '{}' listening on {}, data in {}", connection.name(), kafka.bootstrapServers(),
                    directory);
            return kafka.bootstrapServers();
        } catch (RuntimeException e) {
            throw new BridgeStartException("the embedded Kafka '" + connection.name() + "' could not start on port "
                    + connection.embeddedPort() + ": " + describe(e), e);
        }
    }

    private static void loadCamelRoutes(CamelContext context, Path file) {
        try {
            Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + file);
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        } catch (Exception e) {
            throw new BridgeStartException("the Camel routes in " + file + " could not be loaded: " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
