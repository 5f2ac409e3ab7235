package io.tributary.bench.kafka;

import io.tributary.testsupport.kafka.KafkaServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces to and consumes from scratch topics before the first system is measured, so that Kafka's JIT (and the
 * driver's consumer code) is as warm for the first system as for the last. It runs in rounds, each with a fresh topic
 * and a fresh producer and consumer, as every system meets Kafka: topic creation, a new idempotent producer's
 * registration, the first fetches and the topic's deletion are warmed too, not only the steady produce path.
 * Single-threaded apart from the consumer thread of the current round.
 */
public final class KafkaWarmUp {

    private static final String TOPIC = "bench-warm-up-";
    /** How long each round produces. */
    public static final Duration ROUND = Duration.ofSeconds(5);

    private KafkaWarmUp() {
    }

    /** Runs rounds of {@link #ROUND} until {@code duration} is spent (one round at least); returns the records produced. */
    public static long run(KafkaServer kafka, int partitions, int payloadBytes, Duration duration)
            throws InterruptedException {
        long rounds = Math.max(1, duration.toMillis() / ROUND.toMillis());
        long produced = 0;
        for (int round = 1; round <= rounds; round++) {
            produced += round(kafka, TOPIC + round, partitions, payloadBytes, ROUND);
        }
        return produced;
    }

    private static long round(KafkaServer kafka, String topic, int partitions, int payloadBytes, Duration duration)
            throws InterruptedException {
        kafka.createTopic(topic, partitions);
        AtomicLong produced = new AtomicLong();
        Thread reader = new Thread(() -> consume(kafka.bootstrapServers(), topic, partitions, duration),
                "kafka-warm-up");
        reader.setDaemon(true);
        reader.start();
        Semaphore inFlight = new Semaphore(256);
        byte[] value = TelemetryPayload.encode(payloadBytes, 0, 0, 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer())) {
            long end = System.nanoTime() + duration.toNanos();
            int key = 0;
            while (System.nanoTime() < end) {
                if (!inFlight.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                byte[] keyBytes = Integer.toString(key++ & 3).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                producer.send(new ProducerRecord<>(topic, keyBytes, value), (metadata, error) -> {
                    inFlight.release();
                    if (error == null) {
                        produced.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        reader.join(10_000);
        KafkaComparison.deleteTopic(kafka, topic);
        return produced.get();
    }

    private static void consume(String bootstrapServers, String topic, int partitions, Duration duration) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = java.util.stream.IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long end = System.nanoTime() + duration.toNanos() + 1_000_000_000L;
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> TelemetryPayload.decode(record.value()));
            }
        }
    }
}
