package io.tributary.broker.persistence;

import static io.tributary.broker.persistence.Restarts.awaitOffline;
import static io.tributary.broker.persistence.Restarts.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retained messages survive a graceful restart; wills follow the spec for a server shutdown: one due at
 * once is published as the broker stops (it closes the connection without DISCONNECT), a delayed one goes
 * on waiting across the restart ("the Server MAY defer publication of Will Messages until a subsequent
 * restart", MQTT 5 section 3.1.2.5).
 */
class RetainedAndWillsRestartTest {
    private static final byte[] BINARY = {0, 1, (byte) 0xFF, (byte) 0x80, 0x7F, 0};

    @TempDir
    Path dir;

    @Test
    void retainedMessagesSurviveARestartWithTheirPayloadBytesAndProperties() throws Exception {
        try (RunningBroker first = Restarts.start(dir)) {
            Mqtt5BlockingClient publisher = Restarts.v5(first, "retainer");
            publisher.connect();
            publisher.publishWith().topic("r/a").payload(BINARY).retain(true).qos(MqttQos.AT_LEAST_ONCE)
                    .contentType("application/octet-stream").responseTopic("replies/a")
                    .correlationData("corr".getBytes(StandardCharsets.UTF_8))
                    .userProperties().add("k", "v1").add("k", "v2").applyUserProperties()
                    .messageExpiryInterval(300).send();
            publisher.publishWith().topic("r/cleared").payload("x".getBytes()).retain(true).send();
            publisher.publishWith().topic("r/cleared").payload(new byte[0]).retain(true).send();
            publisher.disconnect();
            first.broker().publish(Message.of("$SYS/broker/example", "stale", QoS.AT_MOST_ONCE, true)).join();
            assertEquals(2, first.broker().retainedMessages().size());
        }
        try (RunningBroker second = Restarts.start(dir)) {
            assertEquals(1, second.broker().retainedMessages().size(), "$SYS and cleared topics are not kept");
            Mqtt5BlockingClient subscriber = Restarts.v5(second, "late-comer");
            subscriber.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.subscribeWith().topicFilter("r/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5Publish retained = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("r/a", retained.getTopic().toString());
                assertTrue(retained.isRetain());
                assertEquals(MqttQos.AT_LEAST_ONCE, retained.getQos());
                assertArrayEquals(BINARY, retained.getPayloadAsBytes());
                assertEquals("application/octet-stream", retained.getContentType().orElseThrow().toString());
                assertEquals("replies/a", retained.getResponseTopic().orElseThrow().toString());
                assertEquals(ByteBuffer.wrap("corr".getBytes(StandardCharsets.UTF_8)),
                        retained.getCorrelationData().orElseThrow());
                assertEquals(List.of("k=v1", "k=v2"), retained.getUserProperties().asList().stream()
                        .map(p -> p.getName() + "=" + p.getValue()).toList());
                long remaining = retained.getMessageExpiryInterval().orElseThrow();
                assertTrue(remaining <= 300 && remaining > 250, "message expiry " + remaining);
                assertEquals(Optional.empty(), publishes.receive(300, TimeUnit.MILLISECONDS));
            }
            subscriber.disconnect();
        }
    }

    @Test
    void willsDueAtOnceGoOutWhenTheBrokerStopsAndDelayedOnesGoOnWaitingAcrossTheRestart() throws Exception {
        try (RunningBroker first = Restarts.start(dir)) {
            Mqtt5BlockingClient heir = Restarts.v5(first, "heir");
            heir.connectWith().sessionExpiryInterval(300).send();
            heir.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE).send();
            heir.disconnect();
            awaitOffline(first);
            connectWithWill(first, "abrupt", 0);
            connectWithWill(first, "delayed", 1);
            connectWithWill(first, "patient", 60);
            Await.until(Restarts.WAIT, "three connections", () -> first.broker().stats().connections() == 3);
            // The broker stops with the three connected: it closes their connections without a DISCONNECT.
        }
        Await.sleep(1_200);
        try (RunningBroker second = Restarts.start(dir)) {
            // "patient" is back before its delay passed: its will is not published [MQTT-3.1.3-9 and 3.1.2.5].
            Mqtt5BlockingClient patient = Restarts.v5(second, "patient");
            assertTrue(patient.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent());
            Mqtt5BlockingClient heir = Restarts.v5(second, "heir");
            List<String> wills = new ArrayList<>();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = heir.publishes(MqttGlobalPublishFilter.ALL)) {
                assertTrue(heir.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent());
                Optional<Mqtt5Publish> next;
                while ((next = publishes.receive(500, TimeUnit.MILLISECONDS)).isPresent()) {
                    wills.add(next.get().getTopic() + " " + text(next.get()));
                }
            }
            // "abrupt" was published as the broker stopped and queued for the heir; "delayed" fell due while
            // the broker was down and was published when it started.
            assertEquals(List.of("wills/abrupt gone: abrupt", "wills/delayed gone: delayed"), wills);
            heir.disconnect();
            patient.disconnect();
        }
    }

    private static void connectWithWill(RunningBroker broker, String clientId, long delaySeconds) {
        Mqtt5BlockingClient client = Restarts.v5(broker, clientId);
        client.connectWith().sessionExpiryInterval(300)
                .willPublish().topic("wills/" + clientId).payload(("gone: " + clientId).getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).delayInterval(delaySeconds).applyWillPublish()
                .send();
    }
}
