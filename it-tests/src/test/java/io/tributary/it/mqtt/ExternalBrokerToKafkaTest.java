package io.tributary.it.mqtt;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.FunctionCounter;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.routes.metrics.LinkMeters;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route from a real Mosquitto to a real Kafka, the messages published to Mosquitto by a real client at QoS 1:
 * they all reach Kafka; while Kafka is down none is acknowledged to Mosquitto; and after Mosquitto is killed like
 * {@code kill -9} and started again, readiness shows the link down meanwhile and delivery resumes within 5 s.
 */
class ExternalBrokerToKafkaTest {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalBrokerToKafkaTest.class);

    @TempDir
    Path data;
    private MosquittoBroker mosquitto;
    private KafkaServer kafka;
    private TestTributary tributary;
    private String topic;

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        mosquitto = MosquittoBroker.builder(data).allowAnonymous().start();
        kafka = KafkaServer.startDedicated("external-mqtt");
        topic = KafkaServer.uniqueTopic("plant");
        kafka.createTopic(topic, 1);
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                  mqtt:
                    plant: { url: "tcp://127.0.0.1:%d", client-id: tributary-plant-it, session-expiry: 1h }
                routes:
                  - name: plant-to-kafka
                    from: { mqtt: { connection: plant, topic: "sites/{site}/devices/{device}/telemetry", qos: 1 } }
                    to: { kafka: { connection: main, topic: "%s", key: "{site}.{device}" } }
                """.formatted(kafka.bootstrapServers(), mosquitto.port(), topic));
        Await.until(Duration.ofSeconds(10), "the link up", () -> linkState().equals("up"));
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, kafka, mosquitto);
    }

    @Test
    void everyMessageReachesKafkaNoneIsAcknowledgedWhileKafkaIsDownAndTheLinkSurvivesAMosquittoKill() {
        publish(0, 20);
        Await.until(Duration.ofSeconds(30), "20 acknowledged to Mosquitto", () -> acknowledged() == 20);
        assertEquals(numbers(0, 20), inKafka(20));

        kafka.stop();
        publish(20, 30);
        Await.holds(Duration.ofSeconds(3), "nothing acknowledged to Mosquitto while Kafka is down",
                () -> acknowledged() == 20);
        kafka.start();
        Await.until(Duration.ofSeconds(60), "30 acknowledged once Kafka is back", () -> acknowledged() == 30);
        assertEquals(numbers(0, 30), inKafka(30));

        mosquitto.kill();
        Await.until(Duration.ofSeconds(10), "readiness shows the link down",
                () -> linkState().startsWith("down: not connected for"));
        assertEquals(0.0, gauge(), "tributary.link.connected while Mosquitto is dead");
        assertEquals(false, tributary.bridge().readiness().check().up());
        long restarted = System.nanoTime();
        mosquitto.restart();
        Await.until(Duration.ofSeconds(5), "the link up within 5 s of Mosquitto's restart",
                () -> linkState().equals("up"));
        publish(30, 40);
        Await.until(Duration.ofSeconds(5), "delivery resumed within 5 s", () -> acknowledged() == 40);
        LOG.info("Mosquitto restart to 10 more messages in Kafka: {} ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
        assertEquals(1.0, gauge());
        assertEquals(numbers(0, 40), inKafka(40));
    }

    /**
     * The session outlives a stop of Tributary: Mosquitto queues what is published meanwhile, and the resumed
     * session hands it to the route, none of it acknowledged by the client before the route has it
     * (hivemq-mqtt-client #254).
     */
    @Test
    void messagesPublishedWhileTributaryIsStoppedComeFromItsSessionWhenItStartsAgain() {
        publish(0, 5);
        Await.until(Duration.ofSeconds(30), "5 acknowledged to Mosquitto", () -> acknowledged() == 5);

        tributary.stopBridge();
        publish(5, 25);
        tributary.startBridge();

        // A new bridge, new meters: the 20 queued ones only.
        Await.until(Duration.ofSeconds(30), "the 20 queued messages acknowledged", () -> acknowledged() == 20);
        assertEquals(numbers(0, 25), inKafka(25));
    }

    /** Publishes {@code m-from} to {@code m-(to - 1)} at QoS 1, each acknowledged by Mosquitto. */
    private void publish(int from, int to) {
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device-" + from)
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        device.connect();
        try {
            for (int i = from; i < to; i++) {
                device.publishWith().topic("sites/s1/devices/d" + i + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m-" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
        } finally {
            device.disconnect();
        }
    }

    /** The payloads in Kafka, once each: a copy would make more records than {@code count}. */
    private Set<String> inKafka(int count) {
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readPast(kafka.bootstrapServers(), topic, count,
                Duration.ofSeconds(30));
        assertEquals(count, records.size(), "records in Kafka");
        List<String> keys = new ArrayList<>();
        records.forEach(record -> keys.add(record.key()));
        assertEquals(records.stream().map(r -> "s1.d" + text(r).substring(2)).toList(), keys, "keys from the topic");
        return records.stream().map(KafkaRecords::text).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> numbers(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m-" + i).collect(Collectors.toCollection(TreeSet::new));
    }

    private String linkState() {
        return tributary.linkState("plant");
    }

    private long acknowledged() {
        FunctionCounter counter = tributary.bridge().metrics().find(LinkMeters.ACKNOWLEDGED)
                .tag("connection", "plant").functionCounter();
        return (long) counter.count();
    }

    private double gauge() {
        Gauge gauge = tributary.bridge().metrics().find(LinkMeters.CONNECTED).tag("connection", "plant").gauge();
        return gauge.value();
    }
}
