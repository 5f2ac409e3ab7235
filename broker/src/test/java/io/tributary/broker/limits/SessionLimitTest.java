package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.BrokerLimit;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code max-sessions}: a CONNECT that would open a session beyond the cap is refused with CONNACK 0x97 (MQTT 5,
 * Quota exceeded) / 0x03 (3.1.1, Server unavailable); a client that has a session still connects; and the finite
 * default {@code max-session-expiry}.
 */
class SessionLimitTest {
    private RunningBroker broker;
    /** Online, with a subscription: must not notice the refusals. */
    private Mqtt5BlockingClient online;
    private Mqtt5BlockingClient.Mqtt5Publishes received;

    @BeforeEach
    void startWithTwoSessions() {
        broker = RunningBroker.start(config -> config.maxSessions(2));
        online = v5("online").buildBlocking();
        online.connect();
        online.subscribeWith().topicFilter("t").qos(MqttQos.AT_LEAST_ONCE).send();
        received = online.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt3BlockingClient persistent = v3("persistent").buildBlocking();
        persistent.connectWith().cleanSession(false).send();
        persistent.disconnect(); // offline now, its session kept
        Await.until(Duration.ofSeconds(3), "the persistent client offline",
                () -> broker.broker().stats().connections() == 1);
        assertEquals(2, broker.broker().stats().sessions());
    }

    @AfterEach
    void stop() {
        received.close();
        broker.close();
    }

    @Test
    void newMqtt5SessionBeyondTheCapIsRefusedWithQuotaExceeded() throws Exception {
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class,
                () -> v5("third").buildBlocking().connect());
        assertEquals(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED, refused.getMqttMessage().getReasonCode());
        assertOnlineClientUndisturbed();
    }

    @Test
    void newMqtt311SessionBeyondTheCapIsRefusedWithServerUnavailable() throws Exception {
        Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class,
                () -> v3("third").buildBlocking().connect());
        assertEquals(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, refused.getMqttMessage().getReturnCode());
        assertOnlineClientUndisturbed();
    }

    @Test
    void mosquittoPubIsRefusedBeyondTheCap() throws Exception {
        for (String version : new String[] {"mqttv311", "mqttv5"}) {
            Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                    "-V", version, "-i", "mosq-" + version, "-t", "t", "-m", "refused")
                    .redirectErrorStream(true).start();
            assertTrue(pub.waitFor(10, TimeUnit.SECONDS), "mosquitto_pub did not end");
            String output = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertNotEquals(0, pub.exitValue(), "mosquitto_pub " + version + " was let in: " + output);
        }
        assertEquals(2, broker.broker().stats().sessions());
        assertOnlineClientUndisturbed();
    }

    @Test
    void clientWithASessionResumesItAtTheCap() {
        Mqtt3BlockingClient persistent = v3("persistent").buildBlocking();
        assertTrue(persistent.connectWith().cleanSession(false).send().isSessionPresent());
        persistent.disconnect();
        // Clean start replaces the session: still one, so it is not a new one beyond the cap.
        Mqtt5BlockingClient again = v5("persistent").buildBlocking();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, again.connect().getReasonCode());
        again.disconnect();
    }

    @Test
    void aSessionEndingMakesRoomForANewOne() throws Exception {
        Mqtt3BlockingClient persistent = v3("persistent").buildBlocking();
        persistent.connectWith().cleanSession(true).send(); // ends the stored session
        persistent.disconnect();
        Await.until(Duration.ofSeconds(3), "the session gone", () -> broker.broker().stats().sessions() == 1);
        Mqtt5BlockingClient third = v5("third").buildBlocking();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, third.connect().getReasonCode());
        third.disconnect();
    }

    @Test
    void sessionExpiryIsCappedAtAWeekByDefault() {
        try (RunningBroker defaults = RunningBroker.start()) {
            Mqtt5BlockingClient forever = MqttClient.builder().useMqttVersion5().identifier("forever")
                    .serverHost("127.0.0.1").serverPort(defaults.port()).buildBlocking();
            Mqtt5ConnAck ack = forever.connectWith().sessionExpiryInterval(0xFFFF_FFFFL).send();
            assertEquals(7 * 24 * 3600L, BrokerLimit.MAX_SESSION_EXPIRY_SECONDS.longDefault());
            assertEquals(7 * 24 * 3600L, ack.getSessionExpiryInterval().orElseThrow());
            forever.disconnect();
        }
    }

    private void assertOnlineClientUndisturbed() throws InterruptedException {
        broker.broker().publish(Message.of("t", "still here", QoS.AT_LEAST_ONCE, false)).join();
        byte[] payload = received.receive(3, TimeUnit.SECONDS).orElseThrow(
                () -> new AssertionError("the online client got nothing")).getPayloadAsBytes();
        assertEquals("still here", new String(payload, StandardCharsets.UTF_8));
        assertTrue(online.getState().isConnected());
    }

    private Mqtt5ClientBuilder v5(String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(broker.port());
    }

    private Mqtt3ClientBuilder v3(String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(broker.port());
    }
}
