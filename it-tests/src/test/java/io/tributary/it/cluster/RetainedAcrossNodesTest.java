package io.tributary.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.it.crash.TributaryChild;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retained messages are the cluster's (issue 17, design §8 test 4): three {@code tributary run} processes on one
 * Kafka, each with its default local persistence. Devices set retained messages on node 1, replace some on node 2
 * and clear some on node 3; once the last publish is acknowledged, a new subscriber on any node gets the same set,
 * and again after all three nodes restarted.
 */
class RetainedAcrossNodesTest {
    private static final int TOPICS = 60;
    private static final Duration CONVERGE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void everyNodeGivesTheSameRetainedSetAfterSetsReplacesAndClearsOnDifferentNodesAndARestart() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String prefix = KafkaServer.uniqueTopic("retained") + ".";
        List<TributaryChild> nodes = new ArrayList<>();
        try {
            DistinctPorts ports = new DistinctPorts();
            for (int n = 1; n <= 3; n++) {
                int port = ports.next();
                nodes.add(new TributaryChild(folder.resolve("node-" + n), port,
                        nodeYaml("node-" + n, port, kafka.bootstrapServers(), prefix)).start());
            }
            Random random = new Random(17);
            Map<String, String> expected = new TreeMap<>();
            List<Integer> all = shuffled(0, TOPICS, random);
            long started = System.nanoTime();
            publish(nodes.get(0), "setter", all, i -> "v1-" + i);
            all.forEach(i -> expected.put(topic(i), "v1-" + i));
            List<Integer> replaced = shuffled(0, TOPICS * 2 / 3, random);
            publish(nodes.get(1), "replacer", replaced, i -> "v2-" + i);
            replaced.forEach(i -> expected.put(topic(i), "v2-" + i));
            List<Integer> cleared = shuffled(TOPICS / 2, TOPICS * 5 / 6, random);
            publish(nodes.get(2), "clearer", cleared, i -> "");
            cleared.forEach(i -> expected.remove(topic(i)));

            long published = System.nanoTime();
            for (TributaryChild node : nodes) {
                assertSubscriberGets(node, expected);
            }
            System.out.printf("cluster retained: %d topics set on node 1, %d replaced on node 2, %d cleared on "
                    + "node 3 in %d ms (three clients, each waiting for its PUBACKs); every node gives the same %d "
                    + "(%d ms after the last PUBACK)%n", TOPICS, replaced.size(), cleared.size(),
                    TimeUnit.NANOSECONDS.toMillis(published - started), expected.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published));

            for (TributaryChild node : nodes) {
                node.stop();
            }
            for (TributaryChild node : nodes) {
                node.start();
            }
            for (TributaryChild node : nodes) {
                assertSubscriberGets(node, expected);
                // Evidence that the set came back from the cluster's topic (the local store keeps sessions only).
                node.logLines().stream().filter(line -> line.contains("retained records from")).reduce((a, b) -> b)
                        .ifPresent(line -> System.out.println("after the restart: " + line));
            }
        } finally {
            for (TributaryChild node : nodes) {
                node.close();
            }
        }
    }

    private static String topic(int i) {
        return "rt/site-" + i + "/state";
    }

    private static List<Integer> shuffled(int from, int to, Random random) {
        List<Integer> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            values.add(i);
        }
        Collections.shuffle(values, random);
        return values;
    }

    /** A device on {@code node} publishes each topic's payload retained at QoS 1; returns once every PUBACK came. */
    private static void publish(TributaryChild node, String id, List<Integer> topics,
                                IntFunction<String> payload) {
        Mqtt5AsyncClient client = client(id, node.mqttPort());
        client.connect().orTimeout(20, TimeUnit.SECONDS).join();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i : topics) {
            acks.add(client.publishWith().topic(topic(i)).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .payload(payload.apply(i).getBytes(StandardCharsets.UTF_8)).send());
        }
        CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).orTimeout(30, TimeUnit.SECONDS).join();
        client.disconnect().orTimeout(20, TimeUnit.SECONDS).join();
    }

    /**
     * A new subscriber on {@code node} gets exactly {@code expected} as retained messages. Other nodes' last
     * changes reach a node a moment after their acknowledgement, so a new subscriber is tried until it does.
     */
    private static void assertSubscriberGets(TributaryChild node, Map<String, String> expected) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        try {
            Await.until(CONVERGE, "a new subscriber on port " + node.mqttPort() + " to get the cluster's "
                    + expected.size() + " retained messages", () -> {
                        last.set(retainedSeenBy(node.mqttPort(), expected.size()));
                        return last.get().equals(expected);
                    });
        } catch (AssertionError e) {
            assertEquals(expected, last.get(), e.getMessage());
            throw e;
        }
    }

    /** What a new subscriber to {@code rt/#} gets, once it got {@code count} retained messages or 3 s passed. */
    private static Map<String, String> retainedSeenBy(int port, int count) {
        Map<String, String> seen = new ConcurrentHashMap<>();
        CompletableFuture<Void> enough = new CompletableFuture<>();
        Mqtt5AsyncClient client = client("reader-" + System.nanoTime(), port);
        client.connect().orTimeout(20, TimeUnit.SECONDS).join();
        try {
            client.subscribeWith().topicFilter("rt/#").qos(MqttQos.AT_LEAST_ONCE).callback(publish -> {
                if (publish.isRetain()) {
                    seen.put(publish.getTopic().toString(),
                            new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
                    if (seen.size() >= count) {
                        enough.complete(null);
                    }
                }
            }).send().orTimeout(20, TimeUnit.SECONDS).join();
            try {
                enough.get(3, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // fewer than expected: the caller compares what came
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new TreeMap<>(seen);
        } finally {
            client.disconnect().orTimeout(20, TimeUnit.SECONDS).join();
        }
    }

    private static Mqtt5AsyncClient client(String id, int port) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .buildAsync();
    }

    /** One node, with the broker's default persistence (sync): with a cluster, it keeps sessions only. */
    private static String nodeYaml(String node, int port, String bootstrapServers, String prefix) {
        return """
                broker:
                  listeners: [ { name: mqtt, type: tcp, host: 127.0.0.1, port: %d } ]
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "%s"
                cluster:
                  kafka: main
                  node: %s
                  topic-prefix: "%s"
                  partitions: { messages: 2, sessions: 1, retained: 3 }
                """.formatted(port, bootstrapServers, node, prefix);
    }
}
