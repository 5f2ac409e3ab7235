package io.tributary.broker.cluster;

import io.tributary.broker.ClusterObserver;
import io.tributary.broker.ClusterReaderStats;
import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.RetainedJournal;
import java.util.concurrent.CompletionStage;

/**
 * What the broker asks of the cluster it is a node of: a shared message log that every node reads. The broker
 * knows no Kafka type; the {@code cluster} module implements this.
 *
 * <p>In this version only in-process publishes (Kafka → device routes, the HTTP API) go through the log: each
 * node's own MQTT sessions get them from it, wherever the publish happened. Device publishes stay on their node,
 * but every retained change (from devices too) goes to the cluster's {@link #retainedJournal}, and each node's
 * retained store follows it ({@link #followRetained}).
 *
 * <p>Concurrency: {@link #append} is called on any publisher's thread at once; the others once each, in the
 * order the broker starts and stops.
 */
public interface ClusterLink {

    /**
     * Appends an in-process message to the log, for every node.
     *
     * @return completes once the record is durable in the log (exceptionally if it could not be written)
     */
    CompletionStage<Void> append(Message message);

    /**
     * From now on, hands every record read from the log to {@code delivery}. Called once the broker restored its
     * sessions, before its listeners open: records read earlier wait for it.
     */
    void deliverTo(LogDelivery delivery);

    /**
     * Stops handing records to the broker, and returns once none is being handed. Called when the broker stops,
     * before it saves its sessions: what was not handed is read again after a restart.
     */
    void stopDelivering();

    /**
     * Where this node writes every retained change (a retained publish, or a clear) so that every node applies it;
     * each change completes once durable in the cluster, and the publisher's acknowledgement waits for it. Topics
     * starting with {@code $} stay on this node.
     */
    RetainedJournal retainedJournal();

    /**
     * Fills {@code store} with the cluster's retained messages, written up to now, and returns once it holds them;
     * from then on it applies every change any node writes, its own included, in the cluster's order. Called once
     * when the broker starts, before its listeners open.
     *
     * @throws IllegalStateException if the cluster's retained messages cannot be read
     */
    void followRetained(RetainedStore store);

    /** {@code up: node NAME} once this node reads the log, {@code down: why} otherwise: a readiness check. */
    String state();

    /** Makes {@code observer} the one told of appends and deliveries, for metrics; replaces any earlier one. */
    default void observe(ClusterObserver observer) {
    }

    /** The log reader now, for metrics; empty when this link keeps no such figures. */
    default java.util.Optional<ClusterReaderStats> readerStats() {
        return java.util.Optional.empty();
    }
}
