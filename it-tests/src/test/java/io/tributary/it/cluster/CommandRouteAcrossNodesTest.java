package io.tributary.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.it.crash.TributaryChild;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lost command (issue 17): three {@code tributary run} processes, one Kafka, one command route in one
 * consumer group on every node, a 4-partition command topic, and devices on different nodes. Every command written
 * to Kafka reaches its device, whichever node's route consumer read it, in the topic's order per device; again
 * after {@code kill -9} of a node that runs the route mid-stream, and for a device whose persistent session waited
 * offline on its node, or on the killed node until it came back.
 */
class CommandRouteAcrossNodesTest {
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    /** The HTTP API port of each node started, by node name, for its readiness. */
    private final Map<String, Integer> httpPorts = new HashMap<>();

    @Test
    void everyCommittedCommandReachesItsDeviceOnAnyNodeAcrossAKill() throws Exception {
        try (KafkaServer kafka = KafkaServer.startDedicated("cluster-commands")) {
            kafka.createTopic("commands", 4);
            List<TributaryChild> nodes = new ArrayList<>();
            try {
                startThree(nodes, "node-", kafka, true);
                for (int n = 1; n <= 3; n++) {
                    assertReady("node-" + n);
                }
                CommandDevice d1 = new CommandDevice("d1", nodes.get(0).mqttPort());
                CommandDevice d2 = new CommandDevice("d2", nodes.get(1).mqttPort());
                CommandDevice d3 = new CommandDevice("d3", nodes.get(2).mqttPort());
                CommandDevice away = new CommandDevice("away", nodes.get(1).mqttPort());
                for (CommandDevice device : List.of(d1, d2, d3, away)) {
                    device.connect();
                }
                away.disconnect(); // its commands wait in its session on node 2
                List<CommandDevice> devices = List.of(d1, d2, d3, away);

                try (Producer<String, String> producer = producer(kafka)) {
                    // 1. Every node runs, every device is somewhere: 20 of 20 each, in order.
                    write(producer, devices, 1, 20);
                    for (CommandDevice device : List.of(d1, d2, d3)) {
                        Await.until(DELIVERY, device.id() + " to get its 20 commands",
                                () -> device.received().size() >= 20);
                        assertEquals(expected(device, 1, 20), device.received(), device.id() + " got each once, in order");
                    }
                    away.connect();
                    Await.until(DELIVERY, "away to get its 20 commands on reconnecting",
                            () -> away.received().size() >= 20);
                    assertEquals(expected(away, 1, 20), away.received());
                    away.disconnect();

                    // 2. kill -9 of node 3 (which holds partitions of the route's group) in the middle of the stream.
                    ExecutorService writer = Executors.newSingleThreadExecutor();
                    Future<?> writing = writer.submit(() -> {
                        write(producer, devices, 21, 120);
                        return null;
                    });
                    Await.until(DELIVERY, "d1 to get some of the next commands", () -> d1.received().size() >= 40);
                    try (Admin admin = admin(kafka)) {
                        assertTrue(partitionsOf(admin, "node-3") > 0, "node 3's route consumer reads commands");
                    }
                    nodes.get(2).kill();
                    try {
                        writing.get();
                    } finally {
                        writer.shutdown();
                    }
                    for (CommandDevice device : List.of(d1, d2)) {
                        Await.until(DELIVERY, device.id() + " to get all 120 commands",
                                () -> device.distinct().containsAll(expected(device, 1, 120)));
                        assertInKafkaOrder(device);
                    }
                    away.connect();
                    Await.until(DELIVERY, "away to get all 120 commands",
                            () -> away.distinct().containsAll(expected(away, 1, 120)));
                    assertInKafkaOrder(away);

                    // 3. Node 3 comes back: d3's persistent session there gets what was written while it was dead.
                    Await.until(Duration.ofSeconds(20), "d3 to see node 3's connection closed", () -> !d3.isConnected());
                    nodes.get(2).start();
                    assertReady("node-3");
                    d3.connect();
                    Await.until(DELIVERY, "d3 to get all 120 commands from its node's checkpoint",
                            () -> d3.distinct().containsAll(expected(d3, 1, 120)));
                    assertInKafkaOrder(d3);
                    int duplicates = d1.duplicates() + d2.duplicates() + d3.duplicates() + away.duplicates();
                    System.out.printf("cluster command route: 4 devices x 120 commands, none lost, %d duplicates "
                            + "(d1 %d, d2 %d, d3 %d, away %d)%n", duplicates, d1.duplicates(), d2.duplicates(),
                            d3.duplicates(), away.duplicates());
                    assertTrue(duplicates <= 4 * 100, "duplicates bounded by the commands in flight at the kill: "
                            + duplicates);
                }
                for (CommandDevice device : devices) {
                    device.disconnect();
                }
            } finally {
                for (TributaryChild node : nodes) {
                    node.close();
                }
            }
        }
    }

    /**
     * The case, reproduced, so that the test above can fail: the same three nodes and group without
     * {@code cluster}. Once the group committed every record, commands read by a node where their device is not
     * connected are gone.
     */
    @Test
    void withoutAClusterOneGroupAcrossNodesLosesCommands() throws Exception {
        try (KafkaServer kafka = KafkaServer.startDedicated("plain-commands")) {
            kafka.createTopic("commands", 4);
            List<TributaryChild> nodes = new ArrayList<>();
            try {
                startThree(nodes, "plain-", kafka, false);
                List<CommandDevice> devices = new ArrayList<>();
                for (int n = 0; n < 3; n++) {
                    CommandDevice device = new CommandDevice("p" + (n + 1), nodes.get(n).mqttPort());
                    device.connect();
                    devices.add(device);
                }
                try (Producer<String, String> producer = producer(kafka); Admin admin = admin(kafka)) {
                    write(producer, devices, 1, 20);
                    Await.until(DELIVERY, "the group to commit all 60 commands", () -> committed(admin) >= 60);
                }
                int received = devices.stream().mapToInt(device -> device.distinct().size()).sum();
                System.out.printf("without cluster: %d of 60 commands reached their devices%n", received);
                assertTrue(received < 60, "one group over built-in brokers loses the commands of other nodes' "
                        + "devices: " + received + " of 60 arrived");
                for (CommandDevice device : devices) {
                    device.disconnect();
                }
            } finally {
                for (TributaryChild node : nodes) {
                    node.close();
                }
            }
        }
    }

    /** {@code /health/ready} of {@code node} answers 200 with its cluster check up, listing {@code node}. */
    private void assertReady(String node) throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(node)
                        + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        // "up: 3 nodes (node-1, node-2, node-3)": up, and this node among the live ones.
        assertTrue(ready.body().matches("(?s).*\"cluster\":\"up: \\d+ nodes? \\([^)]*\\b" + node + "\\b[^)]*\\)\".*"),
                ready.body());
    }

    private static Admin admin(KafkaServer kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** How many partitions of the command topic the route consumer of {@code node} holds (its client id). */
    private static int partitionsOf(Admin admin, String node) throws Exception {
        return admin.describeConsumerGroups(List.of("commands")).all().get().get("commands").members().stream()
                .filter(member -> member.clientId().startsWith(node))
                .mapToInt(member -> member.assignment().topicPartitions().size()).sum();
    }

    private static long committed(Admin admin) {
        try {
            return admin.listConsumerGroupOffsets("commands").partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(offset -> offset == null ? 0 : offset.offset()).sum();
        } catch (ExecutionException e) {
            return 0; // the group has not committed yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes commands {@code from}..{@code to} to every device, each acknowledged by Kafka before the next. */
    private static void write(Producer<String, String> producer, List<CommandDevice> devices, int from, int to)
            throws ExecutionException, InterruptedException {
        for (int i = from; i <= to; i++) {
            for (CommandDevice device : devices) {
                producer.send(new ProducerRecord<>("commands", device.id(), device.id() + "-" + i)).get();
            }
        }
    }

    private static List<String> expected(CommandDevice device, int from, int to) {
        List<String> payloads = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            payloads.add(device.id() + "-" + i);
        }
        return payloads;
    }

    /**
     * Each command's first arrival comes after the first arrival of every earlier one: redeliveries after the
     * kill repeat a stretch, but never reorder what is new.
     */
    private static void assertInKafkaOrder(CommandDevice device) {
        List<String> first = new ArrayList<>(device.distinct());
        assertEquals(expected(device, 1, first.size()), first, device.id() + ": first arrivals in Kafka order");
    }

    private static Producer<String, String> producer(KafkaServer kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** Starts three nodes into {@code nodes} (so that the caller closes those that started), each on its own port. */
    private void startThree(List<TributaryChild> nodes, String folderPrefix, KafkaServer kafka, boolean cluster) {
        DistinctPorts ports = new DistinctPorts();
        Path token = folder.resolve("api-token");
        try {
            Files.writeString(token, "not-needed-for-health\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int n = 1; n <= 3; n++) {
            int port = ports.next();
            int httpPort = ports.next();
            httpPorts.put("node-" + n, httpPort);
            String yaml = nodeYaml("node-" + n, port, kafka.bootstrapServers()) + "http-api: { host: 127.0.0.1, "
                    + "port: %d, tokens: [ { file: \"%s\" } ] }\n".formatted(httpPort, token);
            if (!cluster) {
                yaml = yaml.replaceAll("(?s)cluster:.*?checkpoint-interval: 100ms\n", "");
            }
            nodes.add(new TributaryChild(folder.resolve(folderPrefix + n), port, yaml).start());
        }
    }

    /**
     * One node: the same file on every node but for its name and port. The route's consumers find a dead member
     * within 6 s (the broker's minimum session timeout), so the test does not wait the default 45 s.
     */
    private static String nodeYaml(String node, int port, String bootstrapServers) {
        return """
                broker:
                  listeners: [ { name: mqtt, type: tcp, host: 127.0.0.1, port: %d } ]
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "%s"
                      properties:
                        client.id: "%s"
                        session.timeout.ms: "6000"
                        heartbeat.interval.ms: "1000"
                cluster:
                  kafka: main
                  node: %s
                  partitions: { messages: 4, sessions: 2 }
                  checkpoint-interval: 100ms
                routes:
                  - name: commands
                    from: { kafka: { connection: main, topic: commands, group: commands } }
                    to: { mqtt: { topic: "devices/{key}/commands", qos: 1 } }
                """.formatted(port, bootstrapServers, node, node);
    }
}
