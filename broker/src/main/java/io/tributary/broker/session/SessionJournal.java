package io.tributary.broker.session;

import io.tributary.broker.BrokerState;
import io.tributary.broker.delivery.OutboundMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Where a persistent session writes its state as it changes, so that a crash loses nothing acknowledged: its
 * description (subscriptions, will, expiry), each QoS 1/2 message queued for it (by a sequence number of the
 * session's own), what became of it (sent with a packet identifier, PUBREC received, acknowledged), and the
 * QoS 2 packet identifiers its client sent and the broker accepted.
 *
 * <p>Changes made by one thread are applied in the order made. Calls never block for the disk, except to wait
 * for room when the store is far behind. Implemented by the persistence package's store.
 */
public interface SessionJournal {

    /** Writes the session's description (its deliveries and inbound identifiers are left out). */
    void saveSession(BrokerState.SessionState description);

    /** Forgets everything of the session: it ended. */
    void endSession(String clientId);

    /**
     * Writes a message queued for the session.
     *
     * @return completes once it is durable: the publisher's acknowledgement waits for it
     */
    CompletableFuture<Void> append(String clientId, long seq, OutboundMessage message);

    /** The message {@code seq} was sent with {@code packetId}; {@code released} once its PUBREC came. */
    void sent(String clientId, long seq, OutboundMessage message, int packetId, boolean released);

    /** The message {@code seq} is done with: acknowledged, expired or dropped. */
    void remove(String clientId, long seq);

    /**
     * Reads a message written with {@link #append}, for a session that pages in its queue.
     *
     * @return null if it is not in the store
     */
    OutboundMessage read(String clientId, long seq);

    /**
     * Writes that the client's QoS 2 message {@code packetId} was accepted, so a resend after a restart is not
     * delivered twice.
     *
     * @return completes once durable: the PUBREC waits for it
     */
    CompletableFuture<Void> acceptInboundQos2(String clientId, int packetId);

    /** PUBREL came for {@code packetId}. */
    void releaseInboundQos2(String clientId, int packetId);
}
