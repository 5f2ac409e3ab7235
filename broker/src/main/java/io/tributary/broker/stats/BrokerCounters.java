package io.tributary.broker.stats;

import io.tributary.broker.BrokerStats;
import io.tributary.broker.QoS;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's live counters. Every I/O thread adds to them; {@link LongAdder} keeps that free of
 * contention. Gauges (connections, sessions, queued, in flight, paused) go up and down.
 */
public final class BrokerCounters {
    public final LongAdder connections = new LongAdder();
    public final LongAdder sessions = new LongAdder();
    /** By the QoS a message was published with. */
    public final ByQos messagesReceived = new ByQos();
    /** By the QoS a message was delivered at. */
    public final ByQos messagesSent = new ByQos();
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder droppedQos0 = new LongAdder();
    public final LongAdder droppedQueueFull = new LongAdder();
    public final LongAdder droppedTooLarge = new LongAdder();
    /** Publishes refused because the client may not publish to the topic (dropped in MQTT 3.1.1). */
    public final LongAdder droppedNotAuthorized = new LongAdder();
    public final LongAdder expired = new LongAdder();
    public final LongAdder queued = new LongAdder();
    /** Of {@link #queued}, those on disk only. */
    public final LongAdder queuedOnDisk = new LongAdder();
    public final LongAdder inFlight = new LongAdder();
    public final LongAdder publishersPaused = new LongAdder();
    /** Retained messages not stored because the retained store was at its limits. */
    public final LongAdder retainedRefused = new LongAdder();
    /** Clients found stuck: nothing taken from a full queue for the stuck-subscriber timeout. */
    public final LongAdder stuckSubscribers = new LongAdder();
    /** Messages that found the broker-wide queue budget full while their session's own queue had room. */
    public final LongAdder queueBudgetFull = new LongAdder();
    /** What the sessions hold in memory now, queued or in flight, as the queue budget counts it. */
    public final LongAdder queuedMemoryBytes = new LongAdder();

    /**
     * A consistent-enough snapshot for metrics: each counter is read once, and a message total is the sum of
     * its counts by QoS, so the two always agree.
     */
    public BrokerStats snapshot() {
        BrokerStats.QosCounts received = messagesReceived.snapshot();
        BrokerStats.QosCounts sent = messagesSent.snapshot();
        return new BrokerStats(connections.sum(), sessions.sum(), received.total(), sent.total(), received, sent,
                bytesReceived.sum(), bytesSent.sum(), droppedQos0.sum(), droppedQueueFull.sum(),
                droppedTooLarge.sum(), expired.sum(), queued.sum(), queuedOnDisk.sum(), inFlight.sum(), publishersPaused.sum(),
                retainedRefused.sum(),
                droppedNotAuthorized.sum(), stuckSubscribers.sum(), queueBudgetFull.sum(), queuedMemoryBytes.sum());
    }

    /** A message counter split by QoS, one adder per level. */
    public static final class ByQos {
        private final LongAdder atMostOnce = new LongAdder();
        private final LongAdder atLeastOnce = new LongAdder();
        private final LongAdder exactlyOnce = new LongAdder();

        /** Counts one message at {@code qos}. */
        public void increment(QoS qos) {
            switch (qos) {
                case AT_MOST_ONCE -> atMostOnce.increment();
                case AT_LEAST_ONCE -> atLeastOnce.increment();
                case EXACTLY_ONCE -> exactlyOnce.increment();
            }
        }

        BrokerStats.QosCounts snapshot() {
            return new BrokerStats.QosCounts(atMostOnce.sum(), atLeastOnce.sum(), exactlyOnce.sum());
        }
    }
}
