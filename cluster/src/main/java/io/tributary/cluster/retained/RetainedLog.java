package io.tributary.cluster.retained;

import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.RetainedJournal;
import io.tributary.cluster.format.RecordFormatException;
import io.tributary.cluster.format.RetainedRecords;
import io.tributary.cluster.log.MessageLog;
import io.tributary.cluster.topics.ClusterTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's retained messages in the compacted retained topic (design §4.5). As a {@link RetainedJournal}, a
 * retained publish appends its message keyed by MQTT topic and a clear appends a tombstone, each complete once
 * durable. As a follower, it reads every partition of the topic into the node's retained store: to the end at
 * start, before the node takes clients, then on a thread of its own. Every node applies every record, its own
 * included, so the last record of a topic in its partition is the value on every node.
 *
 * <p>Topics starting with {@code $} ({@code $SYS}) describe one node: they are never written.
 *
 * <p>Concurrency: {@link #retain} and {@link #clearRetained} on any thread at once. {@link #follow} once; the
 * consumer is then the follower thread's own. {@link #state} and {@link #close} from any thread.
 */
public final class RetainedLog implements RetainedJournal, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetainedLog.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long CATCH_UP_SECONDS = 60;

    private final Consumer<String, byte[]> consumer;
    private final MessageLog writer;
    private final ClusterTopics topics;
    private final String node;
    private volatile boolean running = true;
    private volatile String state = "down: retained messages not read yet";
    private Thread thread;

    public RetainedLog(Consumer<String, byte[]> consumer, MessageLog writer, ClusterTopics topics, String node) {
        this.consumer = consumer;
        this.writer = writer;
        this.topics = topics;
        this.node = node;
    }

    @Override
    public CompletableFuture<Void> retain(Message message) {
        if (nodeOwn(message.topic())) {
            return CompletableFuture.completedFuture(null);
        }
        return writer.writeRetained(message.topic(), RetainedRecords.encode(message));
    }

    @Override
    public CompletableFuture<Void> clearRetained(String topic) {
        if (nodeOwn(topic)) {
            return CompletableFuture.completedFuture(null);
        }
        return writer.writeRetained(topic, null);
    }

    private static boolean nodeOwn(String topic) {
        return topic.startsWith("$");
    }

    /**
     * Reads every partition from its beginning to its current end into {@code store}, then follows on a thread of
     * its own.
     *
     * @throws IllegalStateException if the end is not reached within a minute, or a record cannot be read
     */
    public synchronized void follow(RetainedStore store) {
        if (thread != null) {
            throw new IllegalStateException("the retained messages are followed already");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topics.retainedPartitions(); p++) {
            partitions.add(new TopicPartition(topics.retained(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(CATCH_UP_SECONDS);
        int applied = 0;
        try {
            while (!caughtUp(ends)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("cluster node " + node + " did not read " + topics.retained()
                            + " to its end within " + CATCH_UP_SECONDS + " s");
                }
                applied += apply(consumer.poll(POLL), store);
            }
        } catch (RecordFormatException e) {
            throw new IllegalStateException("cluster node " + node + " cannot read the retained messages: "
                    + e.getMessage(), e);
        }
        log.info("cluster node {} read {} retained records from {} in {} ms; {} retained messages", node, applied,
                topics.retained(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), store.size());
        state = "up";
        thread = new Thread(() -> run(store), "tributary-cluster-retained");
        thread.setDaemon(true);
        thread.start();
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void run(RetainedStore store) {
        try {
            while (running) {
                apply(consumer.poll(POLL), store);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RecordFormatException e) {
            state = "down: " + e.getMessage();
            log.error("cluster node {} stops following the retained messages: {}", node, e.getMessage());
        } catch (RuntimeException e) {
            state = "down: the retained follower failed: " + e;
            log.error("cluster node {}: the retained follower failed", node, e);
        } finally {
            consumer.close();
        }
    }

    /** Puts or removes what each record says; returns how many records it applied. */
    private int apply(ConsumerRecords<String, byte[]> records, RetainedStore store) {
        int applied = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            String topic = record.key();
            if (topic == null || nodeOwn(topic)) {
                continue;
            }
            if (record.value() == null) {
                store.remove(topic);
            } else if (!store.put(RetainedRecords.decode(record.value(), record.topic() + "-" + record.partition()
                    + " at offset " + record.offset()))) {
                log.warn("cluster node {}: the retained store is full (max-retained-messages / max-retained-bytes):"
                        + " the retained message of a topic set on another node is not kept here", node);
            }
            applied++;
        }
        return applied;
    }

    /** {@code up} once the node holds the cluster's retained messages, {@code down: why} otherwise. */
    public String state() {
        return state;
    }

    /** Stops the follower and closes its consumer. */
    @Override
    public void close() {
        Thread following;
        synchronized (this) {
            running = false;
            following = thread;
        }
        if (following == null) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            following.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
