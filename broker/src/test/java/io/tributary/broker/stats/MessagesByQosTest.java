package io.tributary.broker.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.BrokerStats;
import io.tributary.broker.BrokerStats.QosCounts;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.broker.clients.Hive;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Messages in and out by QoS: in at the QoS they were published with, out at the QoS they were delivered at.
 * Each test publishes 1 message at QoS 0, 2 at QoS 1 and 3 at QoS 2, so that every level has its own count.
 */
class MessagesByQosTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final QosCounts PUBLISHED = new QosCounts(1, 2, 3);

    @Test
    void clientPublishesAreCountedInAtTheirQosAndOutAtTheDowngradedQos() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient atMostQos1 = Hive.v5(broker, "sub-max-qos1");
            Mqtt3BlockingClient atMostQos0 = Hive.v3(broker, "sub-max-qos0");
            Mqtt5BlockingClient publisher = Hive.v5(broker, "publisher");
            try (Mqtt5BlockingClient.Mqtt5Publishes got1 = atMostQos1.publishes(MqttGlobalPublishFilter.ALL);
                 Mqtt3BlockingClient.Mqtt3Publishes got0 = atMostQos0.publishes(MqttGlobalPublishFilter.ALL)) {
                atMostQos1.subscribeWith().topicFilter("counted/#").qos(MqttQos.AT_LEAST_ONCE).send();
                atMostQos0.subscribeWith().topicFilter("counted/#").qos(MqttQos.AT_MOST_ONCE).send();

                for (QoS qos : QoS.values()) {
                    for (long i = 0; i < PUBLISHED.at(qos); i++) {
                        publisher.publishWith().topic("counted/" + qos.value()).qos(MqttQos.fromCode(qos.value()))
                                .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
                    }
                }

                List<Integer> qos1Side = new ArrayList<>();
                List<Integer> qos0Side = new ArrayList<>();
                for (int i = 0; i < PUBLISHED.total(); i++) {
                    Optional<Mqtt5Publish> publish1 = got1.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    Optional<Mqtt3Publish> publish0 = got0.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    assertTrue(publish1.isPresent() && publish0.isPresent(), "message " + (i + 1) + " of 6");
                    qos1Side.add(publish1.get().getQos().getCode());
                    qos0Side.add(publish0.get().getQos().getCode());
                }
                // What the subscribers saw, so that the counts below are checked against the wire.
                qos1Side.sort(null);
                assertEquals(List.of(0, 1, 1, 1, 1, 1), qos1Side);
                assertEquals(List.of(0, 0, 0, 0, 0, 0), qos0Side);
            } finally {
                publisher.disconnect();
                atMostQos0.disconnect();
                atMostQos1.disconnect();
            }

            // Out: the QoS 1 subscriber got 1 at QoS 0 and 5 at QoS 1 (QoS 2 downgraded), the QoS 0 one 6 at QoS 0.
            BrokerStats stats = awaitCounts(broker, PUBLISHED, new QosCounts(1 + 6, 5, 0));
            assertEquals(6, stats.messagesReceived(), "the total stays the sum over QoS");
            assertEquals(12, stats.messagesSent(), "the total stays the sum over QoS");
        }
    }

    @Test
    void inProcessPublishesAndHandlersAreCountedByQosAndInTheSnapshot() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             InProcessSubscription atMostQos2 = broker.broker().subscribe("counted/#",
                     SubscribeOptions.of(QoS.EXACTLY_ONCE), message -> null);
             InProcessSubscription atMostQos0 = broker.broker().subscribe("counted/#",
                     SubscribeOptions.of(QoS.AT_MOST_ONCE), message -> null)) {
            for (QoS qos : QoS.values()) {
                for (long i = 0; i < PUBLISHED.at(qos); i++) {
                    broker.broker().publish(Message.of("counted/" + qos.value(), "m" + i, qos, false))
                            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }

            // Out: the QoS 2 handler got each at its own QoS, the QoS 0 handler all 6 at QoS 0.
            awaitCounts(broker, PUBLISHED, new QosCounts(1 + 6, 2, 3));
            Map<String, Number> snapshot = broker.broker().statsSnapshot();
            assertEquals(6L, snapshot.get("messagesReceived"));
            assertEquals(1L, snapshot.get("messagesReceivedQos0"));
            assertEquals(2L, snapshot.get("messagesReceivedQos1"));
            assertEquals(3L, snapshot.get("messagesReceivedQos2"));
            assertEquals(12L, snapshot.get("messagesSent"));
            assertEquals(7L, snapshot.get("messagesSentQos0"));
            assertEquals(2L, snapshot.get("messagesSentQos1"));
            assertEquals(3L, snapshot.get("messagesSentQos2"));
        }
    }

    /** Waits for the counts by QoS (sent ones are counted as they are written, a moment after the publish). */
    private static BrokerStats awaitCounts(RunningBroker broker, QosCounts received, QosCounts sent) {
        Await.until(WAIT, "received " + received + ", sent " + sent,
                () -> broker.broker().stats(),
                stats -> stats.messagesReceivedByQos().equals(received) && stats.messagesSentByQos().equals(sent));
        return broker.broker().stats();
    }
}
