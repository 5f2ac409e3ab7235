package io.tributary.broker.connect;

import io.tributary.testsupport.await.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resending after a persistent session reconnects [MQTT-4.4.0-1]: unacknowledged PUBLISH packets again, with
 * DUP set [MQTT-3.3.1-1] and their original Packet Identifiers, and PUBREL for QoS 2 messages already PUBREC'd.
 * Raw packets: real clients acknowledge by themselves.
 */
class RedeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(3);
    private RunningBroker broker;

    @BeforeEach
    void start() {
        broker = RunningBroker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void qos1MessageIsRedeliveredWithDupAndSamePacketIdAfterReconnectWithCleanStartFalse(MqttVersion version)
            throws Exception {
        int firstId;
        try (RawMqttClient sub = persistentSubscriber(version, "r1-" + version, 1)) {
            broker.broker().publish(Message.of("r/1", "once", QoS.AT_LEAST_ONCE, false)).join();
            MqttPublishMessage first = (MqttPublishMessage) sub.expect(MqttMessageType.PUBLISH, WAIT);
            firstId = first.variableHeader().packetId();
            assertFalse(first.fixedHeader().isDup());
            first.release();
            // No PUBACK: the connection drops.
        }
        try (RawMqttClient again = reconnect(version, "r1-" + version)) {
            MqttPublishMessage resent = (MqttPublishMessage) again.expect(MqttMessageType.PUBLISH, WAIT);
            try {
                assertTrue(resent.fixedHeader().isDup(), "DUP must be set on a redelivery [MQTT-3.3.1-1]");
                assertEquals(firstId, resent.variableHeader().packetId());
                assertEquals(1, resent.fixedHeader().qosLevel().value());
                assertEquals("r/1", resent.variableHeader().topicName());
                assertEquals("once", resent.payload().toString(StandardCharsets.UTF_8));
            } finally {
                resent.release();
            }
            again.ack(MqttMessageType.PUBACK, firstId);
            assertNull(nextOrNull(again), "delivered again after PUBACK");
            Await.until(WAIT, "nothing in flight", () -> broker.broker().stats().inFlight() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void qos2MessageWithoutPubrecIsRedeliveredWithDupAndSamePacketId(MqttVersion version) throws Exception {
        int firstId;
        try (RawMqttClient sub = persistentSubscriber(version, "r2-" + version, 2)) {
            broker.broker().publish(Message.of("r/2", "exactly", QoS.EXACTLY_ONCE, false)).join();
            MqttPublishMessage first = (MqttPublishMessage) sub.expect(MqttMessageType.PUBLISH, WAIT);
            firstId = first.variableHeader().packetId();
            first.release();
        }
        try (RawMqttClient again = reconnect(version, "r2-" + version)) {
            MqttPublishMessage resent = (MqttPublishMessage) again.expect(MqttMessageType.PUBLISH, WAIT);
            try {
                assertTrue(resent.fixedHeader().isDup());
                assertEquals(firstId, resent.variableHeader().packetId());
                assertEquals(2, resent.fixedHeader().qosLevel().value());
            } finally {
                resent.release();
            }
            again.ack(MqttMessageType.PUBREC, firstId);
            assertEquals(firstId, RawMqttClient.packetId(again.expect(MqttMessageType.PUBREL, WAIT)));
            again.ack(MqttMessageType.PUBCOMP, firstId);
            Await.until(WAIT, "nothing in flight", () -> broker.broker().stats().inFlight() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void pubrecdQos2MessageGetsPubrelResentNotThePublish(MqttVersion version) throws Exception {
        int firstId;
        try (RawMqttClient sub = persistentSubscriber(version, "r3-" + version, 2)) {
            broker.broker().publish(Message.of("r/3", "released", QoS.EXACTLY_ONCE, false)).join();
            MqttPublishMessage first = (MqttPublishMessage) sub.expect(MqttMessageType.PUBLISH, WAIT);
            firstId = first.variableHeader().packetId();
            first.release();
            sub.ack(MqttMessageType.PUBREC, firstId);
            assertEquals(firstId, RawMqttClient.packetId(sub.expect(MqttMessageType.PUBREL, WAIT)));
            // No PUBCOMP: the connection drops.
        }
        try (RawMqttClient again = reconnect(version, "r3-" + version)) {
            // The PUBREL is resent with its original Packet Identifier, and the PUBLISH is not [MQTT-4.4.0-1].
            MqttMessage resent = again.expect(MqttMessageType.PUBREL, WAIT);
            assertEquals(firstId, RawMqttClient.packetId(resent));
            assertNull(nextOrNull(again), "the PUBLISH came again after PUBREC");
            again.ack(MqttMessageType.PUBCOMP, firstId);
            Await.until(WAIT, "nothing in flight", () -> broker.broker().stats().inFlight() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void unacknowledgedMessageIsNotRedeliveredAfterReconnectWithCleanStart(MqttVersion version) throws Exception {
        try (RawMqttClient sub = persistentSubscriber(version, "r4-" + version, 1)) {
            broker.broker().publish(Message.of("r/4", "dropped", QoS.AT_LEAST_ONCE, false)).join();
            ReferenceCountUtil.release(sub.expect(MqttMessageType.PUBLISH, WAIT));
        }
        try (RawMqttClient fresh = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = (MqttConnAckMessage) fresh.connect(version, "r4-" + version, true, null);
            assertFalse(ack.variableHeader().isSessionPresent());
            assertNull(nextOrNull(fresh), "a clean start must not resume the old session's deliveries");
        }
    }

    @Test
    void resendAfterReconnectHonoursTheNewReceiveMaximum() throws Exception {
        try (RawMqttClient sub = persistentSubscriber(MqttVersion.MQTT_5, "rm", 1)) {
            for (int i = 1; i <= 3; i++) {
                broker.broker().publish(Message.of("r/" + i, "m" + i, QoS.AT_LEAST_ONCE, false)).join();
                ReferenceCountUtil.release(sub.expect(MqttMessageType.PUBLISH, WAIT));
            }
        }
        MqttProperties properties = expiry(MqttVersion.MQTT_5);
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(), 1));
        try (RawMqttClient again = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = (MqttConnAckMessage) again.connect(MqttVersion.MQTT_5, "rm", false, properties);
            assertTrue(ack.variableHeader().isSessionPresent());
            MqttPublishMessage first = (MqttPublishMessage) again.expect(MqttMessageType.PUBLISH, WAIT);
            first.release();
            // Receive Maximum 1 on this connection: no second unacknowledged PUBLISH, resends included [MQTT-3.3.4-9].
            MqttMessage extra = nextOrNull(again);
            assertNull(extra, "sent a second unacknowledged PUBLISH to a client with Receive Maximum 1: " + extra);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void clientsQos2StateSurvivesReconnectSoItsPubrelIsCompletedAndTheMessageDeliveredOnce(MqttVersion version)
            throws Exception {
        try (RawMqttClient watcher = new RawMqttClient(broker.port())) {
            watcher.connect(MqttVersion.MQTT_3_1_1, "q2-watcher-" + version, true, null);
            watcher.subscribe(1, "inbound/#", 1);
            watcher.expect(MqttMessageType.SUBACK, WAIT);
            try (RawMqttClient pub = new RawMqttClient(broker.port())) {
                pub.connect(version, "q2-pub-" + version, false, expiry(version));
                pub.publish("inbound/1", "once".getBytes(StandardCharsets.UTF_8), 2, false, 42, false, null);
                assertEquals(42, RawMqttClient.packetId(pub.expect(MqttMessageType.PUBREC, WAIT)));
                // No PUBREL: the connection drops.
            }
            MqttPublishMessage delivered = (MqttPublishMessage) watcher.expect(MqttMessageType.PUBLISH, WAIT);
            watcher.ack(MqttMessageType.PUBACK, delivered.variableHeader().packetId());
            delivered.release();
            try (RawMqttClient pub = new RawMqttClient(broker.port())) {
                MqttConnAckMessage ack = (MqttConnAckMessage) pub.connect(version, "q2-pub-" + version, false,
                        expiry(version));
                assertTrue(ack.variableHeader().isSessionPresent());
                // The client resends the PUBLISH with DUP (it may not have seen PUBREC), then PUBREL [MQTT-4.4.0-1];
                // the server keeps the id as session state and must not deliver it again [MQTT-4.3.3-10] (3.1.1: [MQTT-4.3.3-2]).
                pub.publish("inbound/1", "once".getBytes(StandardCharsets.UTF_8), 2, false, 42, true, null);
                assertEquals(42, RawMqttClient.packetId(pub.expect(MqttMessageType.PUBREC, WAIT)));
                pub.ack(MqttMessageType.PUBREL, 42);
                MqttMessage pubcomp = pub.expect(MqttMessageType.PUBCOMP, WAIT);
                assertEquals(42, RawMqttClient.packetId(pubcomp));
                if (version == MqttVersion.MQTT_5
                        && pubcomp.variableHeader() instanceof io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader r) {
                    assertEquals(0, r.reasonCode(), "PUBCOMP with an error for a PUBREL the session knew");
                }
            }
            assertNull(nextOrNull(watcher), "the QoS 2 message was delivered twice");
        }
    }

    /** Connects with Clean Start 0 (MQTT 5: Session Expiry 60 s) and subscribes to r/# at {@code qos}. */
    private RawMqttClient persistentSubscriber(MqttVersion version, String clientId, int qos) throws Exception {
        RawMqttClient sub = new RawMqttClient(broker.port());
        MqttConnAckMessage ack = (MqttConnAckMessage) sub.connect(version, clientId, false, expiry(version));
        assertEquals(0, ack.variableHeader().connectReturnCode().byteValue());
        sub.subscribe(1, "r/#", qos);
        sub.expect(MqttMessageType.SUBACK, WAIT);
        return sub;
    }

    private RawMqttClient reconnect(MqttVersion version, String clientId) throws Exception {
        RawMqttClient again = new RawMqttClient(broker.port());
        MqttConnAckMessage ack = (MqttConnAckMessage) again.connect(version, clientId, false, expiry(version));
        assertTrue(ack.variableHeader().isSessionPresent());
        return again;
    }

    private static MqttProperties expiry(MqttVersion version) {
        if (version != MqttVersion.MQTT_5) {
            return null;
        }
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(
                MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 60));
        return properties;
    }

    /** Whatever packet arrives in the next 300 ms, released, or null. */
    private static MqttMessage nextOrNull(RawMqttClient client) throws Exception {
        MqttMessage next = client.next(Duration.ofMillis(300));
        ReferenceCountUtil.release(next);
        return next;
    }
}
