package io.tributary.broker.session;

import io.netty.channel.EventLoop;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.Permissions;
import io.tributary.broker.delivery.OutboundMessage;

/**
 * A session's view of the connection it is attached to: where to write and what the client allows.
 * Every method but {@link #eventLoop()} and {@link #takeOver()} is called on {@link #eventLoop()}.
 */
public interface ClientLink {

    /** What the connected client may receive; the session keeps it while the client is offline. */
    default Permissions permissions() {
        return Permissions.ALLOW_ALL;
    }

    /**
     * The user name the client connected with ({@code null}: anonymous); the session keeps it, so that its
     * permissions can be asked for again after a restart.
     */
    default String username() {
        return null;
    }

    /** Who connected (address, listener), for operators; null for a link that is not a network connection. */
    default ClientInfo client() {
        return null;
    }

    /**
     * Closes the connection because an operator asked to (MQTT 5: DISCONNECT 0x98, administrative action). Called
     * on any thread.
     */
    default void disconnectByOperator() {
    }

    /** The I/O thread that owns the connection. */
    EventLoop eventLoop();

    /** False while the socket's outbound buffer is above its high water mark. */
    boolean isWritable();

    /** The client's Receive Maximum: how many QoS 1/2 messages it takes unacknowledged. */
    int receiveMaximum();

    /** False if the message would exceed the client's Maximum Packet Size [MQTT-3.1.2-24]. */
    boolean fits(OutboundMessage message);

    void writePublish(OutboundMessage message, int packetId, boolean duplicate);

    void writePubrel(int packetId);

    void flush();

    /** Closes the connection because another connection took its session (MQTT 5: DISCONNECT 0x8E). */
    void takeOver();

    /**
     * Closes the connection because the client took nothing from its full queue for the stuck-subscriber timeout
     * (MQTT 5: DISCONNECT 0x97, Quota exceeded, with {@code why}). May be called on any thread.
     */
    void closeStuck(String why);
}
