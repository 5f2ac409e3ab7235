package io.tributary.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.KafkaConnectionSettings;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.SourceLocation;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.connectors.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeSmokeTest {

    @TempDir
    static Path data;
    static EmbeddedKafka kafka;
    static Broker broker;
    static TributaryBridge bridge;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.builder().dataDirectory(data.resolve("kafka")).build().start();
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        SourceLocation here = new SourceLocation("test.yaml", 1, 1);
        RouteSettings toKafka = new RouteSettings("telemetry-to-kafka",
                new RouteSource.Mqtt(TopicPattern.parse("sites/{site}/devices/{device}/telemetry")),
                new RouteSink.Kafka("main", Template.parse("telemetry.{site}"), Optional.of(Template.parse("{device}")),
                        Map.of()),
                Optional.empty(), RetrySettings.defaults(), Optional.empty(), here);
        RouteSettings toMqtt = new RouteSettings("commands-to-devices",
                new RouteSource.Kafka("main", "commands", "tributary-commands"),
                new RouteSink.Mqtt(Template.parse("devices/{key}/commands"), Optional.of(QoS.AT_LEAST_ONCE), false),
                Optional.empty(), RetrySettings.defaults(), Optional.empty(), here);
        TributaryConfig config = new TributaryConfig(BrokerConfig.builder().build(), data,
                new ConnectionSettings(Map.of("main", KafkaConnectionSettings.external("main", kafka.bootstrapServers()))),
                List.of(toKafka, toMqtt), List.of());
        bridge = TributaryBridge.start(config, broker);
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void mqttMessageBecomesKafkaRecordWithMappedTopicKeyAndHeaders() throws Exception {
        broker.publish(Message.of("sites/s1/devices/d7/telemetry", "21.5", QoS.AT_LEAST_ONCE, false))
                .get(30, TimeUnit.SECONDS);
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("telemetry.s1"));
            ConsumerRecord<String, byte[]> record = poll(consumer);
            assertEquals("d7", record.key());
            assertEquals("21.5", new String(record.value(), StandardCharsets.UTF_8));
            assertEquals("sites/s1/devices/d7/telemetry",
                    new String(record.headers().lastHeader("mqtt.topic").value(), StandardCharsets.UTF_8));
            assertEquals("1", new String(record.headers().lastHeader("mqtt.qos").value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void kafkaClientMetricsArePublishedBesideTheRouteMeters() throws Exception {
        broker.publish(Message.of("sites/s2/devices/d1/telemetry", "1", QoS.AT_LEAST_ONCE, false))
                .get(30, TimeUnit.SECONDS);
        String scrape = bridge.metrics().scrape();
        assertTrue(scrape.contains("kafka_producer_record_send_total"), "producer meters");
        assertTrue(scrape.contains("kafka_consumer_"), "consumer meters");
    }

    @Test
    void kafkaRecordIsPublishedToTheMappedTopic() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        try (var subscription = broker.subscribe("devices/+/commands", SubscribeOptions.of(QoS.EXACTLY_ONCE),
                message -> {
                    received.add(message);
                    return null;
                })) {
            try (KafkaProducer<String, byte[]> producer = producer()) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("commands", "d1",
                        "reboot".getBytes(StandardCharsets.UTF_8));
                record.headers().add("origin", "ops".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
            Message message = received.poll(60, TimeUnit.SECONDS);
            assertNotNull(message, "no command reached the broker");
            assertEquals("devices/d1/commands", message.topic());
            assertEquals("reboot", message.payloadAsString());
            assertEquals(QoS.AT_LEAST_ONCE, message.qos());
            assertEquals("ops", message.properties().userProperties().get(0).value());
        }
    }

    private static ConsumerRecord<String, byte[]> poll(KafkaConsumer<String, byte[]> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                return records.iterator().next();
            }
        }
        throw new AssertionError("no record within 30 s");
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", "smoke-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
