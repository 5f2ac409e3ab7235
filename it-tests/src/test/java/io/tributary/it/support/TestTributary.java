package io.tributary.it.support;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.bridge.camel.TributaryEndpoint;
import io.tributary.bridge.config.ConfigException;
import io.tributary.bridge.config.ConfigLoader;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.routes.TributaryBridge;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broker (one TCP listener on a free loopback port) with a {@link TributaryBridge} built from a YAML
 * configuration, as {@code tributary run} starts them: the broker first, the routes after it, closed in the
 * opposite order.
 *
 * <p>The YAML holds the {@code connections}, {@code routes} and {@code camel-routes} sections; the fixture
 * adds {@code data-directory}. Its {@code broker} section, if any, is ignored: the broker here is always
 * the loopback one.
 */
public final class TestTributary implements AutoCloseable {

    private final Broker broker;
    private TributaryBridge bridge;
    private final TributaryConfig config;

    private TestTributary(Broker broker, TributaryConfig config) {
        this.broker = broker;
        this.config = config;
    }

    /** Starts the broker, then the routes of {@code yaml}; stops the broker again if the routes fail. */
    public static TestTributary start(Path dataDirectory, String yaml) {
        return start(dataDirectory, yaml, false);
    }

    /**
     * Like {@link #start(Path, String)}, with the broker keeping its persistent sessions across a graceful stop in
     * {@code DATA-DIRECTORY/broker}, as {@code tributary run} does: a later start on the same folder restores them.
     */
    public static TestTributary startPersistent(Path dataDirectory, String yaml) {
        return start(dataDirectory, yaml, true);
    }

    private static TestTributary start(Path dataDirectory, String yaml, boolean persistent) {
        TributaryConfig config = load(dataDirectory, yaml);
        BrokerConfig.Builder brokerConfig = BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp"));
        if (persistent) {
            brokerConfig.persistenceDirectory(dataDirectory.resolve("broker"));
        }
        Broker broker = Broker.builder().config(brokerConfig.build()).build();
        broker.start().join();
        TestTributary tributary = new TestTributary(broker, config);
        try {
            tributary.bridge = TributaryBridge.start(config, broker);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return tributary;
    }

    /** Loads {@code yaml} as the file {@code test.yaml}, with {@code data-directory} set to the given folder. */
    public static TributaryConfig load(Path dataDirectory, String yaml) {
        String withData = "data-directory: \"" + dataDirectory.toAbsolutePath() + "\"\n" + yaml;
        try {
            return new ConfigLoader(Map.of()).loadString("test.yaml", withData);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("the test configuration is invalid: " + e.getMessage()
                    + "\n--- YAML ---\n" + withData, e);
        }
    }

    /** Stops the routes only; {@link #startBridge()} or {@link #close()} follows. */
    public void stopBridge() {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
    }

    /** Starts the routes again after {@link #stopBridge()}. */
    public void startBridge() {
        if (bridge == null) {
            bridge = TributaryBridge.start(config, broker);
        }
    }

    public Broker broker() {
        return broker;
    }

    public TributaryBridge bridge() {
        return bridge;
    }

    /** Whether the route of that name delivers into Kafka without Camel exchanges (its direct path). */
    public boolean deliversDirectly(String route) {
        return ((TributaryEndpoint) bridge.camelContext().getRoute(route).getEndpoint()).getDirectDelivery() != null;
    }

    /**
     * What readiness says of the link to the external broker {@code connection}: {@code up}, or {@code down: ...};
     * null when there is no such connection.
     */
    public String linkState(String connection) {
        return bridge.readiness().check().checks().get("mqtt:" + connection);
    }

    public int mqttPort() {
        return broker.boundPort("tcp");
    }

    /** A connected MQTT 5 client (clean start) with the given identifier. */
    public Mqtt5BlockingClient mqtt5(String clientId) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(mqttPort()).buildBlocking();
        client.connect();
        return client;
    }

    /** A connected asynchronous MQTT 5 client (clean start) with the given identifier. */
    public Mqtt5AsyncClient mqtt5Async(String clientId) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(mqttPort()).buildAsync();
        client.connect().orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    /**
     * Stops in the order of {@code tributary run}'s graceful stop: the routes from Kafka and external MQTT brokers,
     * then the broker (connections closed, sessions saved), then the routes into the sinks, which finish what is in
     * flight.
     */
    public void stopGracefully() throws Exception {
        try {
            if (bridge != null) {
                bridge.stopExternalSources();
            }
            broker.stop().get(30, TimeUnit.SECONDS);
        } finally {
            stopBridge();
            broker.close();
        }
    }

    @Override
    public void close() {
        try {
            stopBridge();
        } finally {
            broker.close();
        }
    }
}
