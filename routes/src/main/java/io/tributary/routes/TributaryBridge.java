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
import io.tributary.routes.http.WebhookSinks;
import io.tributary.routes.jdbc.JdbcSinks;
import io.tributary.routes.metrics.MeteredKafkaClientFactory;
import io.tributary.routes.metrics.Monitoring;
import io.tributary.routes.metrics.Readiness;
import io.tributary.routes.metrics.RouteMeters;
import java.nio.file.Path;
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
 * Camel YAML DSL files, joined to the broker in-process, plus any embedded Kafka they use. Started after
 * the broker. Stopped around it: {@link #stopKafkaSources()} before the broker stops, {@link #close()} after,
 * so that a device's message acknowledged during the shutdown has always reached its sink.
 */
public final class TributaryBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TributaryBridge.class);
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 30;

    private final CamelContext context;
    private final Map<String, EmbeddedKafka> embeddedKafka;
    private final Map<String, String> bootstrapServers;
    private final List<String> kafkaSourcedRoutes;
    private final List<AutoCloseable> sinkResources;
    private volatile HttpApi api;
    private volatile PrometheusMeterRegistry metrics;
    private volatile Readiness readiness;

    private TributaryBridge(CamelContext context, Map<String, EmbeddedKafka> embeddedKafka,
                            Map<String, String> bootstrapServers, List<String> kafkaSourcedRoutes,
                            List<AutoCloseable> sinkResources) {
        this.context = context;
        this.embeddedKafka = embeddedKafka;
        this.bootstrapServers = bootstrapServers;
        this.kafkaSourcedRoutes = kafkaSourcedRoutes;
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
        List<String> kafkaSourced = config.routes().stream()
                .filter(route -> route.from() instanceof RouteSource.Kafka)
                .map(RouteSettings::name)
                .toList();
        WebhookSinks webhooks = new WebhookSinks(environment);
        PrometheusMeterRegistry registry = Monitoring.newRegistry(broker);
        JdbcSinks jdbc = new JdbcSinks(config.connections(), config.dataDirectory(), environment, registry);
        MeteredKafkaClientFactory kafkaClients = new MeteredKafkaClientFactory(registry);
        TributaryBridge bridge = new TributaryBridge(context, embedded, servers, kafkaSourced,
                List.of(webhooks, jdbc, kafkaClients));
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
            TributaryComponent component = new TributaryComponent(broker);
            context.addComponent(TributaryComponent.SCHEME, component);
            servers.forEach((name, address) -> context.getPropertiesComponent()
                    .addInitialProperty("tributary.kafka." + name + ".bootstrap-servers", address));
            KafkaEndpoints kafka = new KafkaEndpoints(context, name -> config.connections().kafka(name).orElse(null),
                    connection -> servers.get(connection.name()));
            context.addRoutes(new ConfiguredRoutes(config.routes(), component, kafka, webhooks, jdbc));
            for (Path file : config.camelRoutes()) {
                loadCamelRoutes(context, file);
            }
            context.start();
            Map<String, Properties> kafkaAdmins = new LinkedHashMap<>();
            servers.forEach((name, address) -> kafkaAdmins.put(name, Readiness.kafkaAdminProperties(address,
                    config.connections().kafka(name).orElseThrow().properties())));
            bridge.readiness = new Readiness(broker, context, kafkaAdmins, jdbc::pools);
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
        } catch (Exception e) {
            bridge.close();
            throw new BridgeStartException("the routes could not start: " + describe(e), e);
        }
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
     * Stops the routes that read from Kafka, letting the record in progress finish and committing what was
     * delivered. The first step of a shutdown: no new message then enters the broker from Kafka, while the
     * routes from the broker keep running until the broker has stopped taking messages from devices.
     */
    public void stopKafkaSources() {
        closeApi();
        for (String route : kafkaSourcedRoutes) {
            try {
                context.getRouteController().stopRoute(route, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Stopping route {} failed: {}", route, describe(e));
            }
        }
    }

    /**
     * Stops the routes, letting in-flight deliveries finish (up to 30 s), then the embedded Kafka brokers.
     */
    @Override
    public void close() {
        closeApi();
        Readiness checks = readiness;
        if (checks != null) {
            checks.close();
        }
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
