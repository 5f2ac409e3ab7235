package io.tributary.broker.connect;

import io.tributary.testsupport.await.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.Message;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Will Messages (3.1.2.5 of both specifications, 3.1.3.2.2 Will Delay Interval of 5.0). Connections that
 * must end without DISCONNECT are raw sockets that are simply closed; a HiveMQ client watches will/#.
 */
class WillTest {
    private static final Duration WAIT = Duration.ofSeconds(3);
    private RunningBroker broker;
    private Mqtt5BlockingClient watcher;
    private Mqtt5BlockingClient.Mqtt5Publishes wills;

    @BeforeEach
    void start() {
        broker = RunningBroker.start();
        watcher = Clients.v5(broker, "watcher");
        wills = watcher.publishes(MqttGlobalPublishFilter.ALL);
        watcher.connect();
        watcher.subscribeWith().topicFilter("will/#").qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @AfterEach
    void stop() {
        wills.close();
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void willIsPublishedWhenTheConnectionClosesWithoutDisconnect(MqttVersion version) throws Exception {
        try (RawMqttClient dying = new RawMqttClient(broker.port())) {
            connect(dying, version, "dying-" + version, true, 60, will("will/dying", "gone", false, null));
        }
        // Closed without DISCONNECT: the will is published [MQTT-3.1.2-8].
        Mqtt5Publish will = nextWill(3000).orElseThrow(() -> new AssertionError("no will"));
        assertEquals("will/dying", will.getTopic().toString());
        assertEquals("gone", payload(will));
        assertEquals(MqttQos.AT_LEAST_ONCE, will.getQos());
    }

    @Test
    void willIsNotPublishedAfterANormalMqtt311Disconnect() throws Exception {
        Mqtt3BlockingClient polite = Clients.v3(broker, "polite3");
        polite.connectWith().willPublish().topic("will/polite3").payload("no".getBytes()).applyWillPublish().send();
        // DISCONNECT removes the will without publishing it [MQTT-3.1.2-10 (3.1.1)], [MQTT-3.14.4-3].
        polite.disconnect();
        Await.until(WAIT, "disconnected", () -> broker.broker().stats().connections() == 1);
        assertTrue(nextWill(500).isEmpty(), "will published after DISCONNECT");
    }

    @Test
    void willIsNotPublishedAfterANormalMqtt5Disconnect() throws Exception {
        Mqtt5BlockingClient polite = Clients.v5(broker, "polite5");
        polite.connectWith().willPublish().topic("will/polite5").payload("no".getBytes()).applyWillPublish().send();
        // DISCONNECT with 0x00 discards the will [MQTT-3.14.4-3] / [MQTT-3.1.2-10].
        polite.disconnect();
        Await.until(WAIT, "disconnected", () -> broker.broker().stats().connections() == 1);
        assertTrue(nextWill(500).isEmpty(), "will published after DISCONNECT 0x00");
    }

    @Test
    void disconnectWithWillMessage0x04PublishesTheWill() throws Exception {
        Mqtt5BlockingClient leaving = Clients.v5(broker, "leaving");
        leaving.connectWith().willPublish().topic("will/leaving").payload("asked".getBytes()).applyWillPublish().send();
        // Reason Code 0x04: disconnect normally, but publish the will (3.14.2.1).
        leaving.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
        assertEquals("asked", payload(nextWill(3000).orElseThrow(() -> new AssertionError("no will after 0x04"))));
    }

    @Test
    void willWithRetainIsRetained() throws Exception {
        try (RawMqttClient dying = new RawMqttClient(broker.port())) {
            connect(dying, MqttVersion.MQTT_3_1_1, "retainer", true, 60, will("will/status", "offline", true, null));
        }
        nextWill(3000).orElseThrow(() -> new AssertionError("no will"));
        // Will Retain 1: the will is published as a retained message [MQTT-3.1.2-17 (3.1.1), MQTT-3.1.2-15 (5.0)].
        List<Message> retained = broker.broker().retainedMessages().matching("will/status");
        assertEquals(1, retained.size());
        assertEquals("offline", retained.get(0).payloadAsString());

        Mqtt5BlockingClient late = Clients.v5(broker, "late");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.connect();
            late.subscribeWith().topicFilter("will/status").send();
            Mqtt5Publish replay = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
            assertTrue(replay.isRetain());
            assertEquals("offline", payload(replay));
        }
        late.disconnect();
    }

    @Test
    void willIsPublishedWhenTheKeepAliveExpires() throws Exception {
        try (RawMqttClient silent = new RawMqttClient(broker.port())) {
            MqttConnectMessage connect = will("will/silent", "timed out", false, null)
                    .protocolVersion(MqttVersion.MQTT_3_1_1).clientId("silent").cleanSession(true).keepAlive(1).build();
            silent.send(connect);
            silent.expect(MqttMessageType.CONNACK, WAIT);
            // Keep Alive expiry closes the connection as if the network failed: the will goes out (3.1.2.5).
            assertEquals("timed out", payload(nextWill(3500).orElseThrow(() -> new AssertionError("no will"))));
        }
    }

    @Test
    void willIsPublishedWhenTheServerClosesForAProtocolError() throws Exception {
        try (RawMqttClient offender = new RawMqttClient(broker.port())) {
            connect(offender, MqttVersion.MQTT_5, "offender", true, 0, will("will/offender", "violated", false, null));
            // A second CONNECT is a protocol error [MQTT-3.1.0-2]; a server-side close publishes the will (3.1.2.5).
            offender.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("offender").build());
            assertEquals("violated", payload(nextWill(3000).orElseThrow(() -> new AssertionError("no will"))));
        }
    }

    @Test
    void willIsDelayedByTheWillDelayInterval() throws Exception {
        try (RawMqttClient dying = new RawMqttClient(broker.port())) {
            connect(dying, MqttVersion.MQTT_5, "delayed", false, 10, will("will/delayed", "late", false, 1));
        }
        long closed = System.nanoTime();
        // Published only once the Will Delay Interval has passed [MQTT-3.1.2-8], (3.1.3.2.2).
        assertTrue(nextWill(700).isEmpty(), "the will came before its 1 s delay");
        assertEquals("late", payload(nextWill(2500).orElseThrow(() -> new AssertionError("no delayed will"))));
        long millis = (System.nanoTime() - closed) / 1_000_000;
        assertTrue(millis >= 900, "will after " + millis + " ms");
    }

    @Test
    void delayedWillIsNotSentIfTheClientReconnectsWithinTheDelay() throws Exception {
        try (RawMqttClient dying = new RawMqttClient(broker.port())) {
            connect(dying, MqttVersion.MQTT_5, "comeback", false, 10, will("will/comeback", "never", false, 1));
        }
        try (RawMqttClient back = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = connect(back, MqttVersion.MQTT_5, "comeback", false, 10, null);
            assertTrue(ack.variableHeader().isSessionPresent());
            // A new connection to the session before the delay passed: the will must not be sent [MQTT-3.1.3-9].
            assertTrue(nextWill(1600).isEmpty(), "will sent although the client came back in time");
        }
    }

    @Test
    void takeoverPublishesTheWillAtOnceWhenTheWillDelayIsZero() throws Exception {
        try (RawMqttClient first = new RawMqttClient(broker.port());
             RawMqttClient second = new RawMqttClient(broker.port())) {
            connect(first, MqttVersion.MQTT_5, "taken", false, 10, will("will/taken", "replaced", false, null));
            connect(second, MqttVersion.MQTT_5, "taken", false, 10, null);
            // 3.1.3.2.2, non-normative: with Will Delay 0 the will is sent when the existing connection closes.
            assertEquals("replaced", payload(nextWill(2000).orElseThrow(() -> new AssertionError("no will on takeover"))));
        }
    }

    @Test
    void takeoverWithCleanStartFalseDoesNotPublishADelayedWill() throws Exception {
        try (RawMqttClient first = new RawMqttClient(broker.port());
             RawMqttClient second = new RawMqttClient(broker.port())) {
            connect(first, MqttVersion.MQTT_5, "continued", false, 10, will("will/continued", "never", false, 1));
            connect(second, MqttVersion.MQTT_5, "continued", false, 10, null);
            // 3.1.3.2.2, non-normative: not sent if the new connection has Clean Start 0 and the Will Delay is > 0.
            assertTrue(nextWill(1600).isEmpty(), "delayed will sent although the session continued");
        }
    }

    @Test
    void takeoverWithCleanStartTruePublishesADelayedWillAtOnce() throws Exception {
        try (RawMqttClient first = new RawMqttClient(broker.port());
             RawMqttClient second = new RawMqttClient(broker.port())) {
            connect(first, MqttVersion.MQTT_5, "restarted", false, 10, will("will/restarted", "ended", false, 30));
            connect(second, MqttVersion.MQTT_5, "restarted", true, 10, null);
            // Clean Start 1 ends the session, so the will is sent without waiting for its delay (3.1.3.2.2).
            assertEquals("ended", payload(nextWill(2000).orElseThrow(() -> new AssertionError("no will"))));
        }
    }

    @Test
    void reconnectWithCleanStartTrueWithinTheDelayPublishesTheWillAtOnce() throws Exception {
        try (RawMqttClient dying = new RawMqttClient(broker.port())) {
            connect(dying, MqttVersion.MQTT_5, "fresh", false, 10, will("will/fresh", "old session", false, 30));
        }
        Await.until(WAIT, "offline", () -> broker.broker().stats().connections() == 1);
        try (RawMqttClient again = new RawMqttClient(broker.port())) {
            connect(again, MqttVersion.MQTT_5, "fresh", true, 10, null);
            // The old session ends before its Will Delay passed: its will is published then [MQTT-3.1.2-8].
            assertEquals("old session", payload(nextWill(2000).orElseThrow(() -> new AssertionError("no will"))));
        }
    }

    @Test
    void willIsPublishedWhenTheSessionExpiresBeforeTheWillDelay() throws Exception {
        try (RawMqttClient dying = new RawMqttClient(broker.port())) {
            connect(dying, MqttVersion.MQTT_5, "short-lived", false, 1, will("will/short", "expired", false, 30));
        }
        long closed = System.nanoTime();
        // The will goes out when the delay passes or the session ends, whichever comes first (3.1.3.2.2).
        assertEquals("expired", payload(nextWill(3000).orElseThrow(() -> new AssertionError("no will at expiry"))));
        long millis = (System.nanoTime() - closed) / 1_000_000;
        assertTrue(millis >= 800, "will after " + millis + " ms, before the 1 s session expiry");
    }

    @Test
    void willIsPublishedAtOnceWhenTheSessionEndsWithTheConnection() throws Exception {
        try (RawMqttClient dying = new RawMqttClient(broker.port())) {
            connect(dying, MqttVersion.MQTT_5, "no-session", true, 0, will("will/nosession", "now", false, 30));
        }
        long closed = System.nanoTime();
        // Session Expiry 0: the session ends at the close, which publishes the will despite its 30 s delay.
        assertNotNull(nextWill(2000).orElse(null), "no will when the session ended");
        assertTrue((System.nanoTime() - closed) / 1_000_000 < 1500, "will waited for something");
    }

    // Helpers.

    /** A CONNECT builder with a QoS 1 will; MQTT 5 will properties only where given. */
    private static MqttMessageBuilders.ConnectBuilder will(String topic, String payload, boolean retain,
                                                           Integer delaySeconds) {
        MqttProperties willProperties = new MqttProperties();
        if (delaySeconds != null) {
            willProperties.add(new MqttProperties.IntegerProperty(MqttPropertyType.WILL_DELAY_INTERVAL.value(),
                    delaySeconds));
        }
        return MqttMessageBuilders.connect()
                .willFlag(true)
                .willTopic(topic)
                .willMessage(payload.getBytes(StandardCharsets.UTF_8))
                .willQoS(MqttQoS.AT_LEAST_ONCE)
                .willRetain(retain)
                .willProperties(willProperties);
    }

    /** Sends CONNECT (MQTT 5: with Session Expiry {@code expiry} when above 0) and expects success. */
    private static MqttConnAckMessage connect(RawMqttClient client, MqttVersion version, String clientId,
                                              boolean cleanStart, int expiry,
                                              MqttMessageBuilders.ConnectBuilder withWill) throws Exception {
        MqttMessageBuilders.ConnectBuilder builder = withWill != null ? withWill : MqttMessageBuilders.connect();
        MqttProperties properties = new MqttProperties();
        if (version == MqttVersion.MQTT_5 && expiry > 0) {
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), expiry));
        }
        client.send(builder.protocolVersion(version).clientId(clientId).cleanSession(cleanStart).keepAlive(60)
                .properties(properties).build());
        MqttConnAckMessage ack = (MqttConnAckMessage) client.expect(MqttMessageType.CONNACK, WAIT);
        assertEquals(0, ack.variableHeader().connectReturnCode().byteValue());
        return ack;
    }

    private Optional<Mqtt5Publish> nextWill(long millis) throws InterruptedException {
        return wills.receive(millis, TimeUnit.MILLISECONDS);
    }

    private static String payload(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
