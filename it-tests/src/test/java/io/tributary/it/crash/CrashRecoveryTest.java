package io.tributary.it.crash;


import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.it.crash.AckedPublisher.Message;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.net.FreePort;
import io.tributary.testsupport.process.KillSchedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary run} killed with SIGKILL at random moments under load, and started again on the same data
 * directory: after each restart, everything the broker acknowledged is there. Three scenarios, {@value #KILLS}
 * kills in all:
 * <ul>
 *   <li>QoS 1 and QoS 2 messages from devices to devices with persistent sessions, the subscribers online or
 *       offline at the kill: every message whose PUBACK (QoS 1) or PUBREC (QoS 2) the publisher received is
 *       delivered after the restart; QoS 1 duplicates at most the subscriber's in-flight window per kill, QoS 2
 *       none;</li>
 *   <li>retained updates: each topic's retained message is the last acknowledged one or a later one;</li>
 *   <li>Kafka records for offline devices: every record whose offset the route committed reaches its device.</li>
 * </ul>
 * The moments of the kills and who is online come from a seeded random (the seed is printed; see
 * {@link KillSchedule}). Each scenario prints a table of what it saw, round by round.
 */
class CrashRecoveryTest {
    /** Kills per scenario; {@value #KILLS} in the whole class. */
    static final int DEVICE_KILLS = 8;
    static final int RETAINED_KILLS = 6;
    static final int COMMAND_KILLS = 6;
    static final int KILLS = DEVICE_KILLS + RETAINED_KILLS + COMMAND_KILLS;
    /** How long traffic runs before each kill: uniform in this range. */
    static final Duration KILL_EARLIEST = Duration.ofMillis(150);
    static final Duration KILL_LATEST = Duration.ofMillis(1200);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);
    /** After the expected messages, how long to keep listening for late duplicates. */
    private static final long QUIET_MILLIS = 300;
    /** How long a restarted route may take to join its group and commit. */
    private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(60);
    private static final long COMMAND_PAUSE_MILLIS = 10;
    private static final int RETAINED_TOPICS = 5;
    private static final int DEVICES = 3;

    @TempDir
    Path folder;

    @Test
    @Timeout(300) // about 60 s when nothing goes wrong; each round that waits in vain adds up to 40 s
    void acknowledgedQos1AndQos2MessagesBetweenDevicesSurviveKill9() {
        KillSchedule schedule = KillSchedule.between("devices", KILL_EARLIEST, KILL_LATEST);
        int port = FreePort.onLoopback();
        Set<String> ackedQos1 = ConcurrentHashMap.newKeySet();
        Set<String> ackedQos2 = ConcurrentHashMap.newKeySet();
        AtomicLong sequence = new AtomicLong();
        Report report = new Report("devices", schedule.seed(),
                "round | q1 online | q2 online | kill after ms | sent q1/q2 | acked q1/q2 | acked so far q1/q2 "
                        + "| missing q1/q2 | duplicates q1/q2 | connections dropped so far q1/q2");
        try (TributaryChild tributary = new TributaryChild(folder, port, brokerYaml(port)).start()) {
            PersistentDevice q1 = new PersistentDevice("sub-q1", port, "crash/q1", MqttQos.AT_LEAST_ONCE);
            PersistentDevice q2 = new PersistentDevice("sub-q2", port, "crash/q2", MqttQos.EXACTLY_ONCE);
            q1.connect();
            q2.connect();
            for (int round = 1; round <= DEVICE_KILLS; round++) {
                boolean q1Online = schedule.random().nextBoolean();
                boolean q2Online = schedule.random().nextBoolean();
                setOnline(q1, q1Online);
                setOnline(q2, q2Online);
                Duration killAfter = schedule.nextKill();
                int acked1Before = ackedQos1.size();
                int acked2Before = ackedQos2.size();
                long sent1;
                long sent2;
                try (AckedPublisher p1 = new AckedPublisher("pub-q1", port, MqttQos.AT_LEAST_ONCE,
                        () -> new Message("crash/q1", "q1-" + sequence.incrementAndGet(), false), ackedQos1::add);
                     AckedPublisher p2 = new AckedPublisher("pub-q2", port, MqttQos.EXACTLY_ONCE,
                        () -> new Message("crash/q2", "q2-" + sequence.incrementAndGet(), false), ackedQos2::add)) {
                    Await.sleep(killAfter.toMillis()); // the random moment of the kill, under traffic
                    tributary.kill();
                    sent1 = p1.sent();
                    sent2 = p2.sent();
                }
                List<String> expected1 = List.copyOf(ackedQos1);
                List<String> expected2 = List.copyOf(ackedQos2);
                int dup1Before = q1.duplicates();
                int dup2Before = q2.duplicates();
                awaitDisconnected(q1, q2);

                tributary.start();
                boolean present1 = q1.connect();
                boolean present2 = q2.connect();
                List<String> missing1 = awaitReceived(q1, expected1, present1);
                List<String> missing2 = awaitReceived(q2, expected2, present2);
                if (!awaitQuiet(q1, q2)) {
                    report.problem("after kill " + round + " the subscribers still received messages after "
                            + DELIVERY_TIMEOUT.toSeconds() + " s");
                }
                int dup1 = q1.duplicates() - dup1Before;
                int dup2 = q2.duplicates() - dup2Before;
                report.row(round, q1Online, q2Online, killAfter.toMillis(), sent1 + "/" + sent2,
                        (expected1.size() - acked1Before) + "/" + (expected2.size() - acked2Before),
                        expected1.size() + "/" + expected2.size(), missing1.size() + "/" + missing2.size(),
                        dup1 + "/" + dup2, q1.drops() + "/" + q2.drops());
                if (!missing1.isEmpty() || !missing2.isEmpty()) {
                    report.problem("after kill " + round + " acknowledged messages were not delivered (session present "
                            + present1 + "/" + present2 + "): QoS 1 missing " + missing1.size() + " of "
                            + expected1.size() + sample(missing1) + "; QoS 2 missing " + missing2.size() + " of "
                            + expected2.size() + sample(missing2));
                }
                if (dup1 > PersistentDevice.RECEIVE_MAXIMUM || dup2 > 0) {
                    report.problem("after kill " + round + ": " + dup1 + " QoS 1 duplicates (at most "
                            + PersistentDevice.RECEIVE_MAXIMUM + ", the subscriber's window, allowed) and " + dup2
                            + " QoS 2 duplicates (none allowed)");
                }
            }
            q1.disconnect();
            q2.disconnect();
            report.finish(tributary);
        }
    }

    @Test
    @Timeout(150)
    void theRetainedMessageAfterKill9IsTheLastAcknowledgedOrLater() {
        KillSchedule schedule = KillSchedule.between("retained", KILL_EARLIEST, KILL_LATEST);
        int port = FreePort.onLoopback();
        AtomicLong sequence = new AtomicLong();
        Map<String, Long> lastAcked = new ConcurrentHashMap<>();
        Report report = new Report("retained", schedule.seed(),
                "round | kill after ms | sent | acked | topics behind");
        try (TributaryChild tributary = new TributaryChild(folder, port, brokerYaml(port)).start()) {
            for (int round = 1; round <= RETAINED_KILLS; round++) {
                Duration killAfter = schedule.nextKill();
                AtomicLong acked = new AtomicLong();
                long sent;
                try (AckedPublisher publisher = new AckedPublisher("pub-retained", port, MqttQos.AT_LEAST_ONCE,
                        () -> {
                            long n = sequence.incrementAndGet();
                            return new Message("crash/r/" + (n % RETAINED_TOPICS), Long.toString(n), true);
                        },
                        payload -> {
                            long n = Long.parseLong(payload);
                            lastAcked.merge("crash/r/" + (n % RETAINED_TOPICS), n, Math::max);
                            acked.incrementAndGet();
                        })) {
                    Await.sleep(killAfter.toMillis());
                    tributary.kill();
                    sent = publisher.sent();
                }
                Map<String, Long> expected = new TreeMap<>(lastAcked);

                tributary.start();
                Map<String, Long> retained = readRetained(port, expected.keySet());
                List<String> behind = new ArrayList<>();
                expected.forEach((topic, n) -> {
                    Long seen = retained.get(topic);
                    if (seen == null || seen < n) {
                        behind.add(topic + ": retained " + seen + ", last acknowledged " + n);
                    }
                });
                report.row(round, killAfter.toMillis(), sent, acked.get(), behind.size());
                if (!behind.isEmpty()) {
                    report.problem("after kill " + round + " retained messages went back before their last "
                            + "acknowledged update: " + behind);
                }
            }
            report.finish(tributary);
        }
    }

    @Test
    @Timeout(180)
    void everyCommittedKafkaCommandReachesItsOfflineDeviceAfterKill9() throws Exception {
        KillSchedule schedule = KillSchedule.between("commands", KILL_EARLIEST, KILL_LATEST);
        KafkaServer kafka = KafkaServer.shared();
        String topic = KafkaServer.uniqueTopic("crash-commands");
        String group = topic + "-group";
        kafka.createTopic(topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        int port = FreePort.onLoopback();
        // Static membership: the restarted consumer takes the killed one's place at once, instead of the group
        // waiting out the dead member's session.
        String yaml = brokerYaml(port) + """
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "%s"
                      properties:
                        group.instance.id: "%s-member"
                        session.timeout.ms: "10000"
                routes:
                  - name: commands-to-devices
                    from: { kafka: { connection: main, topic: "%s", group: "%s" } }
                    to:   { mqtt: { topic: "devices/{key}/commands", qos: 1 } }
                """.formatted(kafka.bootstrapServers(), group, topic, group);
        Map<Long, String> written = new ConcurrentHashMap<>(); // offset -> "key value"
        AtomicLong sequence = new AtomicLong();
        Report report = new Report("commands", schedule.seed(),
                "round | kill after ms | written | committed offset | uncommitted at kill | missing | duplicates");
        try (TributaryChild tributary = new TributaryChild(folder, port, yaml).start();
             KafkaProducer<String, String> producer = producer(kafka);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            List<PersistentDevice> devices = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                PersistentDevice device = new PersistentDevice("d" + d, port, "devices/d" + d + "/commands",
                        MqttQos.AT_LEAST_ONCE);
                device.connect();
                device.disconnect();
                devices.add(device);
            }
            for (int round = 1; round <= COMMAND_KILLS; round++) {
                // The kill counts only once the route consumes: a first batch, all of it committed.
                writeCommands(producer, topic, sequence, written);
                long firstBatchEnd = sequence.get();
                try {
                    Await.until(ROUTE_TIMEOUT, "the route to commit the round's first commands",
                            () -> committedOffset(admin, group, partition) >= firstBatchEnd);
                } catch (AssertionError notConsuming) {
                    report.fail(notConsuming.getMessage(), tributary);
                }
                Duration killAfter = schedule.nextKill();
                long deadline = System.nanoTime() + killAfter.toNanos();
                while (System.nanoTime() < deadline) {
                    writeCommands(producer, topic, sequence, written);
                    Await.sleep(COMMAND_PAUSE_MILLIS); // at most 2,000 commands a second, so no backlog builds
                }
                tributary.kill();
                long committedOffset = committedOffset(admin, group, partition);
                Map<String, List<String>> expected = new TreeMap<>();
                written.forEach((offset, record) -> {
                    if (offset < committedOffset) {
                        String[] keyValue = record.split(" ", 2);
                        expected.computeIfAbsent(keyValue[0], k -> new ArrayList<>()).add(keyValue[1]);
                    }
                });
                int duplicatesBefore = devices.stream().mapToInt(PersistentDevice::duplicates).sum();

                tributary.start();
                int missing = 0;
                StringBuilder detail = new StringBuilder();
                for (PersistentDevice device : devices) {
                    boolean present = device.connect();
                    List<String> missed = awaitReceived(device,
                            expected.getOrDefault(device.id(), List.of()), present);
                    missing += missed.size();
                    if (!missed.isEmpty()) {
                        detail.append(device.id()).append(" (session present ").append(present).append(") missing ")
                                .append(missed.size()).append(sample(missed)).append("; ");
                    }
                }
                if (!awaitQuiet(devices.toArray(PersistentDevice[]::new))) {
                    report.problem("after kill " + round + " the devices still received messages after "
                            + DELIVERY_TIMEOUT.toSeconds() + " s");
                }
                devices.forEach(PersistentDevice::disconnect);
                int duplicates = devices.stream().mapToInt(PersistentDevice::duplicates).sum() - duplicatesBefore;
                report.row(round, killAfter.toMillis(), written.size(), committedOffset, written.size() - committedOffset,
                        missing, duplicates);
                if (missing > 0) {
                    report.problem("after kill " + round + " committed records did not reach their devices: "
                            + detail);
                }
            }
            report.finish(tributary);
        }
    }

    /** The broker on a fixed loopback port, with queues large enough that no acknowledged message is dropped. */
    private static String brokerYaml(int port) {
        return """
                broker:
                  max-queued-messages: 1000000
                  max-queued-bytes: 268435456
                  listeners: [ { name: mqtt, type: tcp, host: 127.0.0.1, port: %d } ]
                """.formatted(port);
    }

    private static void setOnline(PersistentDevice device, boolean online) {
        if (online && !device.isConnected()) {
            device.connect();
        } else if (!online) {
            device.disconnect();
        }
    }

    /** The clients notice the dead broker's closed sockets before they connect again. */
    private static void awaitDisconnected(PersistentDevice... devices) {
        for (PersistentDevice device : devices) {
            Await.until(Duration.ofSeconds(10), device.id() + " to see its connection closed",
                    () -> !device.isConnected());
        }
    }

    /**
     * Waits until {@code device} has every payload of {@code expected}, connecting it again (as a device would)
     * whenever its connection drops; returns those it still lacks.
     */
    private static List<String> awaitReceived(PersistentDevice device, List<String> expected, boolean sessionPresent) {
        if (!sessionPresent && !expected.isEmpty()) {
            return device.missing(expected); // a new session: nothing queued will come
        }
        try {
            Await.until(DELIVERY_TIMEOUT, device.id() + " to receive " + expected.size() + " messages", () -> {
                if (!device.isConnected()) {
                    device.reconnectAfterDrop();
                }
                return device.missing(expected).isEmpty();
            });
        } catch (AssertionError timedOut) {
            // reported by the caller with the rest of the round
        }
        return device.missing(expected);
    }

    /**
     * Waits until no device received anything for {@link #QUIET_MILLIS}, so that a late duplicate is counted.
     * Returns false if they never went quiet (messages sent again and again).
     */
    private static boolean awaitQuiet(PersistentDevice... devices) {
        try {
            Await.until(DELIVERY_TIMEOUT, "the devices to go quiet", () -> {
                for (PersistentDevice device : devices) {
                    if (device.quietMillis() < QUIET_MILLIS) {
                        return false;
                    }
                }
                return true;
            });
            return true;
        } catch (AssertionError stillReceiving) {
            return false;
        }
    }

    /** The retained message of each of {@code topics} (as its sequence number), read by a new clean session. */
    private static Map<String, Long> readRetained(int port, Set<String> topics) {
        Map<String, Long> retained = new ConcurrentHashMap<>();
        Mqtt5AsyncClient reader = MqttClient.builder().useMqttVersion5().identifier("retained-reader")
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        reader.publishes(MqttGlobalPublishFilter.ALL, publish -> retained.put(publish.getTopic().toString(),
                Long.parseLong(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8))));
        reader.connectWith().cleanStart(true).send().orTimeout(20, TimeUnit.SECONDS).join();
        try {
            reader.subscribeWith().topicFilter("crash/r/#").qos(MqttQos.AT_LEAST_ONCE).send()
                    .orTimeout(20, TimeUnit.SECONDS).join();
            try {
                Await.until(Duration.ofSeconds(5), "the retained messages of " + topics,
                        () -> retained.keySet().containsAll(topics));
            } catch (AssertionError timedOut) {
                // the caller names the topics without one
            }
            return Map.copyOf(retained);
        } finally {
            reader.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    /** Writes 20 commands, keyed by device in turn, and waits for Kafka's acknowledgements. */
    private static void writeCommands(KafkaProducer<String, String> producer, String topic, AtomicLong sequence,
                                      Map<Long, String> written) {
        for (int i = 0; i < 20; i++) {
            long n = sequence.incrementAndGet();
            String key = "d" + (n % DEVICES);
            String value = "cmd-" + n;
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    written.put(metadata.offset(), key + " " + value);
                }
            });
        }
        producer.flush();
    }

    private static long committedOffset(Admin admin, String group, TopicPartition partition) {
        try {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(partition);
            return committed == null ? 0 : committed.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + group, e);
        }
    }

    private static KafkaProducer<String, String> producer(KafkaServer kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
    }

    private static String sample(List<String> missing) {
        return missing.isEmpty() ? "" : " (e.g. " + missing.subList(0, Math.min(5, missing.size())) + ")";
    }

    /** What a scenario saw, round by round, printed at the end or with a failure. */
    private static final class Report {
        private final String name;
        private final long seed;
        private final List<String> lines = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        Report(String name, long seed, String header) {
            this.name = name;
            this.seed = seed;
            lines.add(header);
            System.out.println("[crash] " + name + " columns: " + header);
        }

        /** Adds a row, and prints it at once: a run cut short by its timeout still shows what it saw. */
        void row(Object... cells) {
            StringBuilder line = new StringBuilder();
            for (Object cell : cells) {
                line.append(line.isEmpty() ? "" : " | ").append(cell);
            }
            lines.add(line.toString());
            System.out.println("[crash] " + name + " round: " + line);
        }

        /** Something a round saw that breaks the promise: reported with the others once every round ran. */
        void problem(String message) {
            problems.add(message);
        }

        /** Prints the table; fails with every problem seen, if any. */
        void finish(TributaryChild tributary) {
            print();
            if (!problems.isEmpty()) {
                fail(String.join("\n", problems), tributary);
            }
        }

        void print() {
            System.out.println("[crash] " + name + " (seed " + seed + "):\n  " + String.join("\n  ", lines));
        }

        /** Fails now, with the table so far and the end of Tributary's log. */
        void fail(String message, TributaryChild tributary) {
            print();
            org.junit.jupiter.api.Assertions.fail(message + " [seed " + seed + "; log " + tributary.log()
                    + "]\n" + String.join("\n", lines) + "\nlast lines of the log:\n" + tributary.logTail(15));
        }
    }
}
