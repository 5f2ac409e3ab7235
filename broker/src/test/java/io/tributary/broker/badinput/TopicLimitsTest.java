package io.tributary.broker.badinput;

import static io.tributary.broker.badinput.BadInputScenario.assertOnlyOffenderDisconnected;
import static io.tributary.broker.testsupport.Packets.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Bystander;
import io.tributary.broker.testsupport.Packets;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Topics past the broker's limits ({@code maxTopicLength}, {@code maxTopicLevels}): well-formed, but not
 * accepted. A PUBLISH to one is refused as a topic name the broker cannot take (MQTT 5: DISCONNECT 0x90 Topic Name
 * invalid; MQTT 3.1.1: the connection is closed); a filter past them is refused in SUBACK (0x8F / 0x80) with the
 * connection left open; a will topic past them refuses the CONNECT (0x90). Nobody else is disturbed.
 */
class TopicLimitsTest {
    private static final int TOPIC_NAME_INVALID = 0x90;
    private static final int TOPIC_FILTER_INVALID = 0x8F;

    /** A QoS 0 PUBLISH, payload "x", in the format of {@code version}. */
    private static byte[] publish(MqttVersion version, String topic) {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        boolean v5 = version == MqttVersion.MQTT_5;
        int remaining = 2 + topicBytes.length + (v5 ? 1 : 0) + 1;
        byte[] length = remaining < 128 ? new byte[] {(byte) remaining}
                : new byte[] {(byte) (remaining & 0x7F | 0x80), (byte) (remaining >> 7)};
        return bytes(0x30,                          // PUBLISH, QoS 0
                length,                             // remaining length, one or two bytes
                topicBytes.length >> 8, topicBytes.length & 0xFF, topicBytes,
                v5 ? new byte[] {0} : new byte[0],  // MQTT 5: property length 0
                "x");
    }

    private static String levels(int count) {
        return String.join("/", java.util.Collections.nCopies(count, "a"));
    }

    @Test
    void publishWithMoreLevelsThanTheLimitGetsMqtt5Disconnect0x90() throws Exception {
        assertOnlyOffenderDisconnected(c -> c.maxTopicLevels(8), MqttVersion.MQTT_5, publish(MqttVersion.MQTT_5,
                levels(9)), TOPIC_NAME_INVALID);
    }

    @Test
    void publishWithMoreLevelsThanTheDefault128ClosesMqtt311Connection() throws Exception {
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, publish(MqttVersion.MQTT_3_1_1, levels(129)),
                TOPIC_NAME_INVALID);
    }

    @Test
    void publishToATopicLongerThanTheLimitGetsMqtt5Disconnect0x90() throws Exception {
        // 40 characters, 2 bytes each in UTF-8: 80 bytes, past a limit of 64 bytes though 40 characters are not.
        assertOnlyOffenderDisconnected(c -> c.maxTopicLength(64), MqttVersion.MQTT_5,
                publish(MqttVersion.MQTT_5, "é".repeat(40)), TOPIC_NAME_INVALID);
    }

    @Test
    void publishToATopicAtTheLimitsIsDelivered() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxTopicLevels(8).maxTopicLength(64));
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "at-limit")) {
            String topic = levels(8);
            client.subscribe(1, topic, 0);
            client.expect(MqttMessageType.SUBACK, Packets.WAIT);
            client.sendBytes(publish(MqttVersion.MQTT_5, topic));
            assertEquals("x", Packets.payloadAndRelease(client.expect(MqttMessageType.PUBLISH, Packets.WAIT)));
        }
    }

    @Test
    void filtersPastTheLimitsAreRefusedInSubackAndTheOthersGranted() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxTopicLevels(4).maxTopicLength(32));
             Bystander bystander = new Bystander(broker.port(), "bystander");
             RawMqttClient v5 = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "v5");
             RawMqttClient v3 = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "v3")) {
            List<String> filters = List.of("a/+/c/#", "a/b/c/d/#", "x".repeat(33), "$share/g/a/+/c/d");
            assertEquals(List.of(1, TOPIC_FILTER_INVALID, TOPIC_FILTER_INVALID, 1), subscribe(v5, filters));
            assertEquals(List.of(1, 0x80, 0x80, 1), subscribe(v3, filters));
            // Still connected: a valid subscription works.
            v5.publish("a/b/c", "y".getBytes(StandardCharsets.UTF_8), 0, false, 0, false, null);
            assertEquals("y", Packets.payloadAndRelease(v5.expect(MqttMessageType.PUBLISH, Packets.WAIT)));
            bystander.assertStillServed();
        }
    }

    @Test
    void willTopicPastTheLimitsRefusesTheConnectWith0x90() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxTopicLevels(4));
             Bystander bystander = new Bystander(broker.port(), "bystander");
             RawMqttClient client = new RawMqttClient(broker.port())) {
            client.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("will")
                    .cleanSession(true).keepAlive(60).willFlag(true).willTopic(levels(5))
                    .willMessage("gone".getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_MOST_ONCE).build());
            MqttConnAckMessage connack = (MqttConnAckMessage) client.expect(MqttMessageType.CONNACK, Packets.WAIT);
            assertEquals(Packets.hex(TOPIC_NAME_INVALID),
                    Packets.hex(connack.variableHeader().connectReturnCode().byteValue() & 0xFF));
            bystander.assertStillServed();
        }
    }

    static List<Integer> subscribe(RawMqttClient client, List<String> filters) throws Exception {
        MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(7);
        filters.forEach(f -> subscribe.addSubscription(MqttQoS.AT_LEAST_ONCE, f));
        client.send(subscribe.build());
        MqttSubAckMessage suback = (MqttSubAckMessage) client.expect(MqttMessageType.SUBACK, Packets.WAIT);
        return suback.payload().reasonCodes();
    }
}
