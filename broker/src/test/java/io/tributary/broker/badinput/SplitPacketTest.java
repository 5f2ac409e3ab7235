package io.tributary.broker.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Packets;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A valid packet that reaches the broker in several reads, cut inside its variable header, is a valid packet.
 * Netty 4.1.133's MQTT decoder refused exactly this as too long (netty/netty#16776): any client on a slow or busy
 * link would have been disconnected.
 */
class SplitPacketTest {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void aPublishCutInsideItsTopicIsAcknowledged(MqttVersion version) throws Exception {
        byte[] publish = qos1Publish("sensors/split/temperature", 7, "21.5", version == MqttVersion.MQTT_5);
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient client = RawMqttClient.connected(broker.port(), version, "split")) {
            for (int[] piece : new int[][] {{0, 3}, {3, 12}, {12, publish.length}}) {
                client.sendBytes(Arrays.copyOfRange(publish, piece[0], piece[1]));
                // Apart in time, so that the broker reads each piece on its own.
                Thread.sleep(100);
            }
            MqttMessage ack = client.expect(MqttMessageType.PUBACK, Packets.WAIT);
            assertEquals(7, RawMqttClient.packetId(ack));
        }
    }

    private static byte[] qos1Publish(String topic, int packetId, String payload, boolean v5) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        variable.write(name.length >> 8);
        variable.write(name.length & 0xFF);
        variable.writeBytes(name);
        variable.write(packetId >> 8);
        variable.write(packetId & 0xFF);
        if (v5) {
            variable.write(0); // no properties
        }
        variable.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x32); // PUBLISH, QoS 1
        packet.write(variable.size()); // under 128: one byte
        packet.writeBytes(variable.toByteArray());
        return packet.toByteArray();
    }
}
