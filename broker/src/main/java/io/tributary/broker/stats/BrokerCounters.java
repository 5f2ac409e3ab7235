package io.tributary.broker.stats;

import io.tributary.broker.BrokerStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's live counters. Every I/O thread adds to them; {@link LongAdder} keeps that free of
 * contention. Gauges (connections, sessions, queued, in flight, paused) go up and down.
 */
public final class BrokerCounters {
    public final LongAdder connections = new LongAdder();
    public final LongAdder sessions = new LongAdder();
    public final LongAdder messagesReceived = new LongAdder();
    public final LongAdder messagesSent = new LongAdder();
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder droppedQos0 = new LongAdder();
    public final LongAdder droppedQueueFull = new LongAdder();
    public final LongAdder droppedTooLarge = new LongAdder();
    public final LongAdder expired = new LongAdder();
    public final LongAdder queued = new LongAdder();
    public final LongAdder inFlight = new LongAdder();
    public final LongAdder publishersPaused = new LongAdder();

    /** A consistent-enough snapshot for metrics: each counter is read once. */
    public BrokerStats snapshot() {
        return new BrokerStats(connections.sum(), sessions.sum(), messagesReceived.sum(), messagesSent.sum(),
                bytesReceived.sum(), bytesSent.sum(), droppedQos0.sum(), droppedQueueFull.sum(),
                droppedTooLarge.sum(), expired.sum(), queued.sum(), inFlight.sum(), publishersPaused.sum());
    }
}
