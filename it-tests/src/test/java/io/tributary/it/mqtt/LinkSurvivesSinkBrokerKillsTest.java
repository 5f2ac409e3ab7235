package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.routes.metrics.LinkMeters;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import io.tributary.testsupport.process.KillSchedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other direction of the issue's kill test: a device publishes at QoS 1 to the built-in broker, a route sends each
 * message to a real Mosquitto (with persistence) through the link, and that Mosquitto is killed with {@code kill -9}
 * and started again ten times. The device's PUBACK waits for Mosquitto's, so every message the device got a PUBACK
 * for reaches a witness subscriber on Mosquitto; readiness shows {@code mqtt:cloud} down during each outage and up
 * within 5 s of Mosquitto listening again. As in {@link LinkSurvivesBrokerKillsTest}, a message acknowledged less than
 * half a second before a kill that Mosquitto had not saved yet is reported apart.
 */
class LinkSurvivesSinkBrokerKillsTest {

    private static final Logger LOG = LoggerFactory.getLogger(LinkSurvivesSinkBrokerKillsTest.class);
    private static final int CYCLES = 10;
    private static final long RECONNECT_LIMIT_MILLIS = 5000;
    private static final long UNSAVED_WINDOW_MILLIS = 500;

    @TempDir
    Path data;
    private MosquittoBroker cloud;
    private TestTributary tributary;
    private Mqtt5AsyncClient device;
    private NumberedWitness witness;
    private ScheduledExecutorService publishing;
    private final AtomicInteger sent = new AtomicInteger();
    private final Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
    private final Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<Integer, Long> acknowledgedAt = new ConcurrentHashMap<>();
    private final Set<Integer> failed = new ConcurrentSkipListSet<>();

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        cloud = MosquittoBroker.builder(data).allowAnonymous().persistence().start();
        witness = NumberedWitness.subscribe(cloud.port(), "edge/#");
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    cloud: { url: "tcp://127.0.0.1:%d", client-id: tributary-sink-kills-it, session-expiry: 1h }
                routes:
                  - name: alarms-to-cloud
                    from: { mqtt: "sites/{site}/alarms" }
                    to: { mqtt: { connection: cloud, topic: "edge/{site}/alarms", qos: 1 } }
                    retry: { max-attempts: 100, initial-backoff: 100ms, max-backoff: 1s }
                """.formatted(cloud.port()));
        Await.until(Duration.ofSeconds(10), "the link up", () -> "up".equals(linkState()));
        device = tributary.mqtt5Async("device");
    }

    @AfterEach
    void stop() throws Exception {
        if (publishing != null) {
            publishing.shutdownNow();
        }
        Teardown.closeInOrder(device == null ? null : device::disconnect, tributary,
                witness, cloud);
    }

    @Test
    void everyMessageTheDeviceGotAPubAckForReachesTheExternalBrokerAcrossTenKills() {
        KillSchedule schedule = KillSchedule.between("sink-kills", Duration.ofSeconds(1), Duration.ofSeconds(3));
        publishing = Executors.newSingleThreadScheduledExecutor();
        publishing.scheduleAtFixedRate(this::publishNext, 0, 10, TimeUnit.MILLISECONDS);

        List<Long> reconnectMillis = new ArrayList<>();
        List<Long> kills = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            Await.sleep(schedule.nextKill().toMillis());
            kills.add(System.nanoTime());
            cloud.kill();
            Await.until(Duration.ofSeconds(10), "readiness shows mqtt:cloud down after kill " + cycle,
                    () -> linkState().startsWith("down"));
            Await.sleep(500 + schedule.random().nextInt(1001));
            cloud.restart();
            long upAfter = StableUp.awaitFrom(this::linkState, Duration.ofSeconds(30));
            reconnectMillis.add(upAfter);
            if (upAfter < 0 || upAfter > RECONNECT_LIMIT_MILLIS) {
                problems.add("cycle " + cycle + ": link up " + (upAfter < 0 ? "never (30 s)" : upAfter + " ms")
                        + " after Mosquitto listened again");
            }
            LOG.info("Sink kill cycle {}: link up {} ms after Mosquitto listened again ({} sent, {} acknowledged)",
                    cycle, upAfter, sent.get(), acknowledged.size());
        }
        publishing.shutdown();
        Await.until(Duration.ofSeconds(60), "every publish of the device answered",
                () -> acknowledged.size() + failed.size() == sent.get());
        Set<Integer> nearKill = new TreeSet<>();
        long window = TimeUnit.MILLISECONDS.toNanos(UNSAVED_WINDOW_MILLIS);
        for (int number : acknowledged) {
            long sentNanos = sentAt.get(number);
            long acknowledgedNanos = acknowledgedAt.get(number);
            // Sent before a kill, acknowledged after it or just before it: Mosquitto may not have saved it yet.
            if (kills.stream().anyMatch(kill -> sentNanos <= kill && acknowledgedNanos >= kill - window)) {
                nearKill.add(number);
            }
        }
        Set<Integer> strictlyOwed = new TreeSet<>(acknowledged);
        strictlyOwed.removeAll(nearKill);
        Await.until(Duration.ofSeconds(30), "the witness has every number the device got a PUBACK for",
                () -> witness.numbers().containsAll(strictlyOwed));
        Await.sleep(1000); // late copies, for the count
        Set<Integer> lost = new TreeSet<>(strictlyOwed);
        lost.removeAll(witness.numbers());
        Map<Integer, Boolean> unsaved = new TreeMap<>();
        nearKill.stream().filter(number -> !witness.numbers().contains(number))
                .forEach(number -> unsaved.put(number, true));
        String summary = "device acknowledged " + acknowledged.size() + ", witnessed " + witness.numbers().size()
                + ", duplicated " + witness.duplicates() + ", lost-by-tributary " + lost.size()
                + ", unsaved-at-kill " + unsaved.keySet() + ", device-failed " + failed.size()
                + ", reconnect ms per cycle " + reconnectMillis + ", recycles " + linkCount(LinkMeters.RECYCLES)
                + ", rebuilds " + linkCount(LinkMeters.REBUILDS) + ", seed " + schedule.seed();
        System.out.println("[sink-kills] " + summary);
        LOG.info("[sink-kills] {}", summary);

        assertEquals(List.of(), problems, summary);
        assertEquals(Set.of(), lost, "acknowledged to the device, never seen on Mosquitto; " + summary);
        assertTrue(acknowledged.size() > CYCLES * 50, "the stream ran: " + summary);
    }

    private void publishNext() {
        int number = sent.get();
        sentAt.put(number, System.nanoTime());
        sent.incrementAndGet();
        device.publishWith().topic("sites/s1/alarms").qos(MqttQos.AT_LEAST_ONCE)
                .payload(Integer.toString(number).getBytes(StandardCharsets.UTF_8)).send()
                .whenComplete((result, error) -> {
                    if (error == null && result.getError().isEmpty()) {
                        acknowledgedAt.put(number, System.nanoTime());
                        acknowledged.add(number);
                    } else {
                        failed.add(number);
                    }
                });
    }


    private String linkState() {
        return tributary.linkState("cloud");
    }

    private long linkCount(String name) {
        return (long) tributary.bridge().metrics().find(name).tag("connection", "cloud").functionCounter().count();
    }
}
