package io.tributary.cluster.log;

import io.tributary.broker.ClusterObserver;
import io.tributary.broker.ClusterObserver.AppendKind;
import io.tributary.broker.Message;
import io.tributary.broker.cluster.ShareChoice;
import io.tributary.cluster.format.PublishRecords;
import io.tributary.cluster.format.RecordFormat;
import io.tributary.cluster.format.SessionRecords;
import io.tributary.cluster.topics.ClusterTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Appends to the cluster's topics through the node's one idempotent {@code acks=all} producer: messages to the
 * messages topic for the nodes that want them, keyed by their publisher (or their MQTT topic for an in-process
 * publish, so that one device's commands keep one partition and their order), sessions' states and the node's
 * checkpoints to the sessions topic, and retained changes to the retained topic.
 *
 * <p>Each append is told to the {@link ClusterObserver}, with its latency to durable or its failure.
 *
 * <p>Concurrency: called on any thread at once, as the producer is.
 */
public final class MessageLog {
    private final Producer<String, byte[]> producer;
    private final ClusterTopics topics;
    private final byte[] node;
    private volatile ClusterObserver observer = ClusterObserver.NONE;

    public MessageLog(Producer<String, byte[]> producer, ClusterTopics topics, String node) {
        this.producer = producer;
        this.topics = topics;
        this.node = node.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Appends {@code message} for {@code nodes} (named in its {@code tributary.to} header) under {@code key}: one
     * key keeps one partition and its order. The shared
     * groups' choices go into its {@code tributary.share} header, always (empty: no group's member is on the nodes
     * named), so that a reader tells this record from an older node's, whose groups it picks itself. Completes once every in-sync replica has it.
     */
    public CompletionStage<Void> append(Message message, String key, Set<String> nodes, List<ShareChoice> shares) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.messages(), key,
                PublishRecords.encode(message));
        record.headers().add(RecordFormat.NODE_HEADER, node);
        record.headers().add(RecordFormat.TO_HEADER, String.join(",", nodes).getBytes(StandardCharsets.UTF_8));
        record.headers().add(RecordFormat.SHARE_HEADER, PublishRecords.encodeShares(shares));
        return send(record, AppendKind.PUBLISH).thenApply(written -> null);
    }

    /**
     * Writes a session's {@code STATE} (a null value: its tombstone) to its client's partition of the sessions
     * topic. Completes with where it was written once every in-sync replica has it.
     */
    public CompletableFuture<RecordMetadata> writeState(String clientId, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.sessions(),
                topics.sessionsPartition(clientId), SessionRecords.key(clientId), value);
        record.headers().add(RecordFormat.NODE_HEADER, node);
        return send(record, AppendKind.STATE);
    }

    /** Writes {@code value} under {@code key} to the key's partition of the sessions topic. */
    public CompletionStage<Void> writeSessions(String key, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.sessions(),
                topics.sessionsPartition(key), key, value);
        record.headers().add(RecordFormat.NODE_HEADER, node);
        return send(record, AppendKind.CHECKPOINT).thenApply(written -> null);
    }

    /**
     * Writes {@code value} under the MQTT topic {@code topic} to the retained topic; a null value is a tombstone.
     * Completes once every in-sync replica has it.
     */
    public CompletableFuture<Void> writeRetained(String topic, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.retained(), topic, value);
        record.headers().add(RecordFormat.NODE_HEADER, node);
        return send(record, AppendKind.RETAINED).thenApply(written -> null);
    }

    /** Makes {@code observer} the one told of appends from now on. */
    public void observe(ClusterObserver observer) {
        this.observer = observer;
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record, AppendKind kind) {
        CompletableFuture<RecordMetadata> durable = new CompletableFuture<>();
        ClusterObserver told = observer;
        long sent = System.nanoTime();
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    told.appended(kind, System.nanoTime() - sent);
                    durable.complete(metadata);
                } else {
                    told.appendFailed(kind);
                    durable.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) { // a closed producer, a record too large
            told.appendFailed(kind);
            durable.completeExceptionally(e);
        }
        return durable;
    }

    /** Waits until every record sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }
}
