package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.bridge.config.ConfigLoader;
import io.tributary.bridge.config.TributaryConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary run} stopped gracefully and started again on the same data directory: a device's
 * persistent session, with the messages queued for it while it was away, and the retained messages are there.
 */
class GracefulRestartTest {

    @TempDir
    Path data;

    @Test
    void aPersistentSessionAndRetainedMessagesSurviveAGracefulRestart() throws Exception {
        RunningTributary first = RunningTributary.start(config(true));
        int port = first.boundPort("mqtt");
        try {
            Mqtt5BlockingClient device = device(port, true);
            device.subscribeWith().topicFilter("commands/d1").qos(MqttQos.AT_LEAST_ONCE).send();
            device.disconnect();
            Mqtt5BlockingClient backend = backend(port);
            backend.publishWith().topic("commands/d1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("reboot".getBytes(StandardCharsets.UTF_8)).send();
            backend.publishWith().topic("status/d1").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .payload("online".getBytes(StandardCharsets.UTF_8)).send();
            backend.disconnect();
        } finally {
            first.stop();
        }
        assertTrue(Files.exists(data.resolve("broker")), "no saved state under the data directory");

        RunningTributary second = RunningTributary.start(config(true));
        try {
            Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("device-d1").serverHost("127.0.0.1")
                    .serverPort(second.boundPort("mqtt")).buildBlocking();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL)) {
                Mqtt5ConnAck connAck = device.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();

                assertTrue(connAck.isSessionPresent(), "the session was not kept");
                Optional<Mqtt5Publish> queued = publishes.receive(30, TimeUnit.SECONDS);
                assertEquals("reboot", queued.map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .orElse("nothing"));
                device.subscribeWith().topicFilter("status/+").qos(MqttQos.AT_LEAST_ONCE).send();
                Optional<Mqtt5Publish> retained = publishes.receive(30, TimeUnit.SECONDS);
                assertEquals("online", retained.map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .orElse("nothing"));
                device.disconnect();
            }
        } finally {
            second.stop();
        }
    }

    @Test
    void withPersistenceOffARestartStartsEmpty() throws Exception {
        RunningTributary first = RunningTributary.start(config(false));
        try {
            device(first.boundPort("mqtt"), true).disconnect();
        } finally {
            first.stop();
        }
        RunningTributary second = RunningTributary.start(config(false));
        try {
            device(second.boundPort("mqtt"), true).disconnect();
        } finally {
            second.stop();
        }
        assertFalse(Files.exists(data.resolve("broker").resolve("broker-state.bin")));
    }

    /** Connects {@code device-d1} with a session of an hour; asserts whether the broker had its session. */
    private static Mqtt5BlockingClient device(int port, boolean expectNewSession) {
        Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("device-d1").serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
        Mqtt5ConnAck connAck = device.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        assertEquals(!expectNewSession, connAck.isSessionPresent());
        return device;
    }

    private static Mqtt5BlockingClient backend(int port) {
        Mqtt5BlockingClient backend = Mqtt5Client.builder().identifier("backend").serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
        backend.connect();
        return backend;
    }

    /** One listener on a free port (each start picks its own; the device follows), data in the test's folder. */
    private TributaryConfig config(boolean persistence) throws Exception {
        return new ConfigLoader(Map.of()).loadString("test.yaml", """
                data-directory: "%s"
                broker:
                  persistence: %s
                  listeners: [ { name: mqtt, type: tcp, port: 0 } ]
                """.formatted(data.toAbsolutePath(), persistence));
    }
}
