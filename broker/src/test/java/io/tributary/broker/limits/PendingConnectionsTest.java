package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sockets that have not sent CONNECT: closed after {@code connect-timeout} whether they send nothing or half a
 * packet, and no more than {@code max-pending-connections} of them at once, an extra one closed as soon as it is
 * accepted, while connected clients carry on.
 */
class PendingConnectionsTest {
    /** The first bytes of an MQTT 3.1.1 CONNECT: type, a Remaining Length of 20, half the protocol name. */
    private static final byte[] HALF_A_CONNECT = {0x10, 20, 0x00, 0x04, 'M', 'Q'};

    @Test
    void socketThatSendsHalfAConnectIsClosedAfterTheConnectTimeout() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.connectTimeoutSeconds(1));
             RawMqttClient half = new RawMqttClient(broker.port())) {
            half.sendBytes(HALF_A_CONNECT);
            assertFalse(half.closedWithin(Duration.ofMillis(500)), "closed before the connect timeout");
            assertTrue(half.closedWithin(Duration.ofSeconds(3)), "half a CONNECT kept the socket open");
            Await.until(Duration.ofSeconds(3), "the socket counted out",
                    () -> broker.broker().stats().connections() == 0);
        }
    }

    @Test
    void socketThatSendsNothingIsClosedAfterTheConnectTimeout() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.connectTimeoutSeconds(1));
             RawMqttClient silent = new RawMqttClient(broker.port())) {
            assertTrue(silent.closedWithin(Duration.ofSeconds(3)), "a silent socket was kept open");
        }
    }

    @Test
    void socketsBeyondThePendingCapAreClosedAtOnceWhileConnectedClientsCarryOn() throws Exception {
        BrokerConfig.ConnectionAdmission twoPending = new BrokerConfig.ConnectionAdmission(2, 0, 1, false);
        try (RunningBroker broker = RunningBroker.start(config -> config.connectionAdmission(twoPending)
                .connectTimeoutSeconds(3))) {
            Mqtt5BlockingClient steady = client(broker, "steady");
            steady.connect();
            steady.subscribeWith().topicFilter("steady").qos(MqttQos.AT_LEAST_ONCE).send();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = steady.publishes(MqttGlobalPublishFilter.ALL);
                 RawMqttClient first = new RawMqttClient(broker.port());
                 RawMqttClient second = new RawMqttClient(broker.port())) {
                Await.until(Duration.ofSeconds(3), "both silent sockets accepted",
                        () -> broker.broker().stats().connections() == 3);

                try (RawMqttClient extra = new RawMqttClient(broker.port())) {
                    assertTrue(extra.closedWithin(Duration.ofSeconds(2)),
                            "a third socket without CONNECT was not closed at once");
                }
                assertFalse(first.closedWithin(Duration.ofMillis(10)), "the pending ones wait for their timeout");

                steady.publishWith().topic("steady").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("carry on".getBytes(StandardCharsets.UTF_8)).send();
                assertEquals("carry on", new String(publishes.receive(3, TimeUnit.SECONDS).orElseThrow()
                        .getPayloadAsBytes(), StandardCharsets.UTF_8));

                assertTrue(first.closedWithin(Duration.ofSeconds(5)), "the connect timeout did not close it");
                assertTrue(second.closedWithin(Duration.ofSeconds(5)), "the connect timeout did not close it");
                Await.until(Duration.ofSeconds(3), "the silent sockets counted out",
                        () -> broker.broker().stats().connections() == 1);
                Mqtt5BlockingClient later = client(broker, "later");
                assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, later.connect().getReasonCode());
                later.disconnect();
            }
            assertTrue(steady.getState().isConnected());
            steady.disconnect();
        }
    }

    private static Mqtt5BlockingClient client(RunningBroker broker, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
    }
}
