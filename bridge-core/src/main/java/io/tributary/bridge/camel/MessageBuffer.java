package io.tributary.bridge.camel;

import io.tributary.broker.Message;
import java.util.concurrent.CompletionStage;

/**
 * Stands between the broker and a route whose devices are acknowledged once their message is stored
 * ({@code ack: buffer}): the consumer hands each message to {@link #offer} instead of to the route, and the buffer
 * hands stored messages back through the {@link Forwarder} the consumer attached. It lives in this package as an
 * interface so that the component needs no store; the routes module implements it.
 */
public interface MessageBuffer {

    /** Names the buffer in the endpoint's URI and in logs: the route's name. */
    String name();

    /**
     * Takes {@code message}. The stage completes when its publisher may be acknowledged (the message is on
     * disk), or fails with the reason to give the publisher (a full buffer that refuses: reason code 0x97).
     * Called on the broker's I/O threads: never blocks for long.
     */
    CompletionStage<Void> offer(Message message);

    /** Starts handing stored messages to {@code forwarder}; the latest attached forwarder gets the new ones. */
    void attach(Forwarder forwarder);

    /** Stops handing messages to {@code forwarder}; those it has keep their outcome. */
    void detach(Forwarder forwarder);

    /** Delivers one stored message down a route. */
    @FunctionalInterface
    interface Forwarder {
        /** Completes when the route is done with {@code message} (the sink or the dead-letter destination has it). */
        CompletionStage<Void> forward(Message message);
    }
}
