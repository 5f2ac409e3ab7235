package io.tributary.broker.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The {@code $SYS/broker/...} topics: what they hold, who gets them, and that clients cannot write them. */
class SysTopicsTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static RunningBroker broker(Duration interval) {
        return RunningBroker.start(config -> config.sysInterval(interval));
    }

    private static RawMqttClient connect(RunningBroker broker, MqttVersion version, String clientId) throws IOException {
        RawMqttClient client = new RawMqttClient(broker.port());
        MqttConnAckMessage ack = (MqttConnAckMessage) client.connect(version, clientId, true, null);
        assertEquals(0, ack.variableHeader().connectReturnCode().byteValue(), "CONNACK");
        return client;
    }

    private static void subscribe(RawMqttClient client, String filter) throws IOException {
        client.subscribe(1, filter, 0);
        MqttSubAckMessage ack = (MqttSubAckMessage) client.expect(MqttMessageType.SUBACK, WAIT);
        assertEquals(0, ack.payload().reasonCodes().get(0), "granted QoS 0 for " + filter);
    }

    /** A PUBLISH received, copied out of its buffer. */
    private record Received(String topic, String text, boolean retain) {
    }

    private static Received nextPublish(RawMqttClient client, Duration timeout) throws IOException {
        MqttMessage message = client.next(timeout);
        if (message == null) {
            return null;
        }
        try {
            if (!(message instanceof MqttPublishMessage publish)) {
                throw new AssertionError("expected PUBLISH but got " + message);
            }
            return new Received(publish.variableHeader().topicName(),
                    new String(ByteBufUtil.getBytes(publish.payload()), StandardCharsets.UTF_8),
                    publish.fixedHeader().isRetain());
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    /** Reads PUBLISH packets until every topic in {@code wanted} arrived; returns the last payload of each topic. */
    private static Map<String, Received> readUntil(RawMqttClient client, List<String> wanted) throws IOException {
        Map<String, Received> seen = new HashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!seen.keySet().containsAll(wanted)) {
            long left = deadline - System.nanoTime();
            Received r = left > 0 ? nextPublish(client, Duration.ofNanos(left)) : null;
            if (r == null) {
                throw new AssertionError("expected " + wanted + " but got only " + seen.keySet());
            }
            seen.put(r.topic(), r);
        }
        return seen;
    }

    private static String retained(RunningBroker broker, String topic) {
        List<Message> found = broker.broker().retained(topic);
        return found.isEmpty() ? null : found.get(0).payloadAsString();
    }

    @Test
    void subscriberToSysGetsVersionUptimeAndConnectedClients() throws Exception {
        try (RunningBroker broker = broker(INTERVAL);
             RawMqttClient sub = connect(broker, MqttVersion.MQTT_5, "sys-watcher")) {
            subscribe(sub, "$SYS/#");
            Map<String, Received> got = readUntil(sub, List.of("$SYS/broker/version", "$SYS/broker/uptime",
                    "$SYS/broker/clients/connected", "$SYS/broker/messages/received",
                    "$SYS/broker/subscriptions/count", "$SYS/broker/retained messages/count",
                    "$SYS/broker/load/messages/received/1min"));

            assertTrue(got.get("$SYS/broker/version").text().matches("tributary version \\d+\\.\\d+.*"),
                    got.get("$SYS/broker/version").text());
            assertTrue(got.get("$SYS/broker/uptime").text().matches("\\d+ seconds"), got.get("$SYS/broker/uptime").text());
            // The tick that published it may have run before this client connected, so 0 or 1; the live value is 1.
            Await.until(WAIT, "clients/connected = 1", () -> retained(broker, "$SYS/broker/clients/connected"),
                    "1"::equals);
            assertTrue(got.get("$SYS/broker/load/messages/received/1min").text().matches("\\d+\\.\\d\\d"));
        }
    }

    @Test
    void uptimeIsPublishedEveryIntervalButUnchangedValuesAreNot() throws Exception {
        try (RunningBroker broker = broker(INTERVAL);
             RawMqttClient sub = connect(broker, MqttVersion.MQTT_3_1_1, "sys-watcher")) {
            subscribe(sub, "$SYS/broker/#");
            // Drain the retained values, then listen to the live ones for a few intervals.
            long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
            while (System.nanoTime() < until && nextPublish(sub, Duration.ofMillis(50)) != null) {
                // retained snapshot
            }
            int uptimes = 0;
            int versions = 0;
            long end = System.nanoTime() + Duration.ofMillis(1100).toNanos();
            while (System.nanoTime() < end) {
                Received r = nextPublish(sub, Duration.ofMillis(100));
                if (r == null) {
                    continue;
                }
                assertFalse(r.retain(), "live messages to an established subscription have RETAIN 0");
                if (r.topic().equals("$SYS/broker/uptime")) {
                    uptimes++;
                } else if (r.topic().equals("$SYS/broker/version")) {
                    versions++;
                }
            }
            assertTrue(uptimes >= 3, "uptime every interval, got " + uptimes);
            assertEquals(0, versions, "the version does not change, so it is not published again");
        }
    }

    @Test
    void lateSubscriberGetsTheRetainedValues() throws Exception {
        try (RunningBroker broker = broker(INTERVAL)) {
            Await.until(WAIT, "the first $SYS tick", () -> retained(broker, "$SYS/broker/version") != null);
            try (RawMqttClient late = connect(broker, MqttVersion.MQTT_3_1_1, "late")) {
                subscribe(late, "$SYS/broker/version"); // published once: only the retained copy comes
                Received version = nextPublish(late, WAIT);
                assertNotNull(version, "the retained version");
                assertEquals("$SYS/broker/version", version.topic());
                assertTrue(version.retain(), "sent because of the new subscription: RETAIN 1");
                assertTrue(version.text().startsWith("tributary version "));
            }
        }
    }

    @Test
    void hashSubscriberGetsNoSysMessages() throws Exception {
        try (RunningBroker broker = broker(INTERVAL);
             RawMqttClient all = connect(broker, MqttVersion.MQTT_5, "everything")) {
            Await.until(WAIT, "the first $SYS tick", () -> retained(broker, "$SYS/broker/uptime") != null);
            subscribe(all, "#");
            // Neither the retained $SYS values nor the live ones (several intervals) [MQTT-4.7.2-1].
            Received got = nextPublish(all, INTERVAL.multipliedBy(4));
            assertEquals(null, got, "a '#' subscriber got " + got);
        }
    }

    @Test
    void valuesChangeAfterAClientConnectsAndSubscribes() throws Exception {
        try (RunningBroker broker = broker(INTERVAL)) {
            Await.until(WAIT, "no client connected", () -> retained(broker, "$SYS/broker/clients/connected"), "0"::equals);
            // Published in the same round as clients/connected, but stored a moment later.
            Await.until(WAIT, "a subscription count", () -> retained(broker, "$SYS/broker/subscriptions/count"),
                    v -> v != null);
            String subscriptions = retained(broker, "$SYS/broker/subscriptions/count");
            try (RawMqttClient client = connect(broker, MqttVersion.MQTT_3_1_1, "newcomer")) {
                subscribe(client, "some/topic");
                Await.until(WAIT, "one client connected", () -> retained(broker, "$SYS/broker/clients/connected"),
                        "1"::equals);
                Await.until(WAIT, "one more subscription", () -> retained(broker, "$SYS/broker/subscriptions/count"),
                        v -> v.equals(Long.toString(Long.parseLong(subscriptions) + 1)));
                Await.until(WAIT, "one session", () -> retained(broker, "$SYS/broker/clients/total"), "1"::equals);
                client.publish("some/topic", "x".getBytes(StandardCharsets.UTF_8), 0, false, 0, false, null);
                Await.until(WAIT, "one message received", () -> retained(broker, "$SYS/broker/messages/received"),
                        "1"::equals);
                Await.until(WAIT, "bytes received", () -> retained(broker, "$SYS/broker/bytes/received"),
                        v -> Long.parseLong(v) > 0);
            }
            Await.until(WAIT, "the client gone", () -> retained(broker, "$SYS/broker/clients/connected"), "0"::equals);
        }
    }

    @Test
    void theBrokersOwnMessagesAreNotCountedAsReceived() throws Exception {
        try (RunningBroker broker = broker(INTERVAL)) {
            Await.sleep(INTERVAL.toMillis() * 4);
            assertEquals("0", retained(broker, "$SYS/broker/messages/received"));
            assertEquals(0, broker.broker().stats().messagesReceived());
        }
    }

    @Test
    void zeroIntervalPublishesNothing() throws Exception {
        List<Message> seen = new CopyOnWriteArrayList<>();
        try (RunningBroker broker = broker(Duration.ZERO);
             InProcessSubscription sys = broker.broker().subscribe("$SYS/#", SubscribeOptions.of(QoS.AT_MOST_ONCE),
                     message -> {
                         seen.add(message);
                         return CompletableFuture.completedFuture(null);
                     });
             RawMqttClient sub = connect(broker, MqttVersion.MQTT_3_1_1, "sys-watcher")) {
            subscribe(sub, "$SYS/#");
            assertEquals(null, nextPublish(sub, Duration.ofMillis(600)));
            assertTrue(seen.isEmpty(), "in-process subscriber got " + seen);
            assertTrue(broker.broker().retained("$SYS/#").isEmpty());
        }
    }

    @Test
    void clientPublishToSysIsRefused() throws Exception {
        List<Message> seen = new CopyOnWriteArrayList<>();
        try (RunningBroker broker = broker(Duration.ZERO);
             InProcessSubscription sys = broker.broker().subscribe("$SYS/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE),
                     message -> {
                         seen.add(message);
                         return CompletableFuture.completedFuture(null);
                     });
             RawMqttClient v5 = connect(broker, MqttVersion.MQTT_5, "v5");
             RawMqttClient v3 = connect(broker, MqttVersion.MQTT_3_1_1, "v3")) {
            byte[] payload = "fake".getBytes(StandardCharsets.UTF_8);

            // MQTT 5, QoS 1: PUBACK 0x87 Not authorized.
            v5.publish("$SYS/x", payload, 1, true, 7, false, null);
            MqttMessage ack = v5.expect(MqttMessageType.PUBACK, WAIT);
            assertEquals(7, RawMqttClient.packetId(ack));
            assertEquals(0x87, ((MqttPubReplyMessageVariableHeader) ack.variableHeader()).reasonCode() & 0xFF);
            // MQTT 5, QoS 0: dropped.
            v5.publish("$SYS/broker/version", payload, 0, true, 0, false, null);
            // MQTT 3.1.1 has no negative acknowledgement: acknowledged, and dropped (as Mosquitto does).
            v3.publish("$SYS", payload, 1, true, 3, false, null);
            MqttMessage ack3 = v3.expect(MqttMessageType.PUBACK, WAIT);
            assertEquals(3, RawMqttClient.packetId(ack3));
            v3.publish("$SYS/y", payload, 0, false, 0, false, null);

            // Publishes after the refused ones still work: the connections stay open, and the refused ones
            // reached nobody and were not retained.
            v5.publish("ok/after", payload, 1, false, 8, false, null);
            assertEquals(0, ((MqttPubReplyMessageVariableHeader) v5.expect(MqttMessageType.PUBACK, WAIT)
                    .variableHeader()).reasonCode());
            v3.publish("ok/after", payload, 1, false, 4, false, null);
            v3.expect(MqttMessageType.PUBACK, WAIT);
            assertTrue(seen.isEmpty(), "a $SYS subscriber got " + seen);
            assertTrue(broker.broker().retained("$SYS/#").isEmpty());
            assertTrue(broker.broker().retained("$SYS").isEmpty());
            assertEquals(2, broker.broker().stats().messagesReceived(), "only the two ok/after publishes");
        }
    }

    @Test
    void willOnASysTopicIsRefused() throws Exception {
        try (RunningBroker broker = broker(Duration.ZERO);
             RawMqttClient v5 = new RawMqttClient(broker.port());
             RawMqttClient v3 = new RawMqttClient(broker.port())) {
            v5.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("w5").cleanSession(true)
                    .willFlag(true).willTopic("$SYS/broker/version").willMessage("fake".getBytes(StandardCharsets.UTF_8))
                    .willQoS(MqttQoS.AT_MOST_ONCE).build());
            MqttConnAckMessage refused5 = (MqttConnAckMessage) v5.expect(MqttMessageType.CONNACK, WAIT);
            assertEquals(0x87, refused5.variableHeader().connectReturnCode().byteValue() & 0xFF);

            v3.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId("w3")
                    .cleanSession(true).willFlag(true).willTopic("$SYS/x")
                    .willMessage("fake".getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_MOST_ONCE).build());
            MqttConnAckMessage refused3 = (MqttConnAckMessage) v3.expect(MqttMessageType.CONNACK, WAIT);
            assertEquals(0x05, refused3.variableHeader().connectReturnCode().byteValue());
        }
    }
}
