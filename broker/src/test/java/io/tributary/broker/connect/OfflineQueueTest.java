package io.tributary.broker.connect;

import io.tributary.testsupport.await.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.clients.RunningBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bounded queue of an offline persistent session ({@code maxQueuedMessages}, {@code queueFullPolicy}):
 * it keeps at most N QoS 1/2 messages, drops the newest or the oldest beyond that, counts the drops, and
 * never keeps QoS 0 messages (MQTT 3.1.1 / 5.0 section 4.1 lets the server bound what it stores).
 */
class OfflineQueueTest {
    private static final int LIMIT = 3;
    private RunningBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "MQTT {0}, {1}")
    @CsvSource({"3, DROP_NEW, m1 m2 m3", "5, DROP_NEW, m1 m2 m3", "3, DROP_OLDEST, m3 m4 m5", "5, DROP_OLDEST, m3 m4 m5"})
    void offlineSessionKeepsAtMostMaxQueuedMessagesByPolicy(int version, QueueFullPolicy policy, String expected)
            throws Exception {
        broker = RunningBroker.start(config -> config.maxQueuedMessages(LIMIT).queueFullPolicy(policy));
        Subscriber subscriber = version == 5 ? new V5("q5-" + policy) : new V3("q3-" + policy);
        assertFalse(subscriber.connectPersistent());
        subscriber.subscribe("queue/#", MqttQos.AT_LEAST_ONCE);
        subscriber.disconnect();
        awaitOffline();

        for (int i = 1; i <= 5; i++) {
            broker.broker().publish(Message.of("queue/" + i, "m" + i, QoS.AT_LEAST_ONCE, false)).join();
        }
        assertEquals(2, broker.broker().stats().droppedQueueFull());
        assertEquals(LIMIT, broker.broker().stats().queued());

        assertTrue(subscriber.connectPersistent());
        List<String> received = new ArrayList<>();
        Optional<String> next;
        while ((next = subscriber.receive(received.size() < LIMIT ? 3000 : 300)).isPresent()) {
            received.add(next.get());
        }
        assertEquals(List.of(expected.split(" ")), received);
        subscriber.disconnect();
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(ints = {3, 5})
    void qos0MessagesAreNotQueuedForAnOfflineSession(int version) throws Exception {
        broker = RunningBroker.start(config -> config.maxQueuedMessages(LIMIT));
        Subscriber subscriber = version == 5 ? new V5("q0-5") : new V3("q0-3");
        subscriber.connectPersistent();
        subscriber.subscribe("zero/#", MqttQos.AT_LEAST_ONCE);
        subscriber.subscribe("downgraded/#", MqttQos.AT_MOST_ONCE);
        subscriber.disconnect();
        awaitOffline();

        // Published at QoS 0, and published at QoS 1 but granted QoS 0: neither is stored for later (4.1).
        broker.broker().publish(Message.of("zero/1", "q0", QoS.AT_MOST_ONCE, false)).join();
        broker.broker().publish(Message.of("downgraded/1", "q1-as-q0", QoS.AT_LEAST_ONCE, false)).join();
        assertEquals(0, broker.broker().stats().queued());
        assertEquals(0, broker.broker().stats().droppedQueueFull(), "not queued is not a queue-full drop");

        assertTrue(subscriber.connectPersistent());
        assertTrue(subscriber.receive(300).isEmpty(), "a QoS 0 message was kept for an offline client");
        subscriber.disconnect();
    }

    private void awaitOffline() throws InterruptedException {
        Await.until(Duration.ofSeconds(3), "no connection left", () -> broker.broker().stats().connections() == 0);
        // The connection is counted out just before its session is detached: wait for that too.
        Await.until(Duration.ofSeconds(3), "every session detached", broker.broker().whenAllDetached()::isDone);
    }

    /** A persistent subscriber whose incoming messages are collected from before CONNECT. */
    private interface Subscriber {
        /** @return Session Present */
        boolean connectPersistent();

        void subscribe(String filter, MqttQos qos);

        Optional<String> receive(long millis) throws InterruptedException;

        void disconnect();
    }

    private final class V3 implements Subscriber {
        private final Mqtt3BlockingClient client;
        private final Mqtt3BlockingClient.Mqtt3Publishes publishes;

        V3(String clientId) {
            client = Clients.v3(broker, clientId);
            publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        }

        @Override
        public boolean connectPersistent() {
            return client.connectWith().cleanSession(false).send().isSessionPresent();
        }

        @Override
        public void subscribe(String filter, MqttQos qos) {
            client.subscribeWith().topicFilter(filter).qos(qos).send();
        }

        @Override
        public Optional<String> receive(long millis) throws InterruptedException {
            return publishes.receive(millis, TimeUnit.MILLISECONDS)
                    .map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnect() {
            client.disconnect();
        }
    }

    private final class V5 implements Subscriber {
        private final Mqtt5BlockingClient client;
        private final Mqtt5BlockingClient.Mqtt5Publishes publishes;

        V5(String clientId) {
            client = Clients.v5(broker, clientId);
            publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        }

        @Override
        public boolean connectPersistent() {
            return client.connectWith().cleanStart(false).sessionExpiryInterval(60).send().isSessionPresent();
        }

        @Override
        public void subscribe(String filter, MqttQos qos) {
            client.subscribeWith().topicFilter(filter).qos(qos).send();
        }

        @Override
        public Optional<String> receive(long millis) throws InterruptedException {
            return publishes.receive(millis, TimeUnit.MILLISECONDS)
                    .map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnect() {
            client.disconnect();
        }
    }
}
