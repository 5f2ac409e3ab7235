package io.tributary.broker.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Packets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * maxInFlight is the broker's Receive Maximum: an MQTT 5 client that has more unacknowledged QoS 1
 * PUBLISHes outstanding than that is disconnected with 0x93 [MQTT-3.3.4-7, MQTT-3.3.4-8 (5.0)].
 */
class InboundReceiveMaximumTest {
    private static final int RECEIVE_MAXIMUM = 5;

    private static RunningBroker brokerHoldingEveryAck() {
        // An interceptor that never completes keeps every PUBACK back.
        return RunningBroker.start(c -> c.maxInFlight(RECEIVE_MAXIMUM),
                b -> b.interceptor(message -> new CompletableFuture<>()));
    }

    @Test
    void connackAnnouncesMaxInFlightAsReceiveMaximum() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxInFlight(RECEIVE_MAXIMUM));
             RawMqttClient client = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = (MqttConnAckMessage) client.connect(MqttVersion.MQTT_5, "c", true, null);
            MqttProperties.MqttProperty<?> announced = ack.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
            assertEquals(RECEIVE_MAXIMUM, announced == null ? null : announced.value());
        }
    }

    @Test
    void clientWithinReceiveMaximumStaysConnectedWhileAcksAreHeld() throws Exception {
        try (RunningBroker broker = brokerHoldingEveryAck();
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "polite")) {
            for (int id = 1; id <= RECEIVE_MAXIMUM; id++) {
                client.publish("t", new byte[] {1}, 1, false, id, false, null);
            }
            assertNull(client.next(Duration.ofMillis(300)), "no PUBACK (held) and no DISCONNECT");
            assertFalse(client.closedWithin(Duration.ofMillis(100)));
        }
    }

    @Test
    void clientExceedingReceiveMaximumGetsDisconnect0x93() throws Exception {
        try (RunningBroker broker = brokerHoldingEveryAck();
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "greedy")) {
            for (int id = 1; id <= RECEIVE_MAXIMUM + 1; id++) {
                client.publish("t", new byte[] {1}, 1, false, id, false, null);
            }
            // [MQTT-3.3.4-9]: 0x93 Receive Maximum exceeded.
            Packets.assertDisconnectedWith(client, 0x93);
        }
    }
}
