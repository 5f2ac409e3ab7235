package io.tributary.bench.kafka;

import io.tributary.bench.load.LatencyHistogram;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import java.time.Duration;
import java.util.BitSet;
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
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every record of one topic from the beginning, in the driver, while a run goes on: which (publisher,
 * sequence) became visible in Kafka, how often, how long after it was published, and when.
 *
 * <p>A record is visible once a consumer can read it: for {@code acks=all} on one node, once the leader has appended
 * it. Its latency is the time {@code poll} returned it minus the send time in its payload, both
 * {@link System#nanoTime()} of this JVM.
 *
 * <p>Threads: one thread of its own polls and owns all counts; {@link #unique()}, {@link #lastRecordNanos()} and
 * {@link #probeSeen()} may be read from any thread while it runs, everything else after {@link #stop()}.
 */
final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Receipts receipts;
    private final long[] perSecond;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile RunClock clock;
    private volatile boolean stopRequested;
    private volatile boolean probeSeen;
    private volatile long lastRecordNanos;
    private long visibleInWindow;
    private long records;

    TopicReader(String bootstrapServers, String topic, int publishers, int seconds) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-reader-" + topic,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.receipts = new Receipts(publishers);
        this.perSecond = new long[seconds];
        this.thread = new Thread(this::run, "kafka-reader");
        this.thread.setDaemon(true);
    }

    /** Starts reading and returns once every partition of the topic is assigned. */
    void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            Throwable error = failure.get();
            throw new IllegalStateException("the Kafka reader did not start within " + timeout
                    + (error == null ? "" : ": " + error), error);
        }
    }

    /** From now on, latencies of messages sent within the clock's window and records per second are counted. */
    void useClock(RunClock runClock) {
        this.clock = runClock;
    }

    private void run() {
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
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
                    accept(record.value(), now);
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

    private void accept(byte[] value, long now) {
        records++;
        TelemetryPayload.Decoded payload = TelemetryPayload.decode(value);
        if (payload == null) {
            receipts.addMalformed();
            return;
        }
        if (payload.publisher() < 0) {
            probeSeen = true;
            return;
        }
        receipts.add(payload.publisher(), payload.sequence());
        RunClock runClock = clock;
        if (runClock != null) {
            if (runClock.inWindow(payload.sentNanos())) {
                latency.record(now - payload.sentNanos());
            }
            if (runClock.inWindow(now)) {
                visibleInWindow++;
            }
            int second = runClock.secondOf(now);
            if (second < perSecond.length) {
                perSecond[second]++;
            }
        }
    }

    /** Whether a readiness probe (publisher -1) has arrived. */
    boolean probeSeen() {
        return probeSeen;
    }

    /** Distinct benchmark messages read so far. */
    long unique() {
        return receipts.unique();
    }

    /** When the last batch of records arrived (System.nanoTime()), or 0. */
    long lastRecordNanos() {
        return lastRecordNanos;
    }

    /** Why reading stopped early, or null. */
    Throwable failure() {
        return failure.get();
    }

    boolean isReading() {
        return thread.isAlive();
    }

    /** Stops reading and waits for the thread; the counts below are final afterwards. */
    synchronized void stop() throws InterruptedException {
        if (stopRequested) {
            return;
        }
        stopRequested = true;
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    BitSet seen(int publisher) {
        return receipts.seen(publisher);
    }

    long duplicates() {
        return receipts.duplicates();
    }

    long malformed() {
        return receipts.malformed();
    }

    long visibleInWindow() {
        return visibleInWindow;
    }

    long records() {
        return records;
    }

    LatencyHistogram latency() {
        return latency;
    }

    long[] perSecond() {
        return perSecond;
    }
}
