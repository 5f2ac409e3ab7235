package io.tributary.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain Camel YAML DSL files listed under {@code camel-routes} run beside the configured routes. */
class CamelYamlRoutesTest {

    @TempDir
    Path folder;
    Broker broker;

    @BeforeEach
    void startBroker() {
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void tributaryEndpointsInACamelYamlFileSubscribeWithWildcardsAndPublish() throws Exception {
        Path file = folder.resolve("copy.yaml");
        Files.writeString(file, """
                - route:
                    id: copy-readings
                    from:
                      uri: "tributary:sensors/+/raw/%23"
                      steps:
                        - to: "tributary:copies/all?qos=1"
                """);
        BlockingQueue<Message> copies = new LinkedBlockingQueue<>();
        try (TributaryBridge bridge = TributaryBridge.start(config(file), broker);
             var subscription = broker.subscribe("copies/all", SubscribeOptions.of(QoS.EXACTLY_ONCE), m -> {
                 copies.add(m);
                 return null;
             })) {
            broker.publish(Message.of("sensors/s1/raw/a/b", "x", QoS.AT_LEAST_ONCE, false)).get(10, TimeUnit.SECONDS);
            Message copy = copies.poll(10, TimeUnit.SECONDS);
            assertNotNull(copy, "the Camel YAML route did not copy the message");
            assertEquals("x", copy.payloadAsString());
            assertEquals(QoS.AT_LEAST_ONCE, copy.qos());
        }
    }

    @Test
    void invalidCamelYamlFileFailsTheStartNamingTheFile() throws Exception {
        Path file = folder.resolve("broken.yaml");
        Files.writeString(file, "- route:\n    from: { uri: \"tributary:a\", steps: [ { nosuchstep: x } ] }\n");
        BridgeStartException e = assertThrows(BridgeStartException.class,
                () -> TributaryBridge.start(config(file), broker).close());
        assertTrue(e.getMessage().contains("broken.yaml"), e.getMessage());
    }

    private TributaryConfig config(Path camelFile) {
        return new TributaryConfig(BrokerConfig.builder().build(), folder, ConnectionSettings.none(), List.of(),
                List.of(camelFile));
    }
}
