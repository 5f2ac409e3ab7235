package io.tributary.connectors.mqtt;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What a link counted since it was built, read by the meters: messages in from the broker and publishes out to it. */
public final class LinkCounts {

    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong unrouted = new AtomicLong();
    final AtomicLong looped = new AtomicLong();
    final AtomicInteger inFlightIn = new AtomicInteger();
    final AtomicLong published = new AtomicLong();
    final AtomicLong publishFailed = new AtomicLong();
    final AtomicInteger inFlightOut = new AtomicInteger();
    final AtomicLong recycles = new AtomicLong();
    final AtomicLong rebuilds = new AtomicLong();

    /** Messages from the broker acknowledged to it, once every matching route had them. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Messages from the broker that no route matched, acknowledged and dropped. */
    public long unrouted() {
        return unrouted.get();
    }

    /** Messages from the broker that had gone round {@code max-hops} publishes of ours, acknowledged and dropped. */
    public long looped() {
        return looped.get();
    }

    /** Messages from the broker handed to the routes and not yet acknowledged. */
    public int inFlightIn() {
        return inFlightIn.get();
    }

    /** Publishes the broker acknowledged (PUBACK, PUBREC), or wrote for QoS 0. */
    public long published() {
        return published.get();
    }

    /** Publishes that failed: refused by the broker, timed out, or with the link closed or too busy. */
    public long publishFailed() {
        return publishFailed.get();
    }

    /** Publishes handed to the client and not yet acknowledged by the broker. */
    public int inFlightOut() {
        return inFlightOut.get();
    }

    /**
     * Disconnects keeping the session, then reconnects: after a route failed a message, or by the watchdog when a
     * publish had no acknowledgement within the publish timeout while connected.
     */
    public long recycles() {
        return recycles.get();
    }

    /** New clients built by the watchdog because the old one stopped reconnecting. */
    public long rebuilds() {
        return rebuilds.get();
    }
}
