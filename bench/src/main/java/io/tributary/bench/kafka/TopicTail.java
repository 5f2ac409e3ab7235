package io.tributary.bench.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every record of one topic from the beginning, on a thread of its own, and hands each value to a
 * {@link Records} with the time {@code poll} returned it ({@link System#nanoTime()}): what the benchmark's readers
 * count is theirs, reading the topic is this class's.
 *
 * <p>Threads: the handler runs on the reading thread only; {@link #lastRecordNanos()}, {@link #failure()} and
 * {@link #isReading()} may be read from any thread.
 */
public final class TopicTail {

    private static final Duration POLL = Duration.ofMillis(100);

    /** What is done with each record read. */
    @FunctionalInterface
    public interface Records {
        void accept(byte[] value, long receivedNanos);
    }

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Records records;
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopRequested;
    private volatile long lastRecordNanos;

    /** A reader of {@code topic}, named {@code name} (its Kafka client id and thread), not started yet. */
    public TopicTail(String bootstrapServers, String topic, String name, int maxPollRecords, Records records) {
        this.topic = topic;
        this.records = records;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + topic,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts reading; returns once every partition is assigned and positioned at its beginning. */
    public void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            Throwable error = failure.get();
            throw new IllegalStateException("the Kafka reader did not start within " + timeout
                    + (error == null ? "" : ": " + error), error);
        }
    }

    private void run() {
        try {
            List<TopicPartition> all = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            all.forEach(consumer::position); // resolve the start offsets now, before anything is published
            assigned.countDown();
            while (!stopRequested) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                if (batch.isEmpty()) {
                    continue;
                }
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    records.accept(record.value(), now);
                }
                lastRecordNanos = now;
            }
        } catch (WakeupException e) {
            // stop() woke the poll up
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Stops reading and waits for the thread: what the handler counted is final afterwards. */
    public synchronized void stop() throws InterruptedException {
        if (stopRequested) {
            return;
        }
        stopRequested = true;
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    /** When the last batch of records arrived ({@link System#nanoTime()}), or 0. */
    public long lastRecordNanos() {
        return lastRecordNanos;
    }

    /** Why reading stopped early, or null. */
    public Throwable failure() {
        return failure.get();
    }

    public boolean isReading() {
        return thread.isAlive();
    }
}
