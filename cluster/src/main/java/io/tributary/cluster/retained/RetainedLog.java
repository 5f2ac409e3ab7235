package io.tributary.cluster.retained;

import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.RetainedJournal;
import io.tributary.cluster.follow.TopicFollower;
import io.tributary.cluster.format.RetainedRecords;
import io.tributary.cluster.log.MessageLog;
import io.tributary.cluster.topics.ClusterTopics;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * consumer is then the follower thread's own ({@link TopicFollower}). {@link #state} and {@link #close} from any
 * thread.
 */
public final class RetainedLog implements RetainedJournal, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetainedLog.class);

    private final TopicFollower follower;
    private final MessageLog writer;
    private final ClusterTopics topics;
    private final String node;

    public RetainedLog(Consumer<String, byte[]> consumer, MessageLog writer, ClusterTopics topics, String node) {
        this.follower = new TopicFollower(consumer, topics.retained(), topics.retainedPartitions(), node,
                "the retained messages");
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
    public void follow(RetainedStore store) {
        follower.follow(new TopicFollower.Handler() {
            @Override
            public void polled(ConsumerRecords<String, byte[]> records, boolean following) {
                apply(records, store);
            }

            @Override
            public void caughtUp(int recordsRead, long millis) {
                log.info("cluster node {} read {} retained records from {} in {} ms; {} retained messages", node,
                        recordsRead, topics.retained(), millis, store.size());
            }
        }, "tributary-cluster-retained");
    }

    /** Puts or removes what each record says. */
    private void apply(ConsumerRecords<String, byte[]> records, RetainedStore store) {
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
        }
    }

    /** {@code up} once the node holds the cluster's retained messages, {@code down: why} otherwise. */
    public String state() {
        return follower.state();
    }

    /** Stops the follower and closes its consumer. */
    @Override
    public void close() {
        follower.close();
    }
}
