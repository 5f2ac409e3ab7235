package io.tributary.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.it.crash.TributaryChild;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any device, any node (issue 17, design §8 test 1): three {@code tributary run} processes on one dedicated Kafka.
 * QoS 0, 1 and 2 publishers on node 1; subscribers on nodes 2 and 3, clean and persistent, MQTT 5 and 3.1.1 (the
 * HiveMQ client in both versions). Each subscriber gets each publisher's messages in order, QoS 1/2 without a
 * gap, QoS 2 without a duplicate; a persistent subscriber offline during the publishes gets them when it comes
 * back. A publish no other node wants appends nothing (node 1's {@code tributary_cluster_appends_total}). A request
 * made at once after subscribing to its response topic on node 2, answered on node 3, is never lost: the SUBACK
 * waits until every node knows the subscription. An event stream of the HTTP API on node 2 sees node 1's publishes.
 * A node restarted after {@code kill -9} removes the table entries of the clean sessions it lost.
 */
class CrossNodeDeliveryTest {
    private static final int MESSAGES = 2_000;
    private static final int ROUNDS = 200;
    private static final Duration DELIVERED = Duration.ofSeconds(60);
    private static final String TOKEN = "cross-node-token";

    @TempDir
    Path folder;

    private final Map<Integer, Integer> httpPorts = new HashMap<>();

    @Test
    void publishesOnOneNodeReachSubscribersOnTheOthersInOrderOnlyWhereWantedAndRequestsGetTheirResponses()
            throws Exception {
        try (KafkaServer kafka = KafkaServer.startDedicated("cross-node")) {
            List<TributaryChild> nodes = new ArrayList<>();
            List<AutoCloseable> clients = new ArrayList<>();
            try {
                startThree(nodes, kafka);
                int node1 = nodes.get(0).mqttPort();
                int node2 = nodes.get(1).mqttPort();
                int node3 = nodes.get(2).mqttPort();

                Ledger clean2 = new Ledger("node 2, MQTT 5, clean");
                Ledger persistent3 = new Ledger("node 3, MQTT 5, persistent");
                Ledger v3clean3 = new Ledger("node 3, MQTT 3.1.1, clean");
                Ledger offline2 = new Ledger("node 2, MQTT 5, persistent, offline during the publishes");
                clients.add(subscriber5(node2, "sub-clean-2", false, clean2));
                clients.add(subscriber5(node3, "sub-persistent-3", true, persistent3));
                clients.add(subscriber3(node3, "sub-v3-3", v3clean3));
                Mqtt5AsyncClient away = (Mqtt5AsyncClient) subscriber5(node2, "sub-offline-2", true, offline2)
                        .client();
                away.disconnect().orTimeout(10, TimeUnit.SECONDS).join();

                long started = System.nanoTime();
                List<CompletableFuture<?>> acks = new ArrayList<>();
                for (int qos = 0; qos <= 2; qos++) {
                    Mqtt5AsyncClient publisher = client5(node1, "pub-q" + qos);
                    publisher.connect().orTimeout(20, TimeUnit.SECONDS).join();
                    clients.add(() -> publisher.disconnect().orTimeout(10, TimeUnit.SECONDS).join());
                    for (int i = 1; i <= MESSAGES; i++) {
                        acks.add(publisher.publishWith().topic("x/q" + qos).qos(MqttQos.fromCode(qos))
                                .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send());
                    }
                }
                CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).orTimeout(60, TimeUnit.SECONDS)
                        .join();
                long acked = System.nanoTime();
                for (Ledger ledger : List.of(clean2, persistent3, v3clean3)) {
                    ledger.awaitComplete();
                }
                long delivered = System.nanoTime();
                System.out.printf("cross-node: 3 x %d publishes on node 1 acknowledged in %d ms; all online "
                        + "subscribers on nodes 2 and 3 complete %d ms later%n", MESSAGES,
                        TimeUnit.NANOSECONDS.toMillis(acked - started),
                        TimeUnit.NANOSECONDS.toMillis(delivered - acked));

                Ledger back = new Ledger(offline2.name);
                clients.add(subscriber5(node2, "sub-offline-2", true, back, false));
                back.awaitComplete();
                for (Ledger ledger : List.of(clean2, persistent3, v3clean3, back)) {
                    ledger.assertInOrderWithoutGapsOrQos2Duplicates();
                }
                // One record per message, however many nodes want it.
                assertEquals(3.0 * MESSAGES, appends(1), "node 1's appends of the publishes");
                // Node 1 reads its own records too, and skips them: they name nodes 2 and 3 only.
                Await.until(Duration.ofSeconds(10), "node 1 to skip its own records", () ->
                        metric(1, "tributary_cluster_skipped_total") == 3.0 * MESSAGES);

                // The interest filter: nobody on another node wants these; a subscriber on node 1 still gets them.
                Ledger local = new Ledger("node 1, local");
                clients.add(subscriber5(node1, "sub-local-1", false, local, true, "quiet/#"));
                double before = appends(1);
                Mqtt5AsyncClient quiet = client5(node1, "pub-quiet");
                quiet.connect().orTimeout(20, TimeUnit.SECONDS).join();
                List<CompletableFuture<?>> quietAcks = new ArrayList<>();
                for (int i = 1; i <= 100; i++) {
                    quietAcks.add(quiet.publishWith().topic("quiet/q1").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send());
                }
                CompletableFuture.allOf(quietAcks.toArray(new CompletableFuture<?>[0]))
                        .orTimeout(20, TimeUnit.SECONDS).join();
                quiet.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
                Await.until(Duration.ofSeconds(10), "node 1's local subscriber got 100",
                        () -> local.count("quiet/q1") == 100);
                assertEquals(before, appends(1), "a publish no other node wants appends nothing");

                eventStreamSeesEveryNode(node1);
                requestsAcrossNodes(node2, node3);
                staleEntriesGoAfterAKill(nodes.get(2), node1);
            } finally {
                for (AutoCloseable client : clients) {
                    try {
                        client.close();
                    } catch (Exception e) {
                        // the node may be gone; nothing to close
                    }
                }
                for (TributaryChild node : nodes) {
                    node.close();
                }
            }
        }
    }

    /**
     * A node killed with {@code kill -9} loses its clean sessions; once restarted it removes their entries from the
     * table, so other nodes stop appending for them. Before: node 1 appends for node 3's clean subscriber.
     */
    private void staleEntriesGoAfterAKill(TributaryChild third, int node1) {
        Mqtt5AsyncClient doomed = client5(third.mqttPort(), "doomed");
        doomed.connect().orTimeout(20, TimeUnit.SECONDS).join();
        doomed.subscribeWith().topicFilter("only3/#").qos(MqttQos.AT_LEAST_ONCE).send()
                .orTimeout(20, TimeUnit.SECONDS).join();
        Mqtt5AsyncClient publisher = client5(node1, "pub-only3");
        publisher.connect().orTimeout(20, TimeUnit.SECONDS).join();
        try {
            double before = appends(1);
            publish(publisher, "only3/t");
            assertEquals(before + 1, appends(1), "appended for node 3's subscriber");

            third.kill();
            third.start();
            Await.until(Duration.ofSeconds(20), "node 1 to stop appending for the session node 3 lost", () -> {
                double now = appends(1);
                publish(publisher, "only3/t");
                return appends(1) == now;
            });
        } finally {
            publisher.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private static void publish(Mqtt5AsyncClient publisher, String topic) {
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes(StandardCharsets.UTF_8))
                .send().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /**
     * {@code SubscribeOptions.everyNode()}: an event stream of the HTTP API on node 2 sees what a device publishes on
     * node 1. An in-process subscription has no SUBACK to wait for, so the first messages may come before node 1
     * knows the stream; once one arrived, every later one does.
     */
    private void eventStreamSeesEveryNode(int node1) throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> opened = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(2)
                        + "/api/v1/stream?filter=sse/%23")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> response = opened.get(20, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        Thread reader = new Thread(() -> response.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        Mqtt5AsyncClient device = client5(node1, "sse-device");
        device.connect().orTimeout(20, TimeUnit.SECONDS).join();
        try {
            int[] sent = {0};
            Await.until(Duration.ofSeconds(15), "the stream on node 2 to get a publish of node 1", () -> {
                sent[0]++;
                device.publishWith().topic("sse/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("early-" + sent[0]).getBytes(StandardCharsets.UTF_8)).send()
                        .orTimeout(10, TimeUnit.SECONDS).join();
                return lines.stream().anyMatch(line -> line.contains("\"payload\":\"early-"));
            });
            for (int i = 1; i <= 20; i++) {
                device.publishWith().topic("sse/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("sse-" + i).getBytes(StandardCharsets.UTF_8)).send()
                        .orTimeout(10, TimeUnit.SECONDS).join();
            }
            try {
                Await.until(Duration.ofSeconds(10), "the stream on node 2 to get all 20", () -> lines.stream()
                        .filter(line -> line.startsWith("data:") && line.contains("\"payload\":\"sse-")).count() == 20);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the stream said: " + lines, e);
            }
        } finally {
            device.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
            response.body().close();
        }
    }

    /**
     * The SUBACK barrier: a requester on node 2 subscribes to its response topic and publishes its request the
     * moment the SUBACK comes; the responder on node 3 answers. Without the barrier, node 3 may not know the new
     * subscription yet when the response is published, and appends nothing.
     */
    private static void requestsAcrossNodes(int node2, int node3) {
        Mqtt5AsyncClient responder = client5(node3, "responder");
        responder.connect().orTimeout(20, TimeUnit.SECONDS).join();
        responder.subscribeWith().topicFilter("req/+").qos(MqttQos.AT_LEAST_ONCE).callback(request ->
                responder.publishWith().topic("resp/" + request.getTopic().getLevels().get(1))
                        .qos(MqttQos.AT_LEAST_ONCE).payload(request.getPayloadAsBytes()).send())
                .send().orTimeout(20, TimeUnit.SECONDS).join();
        Mqtt5AsyncClient requester = client5(node2, "requester");
        requester.connect().orTimeout(20, TimeUnit.SECONDS).join();
        Map<String, CompletableFuture<Void>> answered = new ConcurrentHashMap<>();
        long[] subackMicros = new long[ROUNDS];
        long[] roundTripMicros = new long[ROUNDS];
        List<String> lost = new ArrayList<>();
        try {
            for (int i = 0; i < ROUNDS; i++) {
                String id = "r" + i;
                CompletableFuture<Void> response = new CompletableFuture<>();
                answered.put(id, response);
                long start = System.nanoTime();
                requester.subscribeWith().topicFilter("resp/" + id).qos(MqttQos.AT_LEAST_ONCE)
                        .callback(publish -> answered.get(publish.getTopic().getLevels().get(1)).complete(null))
                        .send().orTimeout(30, TimeUnit.SECONDS).join();
                long subacked = System.nanoTime();
                requester.publishWith().topic("req/" + id).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(id.getBytes(StandardCharsets.UTF_8)).send();
                try {
                    response.get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    lost.add(id);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                subackMicros[i] = TimeUnit.NANOSECONDS.toMicros(subacked - start);
                roundTripMicros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - subacked);
                requester.unsubscribeWith().topicFilter("resp/" + id).send().orTimeout(30, TimeUnit.SECONDS).join();
            }
        } finally {
            requester.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
            responder.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
        }
        Arrays.sort(subackMicros);
        Arrays.sort(roundTripMicros);
        System.out.printf("cross-node requests: %d rounds, %d lost; SUBACK (with the barrier) p50 %.1f ms, p99 %.1f "
                        + "ms; request to response across nodes p50 %.1f ms, p99 %.1f ms%n", ROUNDS, lost.size(),
                subackMicros[ROUNDS / 2] / 1000.0, subackMicros[ROUNDS * 99 / 100] / 1000.0,
                roundTripMicros[ROUNDS / 2] / 1000.0, roundTripMicros[ROUNDS * 99 / 100] / 1000.0);
        assertEquals(List.of(), lost, "requests whose response never came");
    }

    /** What one subscriber received, per topic, in order. */
    private static final class Ledger {
        final String name;
        final Map<String, List<Integer>> received = new ConcurrentHashMap<>();

        Ledger(String name) {
            this.name = name;
        }

        void add(String topic, byte[] payload) {
            List<Integer> list = received.computeIfAbsent(topic, t -> new ArrayList<>());
            synchronized (list) {
                list.add(Integer.parseInt(new String(payload, StandardCharsets.UTF_8)));
            }
        }

        int count(String topic) {
            List<Integer> list = received.get(topic);
            if (list == null) {
                return 0;
            }
            synchronized (list) {
                return list.size();
            }
        }

        /** The QoS 1 and 2 publishers' messages all came (QoS 1 perhaps twice), and the QoS 0 one's last. */
        void awaitComplete() {
            Await.until(DELIVERED, name + " to receive every QoS 1 and 2 message", () ->
                    distinct("x/q1") == MESSAGES && distinct("x/q2") == MESSAGES);
        }

        private long distinct(String topic) {
            List<Integer> list = received.get(topic);
            if (list == null) {
                return 0;
            }
            synchronized (list) {
                return list.stream().distinct().count();
            }
        }

        void assertInOrderWithoutGapsOrQos2Duplicates() {
            for (int qos = 0; qos <= 2; qos++) {
                List<Integer> list = received.getOrDefault("x/q" + qos, List.of());
                List<Integer> copy;
                synchronized (list) {
                    copy = new ArrayList<>(list);
                }
                int previous = 0;
                for (int value : copy) {
                    // A QoS 1 duplicate repeats; nothing ever goes back further.
                    assertTrue(value > previous || qos == 1 && value == previous, name + ", QoS " + qos
                            + ": " + value + " after " + previous);
                    previous = value;
                }
                if (qos == 2) {
                    assertEquals(MESSAGES, copy.size(), name + ": QoS 2, each exactly once");
                }
                if (qos >= 1) {
                    assertEquals(MESSAGES, copy.stream().distinct().count(), name + ": QoS " + qos + " gaps");
                }
                System.out.printf("%s: QoS %d, %d received%n", name, qos, copy.size());
            }
        }
    }

    /** A connected client and what closes it. */
    private record Subscriber(Object client, AutoCloseable closer) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    private static Subscriber subscriber5(int port, String id, boolean persistent, Ledger ledger) {
        return subscriber5(port, id, persistent, ledger, true, "x/#");
    }

    private static Subscriber subscriber5(int port, String id, boolean persistent, Ledger ledger, boolean cleanStart) {
        return subscriber5(port, id, persistent, ledger, cleanStart, "x/#");
    }

    /** An MQTT 5 subscriber at QoS 2; a persistent one keeps its session an hour. */
    private static Subscriber subscriber5(int port, String id, boolean persistent, Ledger ledger, boolean cleanStart,
                                          String filter) {
        Mqtt5AsyncClient client = client5(port, id);
        BiConsumer<String, byte[]> take = ledger::add;
        client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL,
                publish -> take.accept(publish.getTopic().toString(), publish.getPayloadAsBytes()));
        client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(persistent ? 3600 : 0)
                .restrictions().receiveMaximum(1000).applyRestrictions().send().orTimeout(20, TimeUnit.SECONDS).join();
        if (cleanStart) {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.EXACTLY_ONCE).send()
                    .orTimeout(20, TimeUnit.SECONDS).join();
        }
        return new Subscriber(client, () -> client.disconnect().orTimeout(10, TimeUnit.SECONDS).join());
    }

    /** An MQTT 3.1.1 subscriber with a clean session, at QoS 2. */
    private static Subscriber subscriber3(int port, String id, Ledger ledger) {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL,
                publish -> ledger.add(publish.getTopic().toString(), publish.getPayloadAsBytes()));
        client.connectWith().cleanSession(true).send().orTimeout(20, TimeUnit.SECONDS).join();
        client.subscribeWith().topicFilter("x/#").qos(MqttQos.EXACTLY_ONCE).send().orTimeout(20, TimeUnit.SECONDS)
                .join();
        return new Subscriber(client, () -> client.disconnect().orTimeout(10, TimeUnit.SECONDS).join());
    }

    private static Mqtt5AsyncClient client5(int port, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .buildAsync();
    }

    /** {@code tributary_cluster_appends_total{kind="publish"}} of node {@code n}. */
    private double appends(int n) {
        return metric(n, "tributary_cluster_appends_total{kind=\"publish\"");
    }

    /** The first sample of node {@code n}'s {@code GET /metrics} whose line starts with {@code start}. */
    private double metric(int n, String start) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPorts.get(n) + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            Matcher line = Pattern.compile("(?m)^" + Pattern.quote(start) + "[^ ]* (\\S+)$")
                    .matcher(response.body());
            assertTrue(line.find(), response.body());
            return Double.parseDouble(line.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void startThree(List<TributaryChild> nodes, KafkaServer kafka) throws IOException {
        ThreeNodes.start(folder, kafka, "  max-queued-messages: 20000\n",
                "  partitions: { messages: 4, sessions: 2 }\n  checkpoint-interval: 100ms\n", TOKEN, nodes, httpPorts);
    }
}
