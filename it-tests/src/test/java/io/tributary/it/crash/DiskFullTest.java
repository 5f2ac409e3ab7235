package io.tributary.it.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.net.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a small tmpfs that fills up while QoS 1 messages pile up for an offline persistent
 * session: the broker says so in its log, holds or refuses the PUBACKs it cannot keep its promise for, loses
 * nothing it acknowledged (checked across a {@code kill -9}), and takes messages again once space returns.
 * Needs root to mount the tmpfs; skipped otherwise.
 */
class DiskFullTest {
    private static final String DISK_SIZE = "8m";
    /** Room left on the disk once Tributary runs and the filler file is written. */
    private static final long LEFT_FREE = 512 * 1024;
    private static final int PAYLOAD_BYTES = 10 * 1024;
    /** Three times the whole disk: far beyond what fits, so the disk fills whatever the store's overhead. */
    private static final int MAX_MESSAGES = 2400;
    /** A PUBACK that takes longer than this counts as held. */
    private static final Duration HELD_AFTER = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    @Timeout(150)
    void mqtt5PublishingToAFullDiskIsHeldOrRefusedLosesNothingAcknowledgedAndRecoversWhenSpaceReturns()
            throws Exception {
        try (SmallDisk disk = SmallDisk.mount(folder.resolve("disk"), DISK_SIZE)) {
            int port = FreePort.onLoopback();
            try (TributaryChild tributary = new TributaryChild(folder, disk.root().resolve("data"), port,
                    brokerYaml(port))) {
                tributary.start();
                run(tributary, disk, port);
            }
        }
    }

    /**
     * MQTT 3.1.1 has no reason code in PUBACK: a message the broker cannot keep gets no PUBACK, and the connection
     * may be closed so that the device sends it again later.
     */
    @Test
    @Timeout(150)
    void mqtt311PublishingToAFullDiskGetsNoPubackAndLosesNothingAcknowledged() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(folder.resolve("disk"), DISK_SIZE)) {
            int port = FreePort.onLoopback();
            try (TributaryChild tributary = new TributaryChild(folder, disk.root().resolve("data"), port,
                    brokerYaml(port))) {
                tributary.start();
                runMqtt311(tributary, disk, port);
            }
        }
    }

    private void runMqtt311(TributaryChild tributary, SmallDisk disk, int port) throws Exception {
        PersistentDevice device = new PersistentDevice("d-full", port, "full/d", MqttQos.AT_LEAST_ONCE);
        device.connect();
        device.disconnect();
        int logLinesBefore = tributary.logLines().size();
        Path filler = disk.root().resolve("filler");
        long fillerBytes = disk.fillLeaving(filler, LEFT_FREE);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<String> observed = new ArrayList<>();
        observed.add("MQTT 3.1.1; filler " + fillerBytes + " bytes, " + LEFT_FREE + " left free");
        Mqtt3AsyncClient publisher = mqtt311Publisher(port);
        String outcome = null;
        int sent = 0;
        while (outcome == null && sent < MAX_MESSAGES) {
            String payload = payload(sent++);
            CompletableFuture<?> puback = publisher.publishWith().topic("full/d").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                    .thenRun(() -> acked.add(payload));
            try {
                puback.get(HELD_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException held) {
                outcome = "held: no PUBACK within " + HELD_AFTER.toSeconds() + " s for message " + sent + ", after "
                        + acked.size() + " acknowledged; connection "
                        + (publisher.getState().isConnected() ? "open" : "closed");
            } catch (ExecutionException closed) {
                outcome = "closed: " + closed.getCause() + " at message " + sent + ", after " + acked.size()
                        + " acknowledged";
            }
        }
        observed.add(outcome == null ? "all " + sent + " messages acknowledged" : outcome);
        List<String> complaints = tributary.logLines().subList(logLinesBefore, tributary.logLines().size()).stream()
                .filter(line -> line.startsWith("ERROR") || line.startsWith("WARN")).toList();
        observed.add("log: " + (complaints.isEmpty() ? "no warning or error" : complaints.get(0)));
        if (publisher.getState().isConnected()) {
            publisher.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        Files.delete(filler);

        tributary.kill();
        tributary.start();
        boolean present = device.connect();
        List<String> expected = List.copyOf(acked);
        try {
            Await.until(TIMEOUT, "the device to receive " + expected.size() + " acknowledged messages",
                    () -> device.missing(expected).isEmpty());
        } catch (AssertionError timedOut) {
            // reported below
        }
        int missing = device.missing(expected).size();
        observed.add("after kill -9 and restart: session present " + present + ", " + missing + " of "
                + expected.size() + " acknowledged messages missing");
        device.disconnect();
        String report = String.join("\n", observed);
        System.out.println("[disk-full 3.1.1] " + report);

        assertTrue(missing == 0, "acknowledged messages were lost:\n" + report);
        assertTrue(outcome != null, "the disk filled and every PUBACK still came:\n" + report);
        assertTrue(complaints.stream().anyMatch(DiskFullTest::saysDiskIsFull),
                "nothing in the log says the disk is full:\n" + report);
    }

    private static Mqtt3AsyncClient mqtt311Publisher(int port) {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier("p-full-311")
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        client.connectWith().cleanSession(true).send().orTimeout(20, TimeUnit.SECONDS).join();
        return client;
    }

    private static String brokerYaml(int port) {
        return """
                broker:
                  max-queued-messages: 100000
                  max-queued-bytes: 268435456
                  listeners: [ { name: mqtt, type: tcp, host: 127.0.0.1, port: %d } ]
                """.formatted(port);
    }

    private void run(TributaryChild tributary, SmallDisk disk, int port) throws Exception {
        PersistentDevice device = new PersistentDevice("d-full", port, "full/d", MqttQos.AT_LEAST_ONCE);
        device.connect();
        device.disconnect();
        int logLinesBefore = tributary.logLines().size();
        Path filler = disk.root().resolve("filler");
        long fillerBytes = disk.fillLeaving(filler, LEFT_FREE);

        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<String> observed = new ArrayList<>();
        observed.add("filler " + fillerBytes + " bytes, " + LEFT_FREE + " left free");
        Mqtt5AsyncClient publisher = publisher(port);
        String outcome = null;
        int sent = 0;
        CompletableFuture<Mqtt5PublishResult> pending = null;
        while (outcome == null && sent < MAX_MESSAGES) {
            String payload = payload(sent++);
            pending = publish(publisher, payload, acked);
            try {
                Mqtt5PublishResult result = pending.get(HELD_AFTER.toMillis(), TimeUnit.MILLISECONDS);
                Mqtt5PubAckReasonCode code = ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
                if (code.isError()) {
                    outcome = "refused: PUBACK " + code + " (0x" + Integer.toHexString(code.getCode())
                            + ") for message " + sent + ", after " + acked.size() + " acknowledged";
                }
            } catch (TimeoutException held) {
                outcome = "held: no PUBACK within " + HELD_AFTER.toSeconds() + " s for message " + sent + ", after "
                        + acked.size() + " acknowledged";
            } catch (ExecutionException failed) {
                outcome = (failed.getCause() instanceof Mqtt5PubAckException refused
                        ? "refused: PUBACK " + reason(refused) : "closed: " + failed.getCause())
                        + " for message " + sent + ", after " + acked.size() + " acknowledged";
            }
        }
        observed.add(outcome == null ? "all " + sent + " messages acknowledged" : outcome);
        List<String> complaints = tributary.logLines().subList(logLinesBefore, tributary.logLines().size()).stream()
                .filter(line -> line.startsWith("ERROR") || line.startsWith("WARN"))
                .toList();
        observed.add("log: " + (complaints.isEmpty() ? "no warning or error"
                : String.join("\n  ", complaints.subList(0, Math.min(10, complaints.size())))));

        Files.delete(filler);
        disk.grow("64m");
        int logLinesAtRelease = tributary.logLines().size();
        if (!publisher.getState().isConnected()) {
            publisher = publisher(port);
        }
        String recovered = awaitAcknowledged(publisher, acked);
        observed.add("after space returned: " + recovered);
        List<String> afterRelease = tributary.logLines().subList(logLinesAtRelease, tributary.logLines().size())
                .stream().filter(line -> line.startsWith("ERROR") || line.startsWith("WARN")).toList();
        observed.add("log after space returned: " + (afterRelease.isEmpty() ? "no warning or error"
                : afterRelease.size() + " lines, first: " + afterRelease.get(0)));
        observed.add("pending message " + (pending == null ? "none" : pending.isDone() ? "completed" : "still held"));
        Mqtt5AsyncClient finished = publisher;
        finished.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();

        tributary.kill();
        tributary.start();
        boolean present = device.connect();
        List<String> expected = List.copyOf(acked);
        try {
            Await.until(TIMEOUT, "the device to receive " + expected.size() + " acknowledged messages",
                    () -> device.missing(expected).isEmpty());
        } catch (AssertionError timedOut) {
            // reported below
        }
        int missing = device.missing(expected).size();
        observed.add("after kill -9 and restart: session present " + present + ", " + missing + " of "
                + expected.size() + " acknowledged messages missing");
        device.disconnect();
        String report = String.join("\n", observed);
        System.out.println("[disk-full] " + report);

        assertTrue(missing == 0, "acknowledged messages were lost:\n" + report);
        assertTrue(outcome != null, "the disk filled and every PUBACK still came:\n" + report);
        assertTrue(complaints.stream().anyMatch(DiskFullTest::saysDiskIsFull),
                "nothing in the log says the disk is full:\n" + report);
        if (recovered.startsWith("no")) {
            fail("publishing did not work again once space returned:\n" + report);
        }
    }

    private static String reason(Mqtt5PubAckException refused) {
        Mqtt5PubAckReasonCode code = refused.getMqttMessage().getReasonCode();
        return code + " (0x" + Integer.toHexString(code.getCode()) + ")"
                + refused.getMqttMessage().getReasonString().map(s -> " \"" + s + "\"").orElse("");
    }

    private static boolean saysDiskIsFull(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return lower.contains("no space") || lower.contains("disk") || lower.contains("space left")
                || lower.contains("full");
    }

    /** Publishes new messages until one is acknowledged (or {@link #TIMEOUT}); says how it went. */
    private static String awaitAcknowledged(Mqtt5AsyncClient publisher, Set<String> acked) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int attempts = 0;
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            String payload = "after-" + attempts++;
            try {
                Mqtt5PublishResult result = publish(publisher, payload, acked)
                        .get(HELD_AFTER.toMillis(), TimeUnit.MILLISECONDS);
                if (!((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().isError()) {
                    return "acknowledged again at attempt " + attempts;
                }
            } catch (TimeoutException held) {
                last = "no PUBACK within " + HELD_AFTER.toSeconds() + " s";
            } catch (ExecutionException failed) {
                last = failed.getCause() instanceof Mqtt5PubAckException refused ? "PUBACK " + reason(refused)
                        : "closed: " + failed.getCause();
                if (!publisher.getState().isConnected()) {
                    publisher.connectWith().cleanStart(true).send().orTimeout(20, TimeUnit.SECONDS).join();
                }
            }
            Await.sleep(200);
        }
        return "no successful PUBACK in " + attempts + " attempts over " + TIMEOUT.toSeconds() + " s; the last: "
                + last;
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient publisher, String payload,
                                                                 Set<String> acked) {
        return publisher.publishWith().topic("full/d").qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                .whenComplete((result, error) -> {
                    if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
                            && !qos1.getPubAck().getReasonCode().isError()) {
                        acked.add(payload);
                    }
                });
    }

    private static Mqtt5AsyncClient publisher(int port) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier("p-full").serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        client.connectWith().cleanStart(true).send().orTimeout(20, TimeUnit.SECONDS).join();
        return client;
    }

    /** {@code m-N:} and padding to {@link #PAYLOAD_BYTES}. */
    private static String payload(int n) {
        String head = "m-" + n + ":";
        return head + "x".repeat(PAYLOAD_BYTES - head.length());
    }
}
