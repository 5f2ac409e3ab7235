package io.tributary.broker.badinput;

import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.BrokerConfig;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Bystander;
import io.tributary.broker.testsupport.Packets;
import java.util.function.Consumer;

/**
 * The shape every bad-input test shares: a bystander connects, a raw client connects and sends bytes,
 * the raw client must be disconnected (MQTT 5: with a DISCONNECT carrying {@code v5Reason}; MQTT 3.1.1:
 * just closed), and the bystander must still publish and receive afterwards.
 */
final class BadInputScenario {
    private BadInputScenario() {
    }

    static void assertOnlyOffenderDisconnected(MqttVersion version, byte[] packet, int v5Reason) throws Exception {
        assertOnlyOffenderDisconnected(config -> { }, version, packet, v5Reason);
    }

    static void assertOnlyOffenderDisconnected(Consumer<BrokerConfig.Builder> configure, MqttVersion version,
                                               byte[] packet, int v5Reason) throws Exception {
        try (RunningBroker broker = RunningBroker.start(configure);
             Bystander bystander = new Bystander(broker.port(), "bystander");
             RawMqttClient offender = RawMqttClient.connected(broker.port(), version, "offender")) {
            offender.sendBytes(packet);
            if (version == MqttVersion.MQTT_5) {
                Packets.assertDisconnectedWith(offender, v5Reason);
            } else {
                Packets.assertClosedWithoutPacket(offender);
            }
            bystander.assertStillServed();
        }
    }
}
