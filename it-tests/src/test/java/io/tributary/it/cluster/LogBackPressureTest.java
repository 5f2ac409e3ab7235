package io.tributary.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ClusterConfig;
import io.tributary.broker.ConnectedClient;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.cluster.KafkaCluster;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One node on a real Kafka: a device that stops acknowledging fills its session's queue, which pauses the node's
 * log reader instead of dropping or growing; once the device reads again, every command arrives, in order.
 */
class LogBackPressureTest {
    private static final int QUEUE = 10;
    private static final int COMMANDS = 300;

    @Test
    void aFullSessionPausesTheLogReaderAndLosesNothing() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        ClusterConfig config = new ClusterConfig("main", "node-1", KafkaServer.uniqueTopic("back-pressure") + ".", 2, 1,
                1, 0, Duration.ofDays(1), Duration.ofMillis(50), Duration.ofSeconds(10),
                Map.of("bootstrap.servers", kafka.bootstrapServers()));
        KafkaCluster cluster = KafkaCluster.create(config);
        Broker broker = null;
        try {
            cluster.start();
            broker = Broker.builder().config(BrokerConfig.builder()
                    .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).maxQueuedMessages(QUEUE)
                    .sysInterval(Duration.ZERO).build()).cluster(cluster).build();
            broker.start().get(30, TimeUnit.SECONDS);
            assertEquals("up: node node-1", broker.clusterState().orElseThrow());

            List<Mqtt5Publish> held = new ArrayList<>();
            List<String> received = new ArrayList<>();
            boolean[] acknowledging = {false};
            Mqtt5AsyncClient device = MqttClient.builder().useMqttVersion5().identifier("slow")
                    .serverHost("127.0.0.1").serverPort(broker.boundPort("tcp")).buildAsync();
            device.publishes(MqttGlobalPublishFilter.ALL, publish -> {
                synchronized (held) {
                    received.add(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
                    if (acknowledging[0]) {
                        publish.acknowledge();
                    } else {
                        held.add(publish);
                    }
                }
            }, true);
            device.connectWith().restrictions().receiveMaximum(1).applyRestrictions().send().get(10, TimeUnit.SECONDS);
            device.subscribeWith().topicFilter("slow/commands").qos(MqttQos.AT_LEAST_ONCE).send()
                    .get(10, TimeUnit.SECONDS);

            List<CompletableFuture<Void>> appended = new ArrayList<>();
            for (int i = 1; i <= COMMANDS; i++) {
                appended.add(broker.publish(Message.of("slow/commands", "c-" + i, QoS.AT_LEAST_ONCE, false)));
            }
            CompletableFuture.allOf(appended.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            Broker node = broker;
            Await.until(Duration.ofSeconds(10), "the slow session's queue to fill", () -> queued(node) >= QUEUE);
            Await.holds(Duration.ofSeconds(1), "the queue to stay at its bound while the reader is paused",
                    () -> queued(node) <= QUEUE + 1);
            assertTrue(broker.clusterReaderStats().orElseThrow().paused(), "the reader says it is paused (the "
                    + "tributary_cluster_reader_paused gauge)");

            synchronized (held) {
                acknowledging[0] = true;
                held.forEach(Mqtt5Publish::acknowledge);
            }
            Await.until(Duration.ofSeconds(30), "every command once the device reads again", () -> {
                synchronized (held) {
                    return received.size() >= COMMANDS;
                }
            });
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= COMMANDS; i++) {
                expected.add("c-" + i);
            }
            synchronized (held) {
                assertEquals(expected, received, "none dropped, none reordered");
            }
            Await.until(Duration.ofSeconds(5), "the reader to say it is no longer paused",
                    () -> !node.clusterReaderStats().orElseThrow().paused());
            device.disconnect().get(10, TimeUnit.SECONDS);
        } finally {
            if (broker != null) {
                broker.stop().get(30, TimeUnit.SECONDS);
            }
            cluster.close();
        }
    }

    private static int queued(Broker broker) {
        return broker.connectedClients(null, 10).clients().stream().filter(c -> c.clientId().equals("slow"))
                .mapToInt(ConnectedClient::queued).sum();
    }
}
