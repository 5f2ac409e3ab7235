package io.tributary.broker.cluster;

import io.tributary.broker.Message;
import java.util.concurrent.CompletionStage;

/**
 * What the broker asks of the cluster it is a node of: a shared message log that every node reads. The broker
 * knows no Kafka type; the {@code cluster} module implements this.
 *
 * <p>In this version only in-process publishes (Kafka → device routes, the HTTP API) go through the log: each
 * node's own MQTT sessions get them from it, wherever the publish happened. Device publishes stay on their node.
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

    /** {@code up: node NAME} once this node reads the log, {@code down: why} otherwise: a readiness check. */
    String state();
}
