package io.tributary.broker.connect;

import io.tributary.testsupport.await.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A second connection with the same Client Identifier takes the session over (section 3.1.4 of both). */
class SessionTakeoverTest {
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
    void secondMqtt5ConnectionClosesTheFirstWithDisconnect0x8E() throws Exception {
        CompletableFuture<Throwable> firstClosed = new CompletableFuture<>();
        Mqtt5BlockingClient first = Clients.v5Builder(broker, "twin")
                .addDisconnectedListener(context -> firstClosed.complete(context.getCause()))
                .buildBlocking();
        first.connect();
        Mqtt5BlockingClient second = Clients.v5(broker, "twin");
        second.connect();
        // The existing client gets DISCONNECT 0x8E (Session taken over) and is closed [MQTT-3.1.4-3].
        Throwable cause = firstClosed.get(3, TimeUnit.SECONDS);
        Mqtt5DisconnectException disconnect = assertInstanceOf(Mqtt5DisconnectException.class, cause);
        assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER, disconnect.getMqttMessage().getReasonCode());
        assertNewConnectionWorks(second);
    }

    @Test
    void secondMqtt311ConnectionClosesTheFirst() throws Exception {
        CompletableFuture<Throwable> firstClosed = new CompletableFuture<>();
        Mqtt3BlockingClient first = Clients.v3Builder(broker, "twin3")
                .addDisconnectedListener(context -> firstClosed.complete(context.getCause()))
                .buildBlocking();
        first.connect();
        Mqtt3BlockingClient second = Clients.v3(broker, "twin3");
        second.connect();
        // The server must disconnect the existing client [MQTT-3.1.4-2].
        firstClosed.get(3, TimeUnit.SECONDS);
        // The client updates its state just after calling its disconnected listeners.
        Await.until(Duration.ofSeconds(2), "first reports disconnected", () -> !first.getState().isConnected());
        // The publishes flow first: HiveMQ acknowledges and drops what arrives before a flow is registered.
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = second.publishes(MqttGlobalPublishFilter.ALL)) {
            second.subscribeWith().topicFilter("takeover/3").qos(MqttQos.AT_LEAST_ONCE).send();
            broker.broker().publish(Message.of("takeover/3", "hi", QoS.AT_LEAST_ONCE, false)).join();
            assertEquals("hi", new String(publishes.receive(3, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()));
        }
        second.disconnect();
        Await.until(Duration.ofSeconds(3), "one connection left", () -> broker.broker().stats().connections() == 0);
    }

    @Test
    void takeoverOfAPersistentSessionKeepsItsSubscriptions() throws Exception {
        Mqtt5BlockingClient first = Clients.v5(broker, "heir");
        first.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        first.subscribeWith().topicFilter("inherit/#").qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient second = Clients.v5(broker, "heir");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = second.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck ack = second.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            // The session goes on with the new connection [MQTT-3.2.2-2 (5.0)]: present, subscriptions kept.
            assertTrue(ack.isSessionPresent());
            broker.broker().publish(Message.of("inherit/x", "kept", QoS.AT_LEAST_ONCE, false)).join();
            Mqtt5Publish received = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
            assertEquals("inherit/x", received.getTopic().toString());
        }
        second.disconnect();
    }

    @Test
    void takeoverWithCleanStartDiscardsTheOldSession() throws Exception {
        Mqtt5BlockingClient first = Clients.v5(broker, "reset");
        first.connectWith().sessionExpiryInterval(60).send();
        first.subscribeWith().topicFilter("reset/#").qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient second = Clients.v5(broker, "reset");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = second.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck ack = second.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
            // Clean Start 1 discards the existing session [MQTT-3.1.2-4] and Session Present is 0 [MQTT-3.2.2-2].
            assertFalse(ack.isSessionPresent());
            broker.broker().publish(Message.of("reset/x", "gone", QoS.AT_LEAST_ONCE, false)).join();
            assertTrue(publishes.receive(300, TimeUnit.MILLISECONDS).isEmpty(), "the old subscription survived");
        }
        second.disconnect();
    }

    @Test
    void refusedConnectDoesNotTakeTheSessionOver() throws Exception {
        try (RunningBroker guarded = RunningBroker.start(config -> { },
                b -> b.authenticator((client, password) -> !"intruder".equals(client.username())))) {
            CompletableFuture<Throwable> victimClosed = new CompletableFuture<>();
            Mqtt5BlockingClient victim = Clients.v5Builder(guarded, "victim")
                    .addDisconnectedListener(context -> victimClosed.complete(context.getCause()))
                    .buildBlocking();
            victim.connect();
            Mqtt5BlockingClient intruder = Clients.v5(guarded, "victim");
            // Takeover is a step of processing an accepted CONNECT (3.1.4): authentication comes first.
            assertThrows(Mqtt5ConnAckException.class,
                    () -> intruder.connectWith().simpleAuth().username("intruder").applySimpleAuth().send());
            assertFalse(victimClosed.isDone(), "a refused CONNECT closed the connected client");
            assertTrue(victim.getState().isConnected());
            victim.disconnect();
        }
    }

    private void assertNewConnectionWorks(Mqtt5BlockingClient second) throws Exception {
        assertTrue(second.getState().isConnected());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = second.publishes(MqttGlobalPublishFilter.ALL)) {
            second.subscribeWith().topicFilter("takeover/5").qos(MqttQos.AT_LEAST_ONCE).send();
            broker.broker().publish(Message.of("takeover/5", "hi", QoS.AT_LEAST_ONCE, false)).join();
            assertEquals("hi", new String(publishes.receive(3, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()));
        }
        second.disconnect();
    }
}
