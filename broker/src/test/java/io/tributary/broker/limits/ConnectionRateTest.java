package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code max-connection-rate} and {@code connection-rate-burst}: one address may open a burst of connections, then
 * one per second; a socket beyond that is closed as soon as it is accepted, and the clients already connected
 * carry on. Loopback is exempt unless {@code connection-rate-loopback} says otherwise.
 */
class ConnectionRateTest {

    @Test
    void connectionBeyondTheBurstIsClosedAtOnceWhileConnectedClientsCarryOn() throws Exception {
        // One a second after a burst of two; loopback limited like any other address for the test.
        BrokerConfig.ConnectionAdmission slow = new BrokerConfig.ConnectionAdmission(1000, 1, 2, true);
        try (RunningBroker broker = RunningBroker.start(config -> config.connectionAdmission(slow))) {
            Mqtt5BlockingClient first = client(broker, "first");
            first.connect();
            first.subscribeWith().topicFilter("rate").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient second = client(broker, "second");
            second.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = first.publishes(MqttGlobalPublishFilter.ALL)) {
                // Both within the second that refills one token: closed before CONNECT, so no CONNACK.
                try (RawMqttClient raw = new RawMqttClient(broker.port())) {
                    assertTrue(raw.closedWithin(Duration.ofSeconds(2)), "a raw socket over the rate was kept");
                }
                assertThrows(RuntimeException.class, () -> client(broker, "third").connect(),
                        "a HiveMQ client over the rate connected");

                second.publishWith().topic("rate").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("undisturbed".getBytes(StandardCharsets.UTF_8)).send();
                assertEquals("undisturbed", new String(publishes.receive(3, TimeUnit.SECONDS).orElseThrow()
                        .getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertTrue(first.getState().isConnected() && second.getState().isConnected());
            first.disconnect();
            second.disconnect();
        }
    }

    @Test
    void loopbackIsExemptByDefault() {
        BrokerConfig.ConnectionAdmission slow = new BrokerConfig.ConnectionAdmission(1000, 1, 2, false);
        try (RunningBroker broker = RunningBroker.start(config -> config.connectionAdmission(slow))) {
            for (int i = 0; i < 5; i++) {
                Mqtt5BlockingClient client = client(broker, "local-" + i);
                assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, client.connect().getReasonCode());
                client.disconnect();
            }
        }
    }

    private static Mqtt5BlockingClient client(RunningBroker broker, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
    }
}
