package io.tributary.broker.connect;

import io.tributary.testsupport.await.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.mqtt.Frame;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clean Session (3.1.1) and Clean Start with Session Expiry Interval (5.0): what a session keeps while its
 * client is offline, the Session Present flag, and when the session ends.
 */
class SessionPersistenceTest {
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

    @Test
    void mqtt311PersistentSessionKeepsSubscriptionsAndQueuedQos1MessagesWhileOffline() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient paho = pahoWithInbox("keeper", received);
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        // No session yet: Session Present 0 [MQTT-3.2.2-3].
        assertFalse(paho.connectWithResult(persistent).getSessionPresent());
        paho.subscribe("keep/#", 1);
        paho.disconnect();
        awaitOffline();

        for (int i = 1; i <= 3; i++) {
            broker.broker().publish(Message.of("keep/" + i, "m" + i, QoS.AT_LEAST_ONCE, false)).join();
        }
        // The session (subscriptions and QoS 1 messages) is kept while the client is away (3.1.2.4).
        assertEquals(3, broker.broker().stats().queued());
        // Resumed: Session Present 1 [MQTT-3.2.2-2]; the queued messages arrive in order.
        assertTrue(paho.connectWithResult(persistent).getSessionPresent());
        assertEquals("m1", received.poll(3, TimeUnit.SECONDS));
        assertEquals("m2", received.poll(3, TimeUnit.SECONDS));
        assertEquals("m3", received.poll(3, TimeUnit.SECONDS));
        paho.disconnect();
        paho.close();
    }

    @Test
    void mqtt311CleanSessionDiscardsTheStoredSessionAndReportsSessionPresent0() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient paho = pahoWithInbox("cleaner", received);
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        paho.connect(persistent);
        paho.subscribe("clean/#", 1);
        paho.disconnect();
        awaitOffline();
        broker.broker().publish(Message.of("clean/1", "stale", QoS.AT_LEAST_ONCE, false)).join();

        MqttConnectOptions clean = new MqttConnectOptions();
        clean.setCleanSession(true);
        // CleanSession 1 discards the previous session [MQTT-3.1.2-6] and Session Present is 0 [MQTT-3.2.2-1].
        assertFalse(paho.connectWithResult(clean).getSessionPresent());
        broker.broker().publish(Message.of("clean/2", "unsubscribed", QoS.AT_LEAST_ONCE, false)).join();
        assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "the old session's subscription or queue survived");
        paho.disconnect();
        awaitOffline();
        // A clean session ends with its connection [MQTT-3.1.2-6]: nothing to resume afterwards.
        assertEquals(0, broker.broker().stats().sessions());
        assertFalse(paho.connectWithResult(persistent).getSessionPresent());
        paho.disconnect();
        paho.close();
    }

    @Test
    void mqtt5SessionExpiryZeroEndsTheSessionOnDisconnect() throws Exception {
        Mqtt5BlockingClient client = Clients.v5(broker, "brief");
        // No Session Expiry Interval means 0: the session ends when the connection closes (3.1.2.11.2).
        client.connectWith().cleanStart(false).send();
        client.subscribeWith().topicFilter("brief/#").qos(MqttQos.AT_LEAST_ONCE).send();
        client.disconnect();
        Await.until(WAIT, "session ended", () -> broker.broker().stats().sessions() == 0);
        Mqtt5ConnAck ack = client.connectWith().cleanStart(false).send();
        assertFalse(ack.isSessionPresent());
        client.disconnect();
    }

    @Test
    void mqtt5SessionIsResumedWithinItsExpiryInterval() throws Exception {
        Mqtt5BlockingClient client = Clients.v5(broker, "resumer");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            assertFalse(client.connectWith().cleanStart(false).sessionExpiryInterval(5).send().isSessionPresent());
            client.subscribeWith().topicFilter("resume/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            awaitOffline();
            broker.broker().publish(Message.of("resume/1", "while away", QoS.AT_LEAST_ONCE, false)).join();
            // The state is kept while the interval runs [MQTT-3.1.2-23]; Session Present 1 [MQTT-3.2.2-2].
            assertTrue(client.connectWith().cleanStart(false).sessionExpiryInterval(5).send().isSessionPresent());
            assertEquals("while away",
                    new String(publishes.receive(3, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()));
        }
        client.disconnect();
    }

    @Test
    void mqtt5SessionEndsWhenItsExpiryIntervalPasses() throws Exception {
        Mqtt5BlockingClient client = Clients.v5(broker, "expiring");
        client.connectWith().cleanStart(false).sessionExpiryInterval(1).send();
        client.subscribeWith().topicFilter("exp/#").qos(MqttQos.AT_LEAST_ONCE).send();
        client.disconnect();
        awaitOffline();
        long offline = System.nanoTime();
        assertEquals(1, broker.broker().stats().sessions(), "a session with expiry 1 s ended at once");
        Await.until(WAIT, "session expired", () -> broker.broker().stats().sessions() == 0);
        long millis = (System.nanoTime() - offline) / 1_000_000;
        assertTrue(millis >= 800, "the 1 s session ended after " + millis + " ms");
        assertFalse(client.connectWith().cleanStart(false).sessionExpiryInterval(1).send().isSessionPresent());
        client.disconnect();
    }

    @Test
    void mqtt5SessionExpiryIsCappedByTheServerMaximumAndReportedInConnack() throws Exception {
        try (RunningBroker capped = RunningBroker.start(config -> config.maxSessionExpirySeconds(1))) {
            Mqtt5BlockingClient client = Clients.v5(capped, "capped");
            Mqtt5ConnAck ack = client.connectWith().sessionExpiryInterval(3600).send();
            // A server using another Session Expiry Interval says so in CONNACK (section 3.2.2.3.2, unnumbered).
            assertEquals(1, ack.getSessionExpiryInterval().orElseThrow());
            client.disconnect();
            Await.until(WAIT, "capped session expired", () -> capped.broker().stats().sessions() == 0);
        }
    }

    @Test
    void mqtt5DisconnectCanEndTheSessionBySettingExpiryZero() throws Exception {
        Mqtt5BlockingClient client = Clients.v5(broker, "quitter");
        client.connectWith().sessionExpiryInterval(60).send();
        // The DISCONNECT's Session Expiry Interval replaces the CONNECT's (3.14.2.2.2).
        client.disconnectWith().sessionExpiryInterval(0).send();
        Await.until(WAIT, "session ended", () -> broker.broker().stats().sessions() == 0);
    }

    @Test
    void mqtt5DisconnectSettingExpiryAfterZeroOnConnectIsAProtocolError0x82() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(5, Wire.CLEAN, 60, new byte[0], Wire.utf8("sneaky")));
            c.expectFrame(Frame.CONNACK, WAIT);
            // DISCONNECT 0xE0, length 7, reason 0x00, properties length 5: Session Expiry Interval (0x11) = 60.
            c.sendBytes(Wire.packet(0xE0, Wire.concat(new byte[] {0x00, 0x05}, Wire.intProperty(Wire.SESSION_EXPIRY, 60))));
            // Non-zero after 0 on CONNECT is a Protocol Error [MQTT-3.14.2-2]: the server answers DISCONNECT 0x82.
            assertEquals(0x82, c.expectFrame(Frame.DISCONNECT, WAIT).disconnectReason());
            assertTrue(c.closedWithin(WAIT));
        }
        Await.until(WAIT, "session ended", () -> broker.broker().stats().sessions() == 0);
    }

    private void awaitOffline() throws InterruptedException {
        Await.until(WAIT, "no connection left", () -> broker.broker().stats().connections() == 0);
        // The connection is counted out just before its session is detached: wait for that too.
        Await.until(WAIT, "every session detached", broker.broker().whenAllDetached()::isDone);
    }

    private MqttClient pahoWithInbox(String clientId, BlockingQueue<String> inbox) throws Exception {
        MqttClient paho = new MqttClient(Clients.pahoUri(broker), clientId, new MemoryPersistence());
        paho.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(new String(message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        return paho;
    }
}
