package io.tributary.routes.mqtt;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.bridge.config.MqttConnectionSettings;
import io.tributary.bridge.config.RouteSource;
import io.tributary.connectors.mqtt.HiveMqLink;
import io.tributary.connectors.mqtt.LinkSettings;
import io.tributary.connectors.mqtt.LinkTls;
import io.tributary.connectors.mqtt.MqttLink;
import io.tributary.routes.metrics.LinkMeters;
import io.tributary.routes.spi.PartStartException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links to the external brokers of {@code connections.mqtt}, one per connection, shared by the routes reading
 * from it and writing to it. Built before the routes, started once they all subscribed (a message of the resumed session that came
 * before its route would match none), told to stop taking messages before the routes stop, and closed after them.
 */
public final class MqttLinks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLinks.class);

    /** How long a connect attempt waits for the TCP connection and then for the CONNACK. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The longest wait between two connect attempts, so that a broker back is reached within about 2.5 s. */
    static final Duration RECONNECT_MAX_DELAY = Duration.ofSeconds(2);

    private final Map<String, MqttLink> links;
    private final LinkComponent component = new LinkComponent(this);

    MqttLinks(Map<String, MqttLink> links) {
        this.links = Map.copyOf(links);
    }

    /**
     * A link for each connection, not connected yet, with its meters in {@code registry}.
     *
     * @param environment where a password named by environment variable is read
     * @throws PartStartException when a password cannot be read
     */
    public static MqttLinks create(Collection<MqttConnectionSettings> connections, Map<String, String> environment,
                                   MeterRegistry registry) {
        return create(connections, environment, registry, HiveMqLink::new);
    }

    static MqttLinks create(Collection<MqttConnectionSettings> connections, Map<String, String> environment,
                            MeterRegistry registry, Function<LinkSettings, MqttLink> newLink) {
        Map<String, MqttLink> links = new LinkedHashMap<>();
        for (MqttConnectionSettings connection : connections) {
            MqttLink link;
            try {
                link = newLink.apply(settings(connection, environment));
            } catch (IllegalArgumentException e) {
                // A TLS file changed since the configuration was loaded.
                throw new PartStartException("MQTT connection '" + connection.name() + "': " + e.getMessage(), e);
            }
            links.put(connection.name(), link);
            LinkMeters.register(registry, connection.name(), link);
        }
        return new MqttLinks(links);
    }

    private static LinkSettings settings(MqttConnectionSettings connection, Map<String, String> environment) {
        byte[] password;
        try {
            password = connection.password().map(secret -> secret.read(environment).getBytes(StandardCharsets.UTF_8))
                    .orElse(null);
        } catch (IllegalStateException e) {
            throw new PartStartException("the password of MQTT connection '" + connection.name() + "' could not be "
                    + "read: " + e.getMessage(), e);
        }
        MqttConnectionSettings.Address url = connection.url();
        String host = url.host().startsWith("[") ? url.host().substring(1, url.host().length() - 1) : url.host();
        return new LinkSettings(connection.name(), host, url.port(), connection.clientId(), connection.username(),
                Optional.ofNullable(password), connection.sessionExpiry(), connection.keepAlive(),
                connection.maxInFlight(), CONNECT_TIMEOUT, RECONNECT_MAX_DELAY, connection.publishTimeout(),
                connection.maxHops(), connection.tls().map(MqttLinks::tls)
                        .or(() -> url.tls() ? Optional.of(new LinkTls(Optional.empty(), Optional.empty(),
                                Optional.empty(), true)) : Optional.empty()),
                connection.version() == MqttConnectionSettings.Version.MQTT_3_1_1 ? LinkSettings.Version.MQTT_3_1_1
                        : LinkSettings.Version.MQTT_5);
    }

    private static LinkTls tls(MqttConnectionSettings.Tls tls) {
        return new LinkTls(tls.ca(), tls.cert(), tls.key(), tls.verifyHostname());
    }

    /** Adds the {@code tributary-link} component to {@code context}, for Camel YAML routes and {@link #endpoint}. */
    public void register(CamelContext context) {
        context.addComponent(LinkComponent.SCHEME, component);
    }

    /**
     * The endpoint a route reading {@code source} consumes from, through the links {@link #register}ed with
     * {@code context}.
     */
    public static DefaultEndpoint endpoint(CamelContext context, RouteSource.ExternalMqtt source) {
        return context.getComponent(LinkComponent.SCHEME, LinkComponent.class).endpoint(source);
    }

    /** The endpoint a route delivering to {@code connection} publishes to, through the links of {@code context}. */
    public static DefaultEndpoint sinkEndpoint(CamelContext context, String connection) {
        return context.getComponent(LinkComponent.SCHEME, LinkComponent.class).sinkEndpoint(connection);
    }

    MqttLink link(String connection) {
        MqttLink link = links.get(connection);
        if (link == null) {
            throw new IllegalArgumentException("no MQTT connection '" + connection + "'; known: " + links.keySet());
        }
        return link;
    }

    /** Connects every link in the background; none waits for its broker. */
    public void start() {
        links.values().forEach(MqttLink::start);
    }

    /** Each link's readiness: {@code mqtt:<name>} with {@code up} or {@code down: ...}. */
    public Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        links.forEach((name, link) -> states.put("mqtt:" + name, link.state().description()));
        return states;
    }

    /** See {@link MqttLink#stopTaking()}: the first step of a shutdown. */
    public void stopTaking() {
        links.values().forEach(MqttLink::stopTaking);
    }

    @Override
    public void close() {
        for (Map.Entry<String, MqttLink> link : links.entrySet()) {
            try {
                link.getValue().close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the link {} failed: {}", link.getKey(), e.toString());
            }
        }
    }
}
