package io.tributary.it.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads what routes wrote to Kafka, headers included, and writes what routes read: records with
 * {@code String} keys and {@code byte[]} values, as the routes use them.
 */
public final class KafkaRecords {

    /** How long an exactly-once check reads on after the records it expects: a late copy would come within it. */
    public static final Duration LATE = Duration.ofSeconds(2);

    private KafkaRecords() {
    }

    /**
     * Reads {@code topic} from the beginning in a new consumer group until {@code count} records came or
     * {@code timeout} passed, and returns what it got, so that a test can assert on fewer as well as more.
     */
    public static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic, int count,
                                                            Duration timeout) {
        return readUntil(bootstrapServers, topic, records -> records.size() >= count, timeout);
    }

    /**
     * Reads {@code topic} from the beginning in a new consumer group until {@code enough} holds for the records
     * read so far or {@code timeout} passed, and returns them in partition-then-offset order of arrival.
     */
    public static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrapServers, String topic,
                                                                 Predicate<List<ConsumerRecord<String, byte[]>>> enough,
                                                                 Duration timeout) {
        return readUntil(bootstrapServers, topic, enough, timeout, Duration.ZERO);
    }

    /**
     * Like {@link #read}, then reads on for {@link #LATE} after the {@code count}th record, so that an exactly-once
     * check also sees a copy written late, such as by a retry after the original was acknowledged.
     */
    public static List<ConsumerRecord<String, byte[]>> readPast(String bootstrapServers, String topic, int count,
                                                                Duration timeout) {
        return readUntil(bootstrapServers, topic, records -> records.size() >= count, timeout, LATE);
    }

    /** Like {@link #readUntil(String, String, Predicate, Duration)}, reading on for {@link #LATE} once it holds. */
    public static List<ConsumerRecord<String, byte[]>> readPastUntil(String bootstrapServers, String topic,
                                                                     Predicate<List<ConsumerRecord<String, byte[]>>> enough,
                                                                     Duration timeout) {
        return readUntil(bootstrapServers, topic, enough, timeout, LATE);
    }

    private static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrapServers, String topic,
                                                                  Predicate<List<ConsumerRecord<String, byte[]>>> enough,
                                                                  Duration timeout, Duration readOn) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!enough.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            long readOnUntil = System.nanoTime() + readOn.toNanos();
            while (System.nanoTime() < readOnUntil) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    /** The value of the record's last header {@code name} as UTF-8 text, or null without one. */
    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The record's value as UTF-8 text. */
    public static String text(ConsumerRecord<String, byte[]> record) {
        return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    }

    /**
     * Sends records with {@code acks=all} and waits for each acknowledgement. They are sent all at once (an
     * idempotent producer keeps their order), so that a route reading them finds many waiting.
     */
    public static void produce(String bootstrapServers, List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<String, byte[]> record : records) {
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> acknowledged : sent) {
                acknowledged.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A record with a UTF-8 value and UTF-8 headers given as name, value, name, value... */
    public static ProducerRecord<String, byte[]> record(String topic, String key, String value, String... headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** The offsets consumer group {@code group} committed, by partition; empty when it committed none. */
    public static Map<TopicPartition, OffsetAndMetadata> committedOffsets(String bootstrapServers, String group)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
