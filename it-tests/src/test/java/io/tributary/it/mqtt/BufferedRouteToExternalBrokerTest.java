package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route into an external broker with {@code ack: buffer}, for links that stay down for long (issue 15): while the
 * external Mosquitto is down, a device publishing to the built-in broker gets its PUBACK once the message is on
 * Tributary's disk instead of waiting for Mosquitto's; what was buffered survives a restart of Tributary while the
 * link is still down, and all of it reaches a subscriber on Mosquitto once Mosquitto is back.
 */
class BufferedRouteToExternalBrokerTest {

    private static final int BEFORE = 20;
    private static final int DURING = 200;

    @TempDir
    Path data;
    private MosquittoBroker cloud;
    private TestTributary tributary;
    private Mqtt5AsyncClient device;
    private NumberedWitness witness;

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        cloud = MosquittoBroker.builder(data).allowAnonymous().persistence().start();
        witness = NumberedWitness.subscribe(cloud.port(), "edge/#");
        tributary = startTributary();
        device = tributary.mqtt5Async("device");
    }

    private TestTributary startTributary() {
        TestTributary started = TestTributary.start(data.resolve("tributary"), config(cloud.port()));
        Await.until(Duration.ofSeconds(10), "the link up", () -> "up".equals(linkState(started)));
        return started;
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(device == null ? null : device::disconnect, tributary,
                witness, cloud);
    }

    @Test
    void devicesAreAcknowledgedFromTheBufferWhileTheBrokerIsDownAndEverythingArrivesOnceItIsBack() throws Exception {
        publishAll(0, BEFORE);
        Await.until(Duration.ofSeconds(10), "the witness has the messages sent while the link was up",
                () -> witness.numbers().size() == BEFORE);

        cloud.kill();
        Await.until(Duration.ofSeconds(10), "readiness shows mqtt:cloud down",
                () -> linkState(tributary).startsWith("down"));
        // Without the buffer each of these would wait for Mosquitto, and fail once the route gave up.
        publishAll(BEFORE, DURING);
        assertTrue(linkState(tributary).startsWith("down"), "Mosquitto is still down: " + linkState(tributary));
        assertEquals(BEFORE, witness.numbers().size(), "nothing can have reached Mosquitto while it was down");

        // Tributary restarts while the link is still down: the buffer is on disk.
        device.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
        tributary.close();
        tributary = TestTributary.start(data.resolve("tributary"), config(cloud.port()));
        device = tributary.mqtt5Async("device");

        cloud.restart();
        Set<Integer> all = IntStream.range(0, BEFORE + DURING).boxed().collect(Collectors.toCollection(TreeSet::new));
        Await.until(Duration.ofSeconds(60), "the witness has every message the device got a PUBACK for",
                () -> witness.numbers().containsAll(all));
        Set<Integer> missing = new TreeSet<>(all);
        missing.removeAll(witness.numbers());
        assertEquals(Set.of(), missing, "acknowledged from the buffer, never seen on Mosquitto");
        System.out.println("[buffered-to-cloud] acknowledged " + all.size() + ", witnessed " + witness.numbers().size()
                + ", duplicated " + witness.duplicates());
    }

    /**
     * Publishes {@code count} numbered QoS 1 messages, ten at a time (the client's send would block past the broker's
     * Receive Maximum), and asserts that each got a successful PUBACK within 10 s.
     */
    private void publishAll(int first, int count) {
        for (int batch = first; batch < first + count; batch += 10) {
            List<CompletableFuture<Mqtt5PublishResult>> results = new ArrayList<>();
            for (int number = batch; number < Math.min(batch + 10, first + count); number++) {
                results.add(device.publishWith().topic("sites/s1/alarms").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(Integer.toString(number).getBytes(StandardCharsets.UTF_8)).send()
                        .orTimeout(10, TimeUnit.SECONDS));
            }
            for (int i = 0; i < results.size(); i++) {
                Mqtt5PublishResult result = results.get(i).join();
                assertTrue(result.getError().isEmpty(), "PUBACK of message " + (batch + i) + ": " + result);
            }
        }
    }

    private static String config(int port) {
        return """
                connections:
                  mqtt:
                    cloud: { url: "tcp://127.0.0.1:%d", client-id: tributary-buffered-it, session-expiry: 1h,
                            publish-timeout: 2s }
                routes:
                  - name: alarms-to-cloud
                    from: { mqtt: "sites/{site}/alarms" }
                    to: { mqtt: { connection: cloud, topic: "edge/{site}/alarms", qos: 1 } }
                    ack: buffer
                    retry: { max-attempts: 3, initial-backoff: 100ms, max-backoff: 500ms }
                """.formatted(port);
    }

    private static String linkState(TestTributary tributary) {
        return tributary.linkState("cloud");
    }
}
