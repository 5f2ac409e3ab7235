package io.tributary.broker.persistence;

import static io.tributary.broker.persistence.Restarts.WAIT;
import static io.tributary.broker.persistence.Restarts.awaitOffline;
import static io.tributary.broker.persistence.Restarts.nextOrNull;
import static io.tributary.broker.persistence.Restarts.persistent;
import static io.tributary.broker.persistence.Restarts.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Persistent sessions survive a graceful restart of the broker: a new broker on the same directory resumes
 * them with Session Present 1, their subscriptions and options, their queued and in-flight messages (each
 * delivered once, in order) and their QoS 2 state, while expiry, message expiry and Clean Start work as if
 * the broker had never stopped.
 */
class GracefulRestartTest {
    @TempDir
    Path dir;

    @Test
    void mqtt5SessionGetsItsQueuedMessagesOnceAndInOrderAfterARestart() throws Exception {
        try (RunningBroker first = Restarts.start(dir)) {
            Mqtt5BlockingClient client = Restarts.v5(first, "v5-keeper");
            assertFalse(client.connectWith().sessionExpiryInterval(300).send().isSessionPresent());
            client.subscribeWith().topicFilter("q/#").qos(MqttQos.EXACTLY_ONCE).send();
            client.disconnect();
            awaitOffline(first);
            for (int i = 1; i <= 6; i++) {
                QoS qos = i % 2 == 0 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE;
                first.broker().publish(Message.of("q/" + i, "m" + i, qos, false)).join();
            }
            assertEquals(6, first.broker().stats().queued());
        }
        try (RunningBroker second = Restarts.start(dir)) {
            assertEquals(1, second.broker().stats().sessions());
            assertEquals(6, second.broker().stats().queued());
            Mqtt5BlockingClient client = Restarts.v5(second, "v5-keeper");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                assertTrue(client.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent());
                for (int i = 1; i <= 6; i++) {
                    Mqtt5Publish publish = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                    assertEquals("m" + i, text(publish));
                    assertEquals(i % 2 == 0 ? MqttQos.EXACTLY_ONCE : MqttQos.AT_LEAST_ONCE, publish.getQos());
                }
                // The subscription is still there for what is published from now on.
                second.broker().publish(Message.of("q/new", "fresh", QoS.AT_LEAST_ONCE, false)).join();
                assertEquals("fresh", text(publishes.receive(3, TimeUnit.SECONDS).orElseThrow()));
                assertEquals(Optional.empty(), publishes.receive(300, TimeUnit.MILLISECONDS), "delivered twice");
            }
            client.disconnect();
        }
    }

    @Test
    void mqtt311PersistentSessionGetsItsQueuedMessagesOnceAndInOrderAfterARestart() throws Exception {
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        try (RunningBroker first = Restarts.start(dir)) {
            MqttClient paho = paho(first, "v311-keeper", new LinkedBlockingQueue<>());
            assertFalse(paho.connectWithResult(persistent).getSessionPresent());
            paho.subscribe("q/#", 2);
            paho.disconnect();
            paho.close();
            awaitOffline(first);
            // QoS 2 last: Paho hands a QoS 2 message to the application only once PUBREL arrived, after the
            // QoS 1 messages sent behind it.
            for (int i = 1; i <= 4; i++) {
                QoS qos = i == 4 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE;
                first.broker().publish(Message.of("q/" + i, "m" + i, qos, false)).join();
            }
        }
        try (RunningBroker second = Restarts.start(dir)) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttClient paho = paho(second, "v311-keeper", received);
            assertTrue(paho.connectWithResult(persistent).getSessionPresent());
            for (int i = 1; i <= 4; i++) {
                assertEquals("m" + i, received.poll(3, TimeUnit.SECONDS));
            }
            second.broker().publish(Message.of("q/new", "fresh", QoS.AT_LEAST_ONCE, false)).join();
            assertEquals("fresh", received.poll(3, TimeUnit.SECONDS));
            assertNull(received.poll(300, TimeUnit.MILLISECONDS), "delivered twice");
            paho.disconnect();
            paho.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void unacknowledgedMessagesAreSentAgainWithDupAfterARestartBeforeTheQueue(MqttVersion version) throws Exception {
        int[] ids = new int[3];
        try (RunningBroker first = Restarts.start(dir, config -> config.maxInFlight(3));
             RawMqttClient sub = new RawMqttClient(first.port())) {
            sub.connect(version, "in-flight", false, persistent(version));
            sub.subscribe(1, "f/#", 2);
            sub.expect(MqttMessageType.SUBACK, WAIT);
            QoS[] qos = {QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE, QoS.EXACTLY_ONCE, QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE};
            for (int i = 0; i < qos.length; i++) {
                first.broker().publish(Message.of("f/" + (i + 1), "m" + (i + 1), qos[i], false)).join();
            }
            for (int i = 0; i < 3; i++) {
                MqttPublishMessage publish = (MqttPublishMessage) sub.expect(MqttMessageType.PUBLISH, WAIT);
                ids[i] = publish.variableHeader().packetId();
                assertEquals("m" + (i + 1), payload(publish));
            }
            sub.ack(MqttMessageType.PUBREC, ids[2]);
            assertEquals(ids[2], RawMqttClient.packetId(sub.expect(MqttMessageType.PUBREL, WAIT)));
            // m1 unacknowledged, m2 without PUBREC, m3 without PUBCOMP, m4 and m5 queued: the broker stops now.
        }
        try (RunningBroker second = Restarts.start(dir, config -> config.maxInFlight(3));
             RawMqttClient again = new RawMqttClient(second.port())) {
            MqttConnAckMessage ack = (MqttConnAckMessage) again.connect(version, "in-flight", false, persistent(version));
            assertTrue(ack.variableHeader().isSessionPresent());
            // Sent again with DUP and their packet identifiers, PUBREL for the one PUBREC'd [MQTT-4.4.0-1].
            assertResent(again.expect(MqttMessageType.PUBLISH, WAIT), ids[0], "m1", 1);
            assertResent(again.expect(MqttMessageType.PUBLISH, WAIT), ids[1], "m2", 2);
            assertEquals(ids[2], RawMqttClient.packetId(again.expect(MqttMessageType.PUBREL, WAIT)));
            assertNull(nextOrNull(again), "more than the in-flight window of 3 was sent");

            again.ack(MqttMessageType.PUBACK, ids[0]);
            again.ack(MqttMessageType.PUBREC, ids[1]);
            again.ack(MqttMessageType.PUBCOMP, ids[2]);
            List<String> next = new ArrayList<>();
            List<Integer> newIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MqttMessage packet = again.next(WAIT);
                if (packet instanceof MqttPublishMessage publish) {
                    assertFalse(publish.fixedHeader().isDup(), "a queued message was never sent before");
                    newIds.add(publish.variableHeader().packetId());
                    next.add(payload(publish));
                } else {
                    assertEquals(MqttMessageType.PUBREL, packet.fixedHeader().messageType(), String.valueOf(packet));
                    next.add("PUBREL " + RawMqttClient.packetId(packet));
                }
            }
            assertEquals(List.of("m4", "m5"), next.stream().filter(s -> s.startsWith("m")).toList());
            assertTrue(next.contains("PUBREL " + ids[1]), next.toString());
            again.ack(MqttMessageType.PUBCOMP, ids[1]);
            again.ack(MqttMessageType.PUBACK, newIds.get(0));
            again.ack(MqttMessageType.PUBREC, newIds.get(1));
            assertEquals(newIds.get(1), RawMqttClient.packetId(again.expect(MqttMessageType.PUBREL, WAIT)));
            again.ack(MqttMessageType.PUBCOMP, newIds.get(1));
            Await.until(WAIT, "nothing in flight or queued", () -> second.broker().stats(),
                    s -> s.inFlight() == 0 && s.queued() == 0);
            assertNull(nextOrNull(again), "delivered twice");
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void aResentQos2PublishThatWasAcceptedBeforeTheRestartIsNotDeliveredAgain(MqttVersion version) throws Exception {
        try (RunningBroker first = Restarts.start(dir)) {
            try (RawMqttClient watcher = new RawMqttClient(first.port());
                 RawMqttClient pub = new RawMqttClient(first.port())) {
                watcher.connect(MqttVersion.MQTT_3_1_1, "watcher", false, null);
                watcher.subscribe(1, "in/#", 1);
                watcher.expect(MqttMessageType.SUBACK, WAIT);
                pub.connect(version, "qos2-publisher", false, persistent(version));
                pub.publish("in/1", "once".getBytes(StandardCharsets.UTF_8), 2, false, 42, false, null);
                assertEquals(42, RawMqttClient.packetId(pub.expect(MqttMessageType.PUBREC, WAIT)));
                MqttPublishMessage delivered = (MqttPublishMessage) watcher.expect(MqttMessageType.PUBLISH, WAIT);
                watcher.ack(MqttMessageType.PUBACK, delivered.variableHeader().packetId());
                delivered.release();
                Await.until(WAIT, "the delivery acknowledged", () -> first.broker().stats().inFlight() == 0);
                // No PUBREL: the broker stops.
            }
        }
        try (RunningBroker second = Restarts.start(dir)) {
            try (RawMqttClient pub = new RawMqttClient(second.port())) {
                MqttConnAckMessage ack = (MqttConnAckMessage) pub.connect(version, "qos2-publisher", false,
                        persistent(version));
                assertTrue(ack.variableHeader().isSessionPresent());
                // The client resends with DUP, not knowing whether PUBREC came [MQTT-4.4.0-1]: not delivered again.
                pub.publish("in/1", "once".getBytes(StandardCharsets.UTF_8), 2, false, 42, true, null);
                assertEquals(42, RawMqttClient.packetId(pub.expect(MqttMessageType.PUBREC, WAIT)));
                pub.ack(MqttMessageType.PUBREL, 42);
                MqttMessage pubcomp = pub.expect(MqttMessageType.PUBCOMP, WAIT);
                if (pubcomp.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply) {
                    assertEquals(0, reply.reasonCode(), "the restored session did not know packet identifier 42");
                }
            }
            try (RawMqttClient watcher = new RawMqttClient(second.port())) {
                MqttConnAckMessage ack = (MqttConnAckMessage) watcher.connect(MqttVersion.MQTT_3_1_1, "watcher", false,
                        null);
                assertTrue(ack.variableHeader().isSessionPresent());
                assertNull(nextOrNull(watcher), "the QoS 2 message was delivered twice");
            }
        }
    }

    @Test
    void subscriptionOptionsAndSharedSubscriptionsSurviveARestart() throws Exception {
        MqttSubscriptionOption options = new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, true, true,
                MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS);
        try (RunningBroker first = Restarts.start(dir);
             RawMqttClient client = new RawMqttClient(first.port())) {
            client.connect(MqttVersion.MQTT_5, "options", true, persistent(MqttVersion.MQTT_5));
            subscribeWithIdentifier(client, 1, "opt/#", options, 7);
            client.send(MqttMessageBuilders.subscribe().messageId(2)
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/group/shared/#").build());
            client.expect(MqttMessageType.SUBACK, WAIT);
        }
        try (RunningBroker second = Restarts.start(dir);
             RawMqttClient client = new RawMqttClient(second.port())) {
            MqttConnAckMessage ack = (MqttConnAckMessage) client.connect(MqttVersion.MQTT_5, "options", false,
                    persistent(MqttVersion.MQTT_5));
            assertTrue(ack.variableHeader().isSessionPresent());
            // No Local: its own message does not come back.
            client.publish("opt/self", "mine".getBytes(StandardCharsets.UTF_8), 1, false, 11, false, null);
            assertEquals(11, RawMqttClient.packetId(client.expect(MqttMessageType.PUBACK, WAIT)));
            // Retain As Published, and the Subscription Identifier.
            second.broker().publish(Message.of("opt/retained", "kept", QoS.AT_LEAST_ONCE, true)).join();
            MqttPublishMessage publish = (MqttPublishMessage) client.expect(MqttMessageType.PUBLISH, WAIT);
            try {
                assertEquals("opt/retained", publish.variableHeader().topicName());
                assertTrue(publish.fixedHeader().isRetain(), "Retain As Published was lost");
                assertEquals(List.of(7), publish.variableHeader().properties()
                        .getProperties(MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value())
                        .stream().map(p -> (Integer) p.value()).toList());
                client.ack(MqttMessageType.PUBACK, publish.variableHeader().packetId());
            } finally {
                publish.release();
            }
            // Retain Handling 1: subscribing again to a subscription that exists sends no retained message.
            subscribeWithIdentifier(client, 3, "opt/#", options, 7);
            assertNull(nextOrNull(client), "the subscription was not restored: the retained message came");
            // The shared subscription still has this session as its member.
            second.broker().publish(Message.of("shared/x", "to the group", QoS.AT_LEAST_ONCE, false)).join();
            MqttPublishMessage shared = (MqttPublishMessage) client.expect(MqttMessageType.PUBLISH, WAIT);
            assertEquals("to the group", payload(shared));
            client.ack(MqttMessageType.PUBACK, shared.variableHeader().packetId());
        }
    }

    @Test
    void aCleanStartDiscardsARestoredSession() throws Exception {
        try (RunningBroker first = Restarts.start(dir)) {
            Mqtt5BlockingClient client = Restarts.v5(first, "starts-over");
            client.connectWith().sessionExpiryInterval(300).send();
            client.subscribeWith().topicFilter("c/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            awaitOffline(first);
            first.broker().publish(Message.of("c/1", "stale", QoS.AT_LEAST_ONCE, false)).join();
        }
        try (RunningBroker second = Restarts.start(dir)) {
            assertEquals(1, second.broker().stats().queued());
            Mqtt5BlockingClient client = Restarts.v5(second, "starts-over");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                assertFalse(client.connectWith().cleanStart(true).sessionExpiryInterval(300).send().isSessionPresent());
                second.broker().publish(Message.of("c/2", "unsubscribed", QoS.AT_LEAST_ONCE, false)).join();
                assertEquals(Optional.empty(), publishes.receive(300, TimeUnit.MILLISECONDS));
                assertEquals(0, second.broker().stats().queued());
            }
            client.disconnect();
        }
    }

    @Test
    void aSessionWhoseExpiryPassedWhileTheBrokerWasDownIsNotRestored() throws Exception {
        try (RunningBroker first = Restarts.start(dir)) {
            for (String id : List.of("short-lived", "long-lived")) {
                Mqtt5BlockingClient client = Restarts.v5(first, id);
                client.connectWith().sessionExpiryInterval(id.startsWith("short") ? 1 : 300).send();
                client.subscribeWith().topicFilter("e/#").qos(MqttQos.AT_LEAST_ONCE).send();
                client.disconnect();
            }
            awaitOffline(first);
        }
        Await.sleep(1_200);
        try (RunningBroker second = Restarts.start(dir)) {
            assertEquals(1, second.broker().stats().sessions());
            Mqtt5BlockingClient expired = Restarts.v5(second, "short-lived");
            assertFalse(expired.connectWith().cleanStart(false).sessionExpiryInterval(1).send().isSessionPresent());
            expired.disconnect();
            Mqtt5BlockingClient kept = Restarts.v5(second, "long-lived");
            assertTrue(kept.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent());
            kept.disconnect();
        }
    }

    @Test
    void messageExpiryKeepsCountingWhileTheBrokerIsDown() throws Exception {
        long published;
        try (RunningBroker first = Restarts.start(dir)) {
            Mqtt5BlockingClient client = Restarts.v5(first, "expiring");
            client.connectWith().sessionExpiryInterval(300).send();
            client.subscribeWith().topicFilter("x/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            awaitOffline(first);
            published = System.currentTimeMillis();
            first.broker().publish(expiring("x/short", 1, published)).join();
            first.broker().publish(expiring("x/long", 120, published)).join();
        }
        Await.sleep(Math.max(0, published + 2_100 - System.currentTimeMillis()));
        try (RunningBroker second = Restarts.start(dir)) {
            assertEquals(1, second.broker().stats().queued(), "the expired message was not dropped");
            Mqtt5BlockingClient client = Restarts.v5(second, "expiring");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
                Mqtt5Publish publish = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("x/long", publish.getTopic().toString());
                long remaining = publish.getMessageExpiryInterval().orElseThrow();
                assertTrue(remaining <= 118 && remaining > 100, "the expiry did not count the downtime: " + remaining);
                assertEquals(Optional.empty(), publishes.receive(300, TimeUnit.MILLISECONDS));
            }
            client.disconnect();
        }
    }

    @Test
    void inProcessSubscriptionsAreNotSaved() throws Exception {
        try (RunningBroker first = Restarts.start(dir)) {
            first.broker().subscribe("in/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE),
                    message -> CompletableFuture.completedFuture(null));
            Mqtt5BlockingClient client = Restarts.v5(first, "mqtt-client");
            client.connectWith().sessionExpiryInterval(300).send();
            client.subscribeWith().topicFilter("in/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            awaitOffline(first);
        }
        try (RunningBroker second = Restarts.start(dir)) {
            assertEquals(1, second.broker().stats().sessions(), "only the MQTT client's session is kept");
            second.broker().publish(Message.of("in/1", "x", QoS.AT_LEAST_ONCE, false)).join();
            assertEquals(1, second.broker().stats().queued(), "only the MQTT client's session queued it");
        }
    }

    private static Message expiring(String topic, long seconds, long receivedAt) {
        return new Message(topic, topic.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                MessageProperties.NONE.withMessageExpirySeconds(seconds), null, receivedAt);
    }

    private static void subscribeWithIdentifier(RawMqttClient client, int packetId, String filter,
                                                MqttSubscriptionOption options, int identifier) throws Exception {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(
                MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), identifier));
        client.send(MqttMessageBuilders.subscribe().messageId(packetId).properties(properties)
                .addSubscription(filter, options).build());
        client.expect(MqttMessageType.SUBACK, WAIT);
    }

    private static void assertResent(MqttMessage packet, int packetId, String payload, int qos) {
        MqttPublishMessage publish = (MqttPublishMessage) packet;
        assertTrue(publish.fixedHeader().isDup(), "DUP must be set on a redelivery [MQTT-3.3.1-1]");
        assertEquals(packetId, publish.variableHeader().packetId());
        assertEquals(qos, publish.fixedHeader().qosLevel().value());
        assertEquals(payload, payload(publish));
    }

    /** The payload as text; releases the packet. */
    private static String payload(MqttPublishMessage publish) {
        try {
            return publish.payload().toString(StandardCharsets.UTF_8);
        } finally {
            publish.release();
        }
    }

    private static MqttClient paho(RunningBroker broker, String clientId, BlockingQueue<String> inbox) throws Exception {
        MqttClient paho = new MqttClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
        paho.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                inbox.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        return paho;
    }
}
