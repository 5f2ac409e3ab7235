package io.tributary.bridge.camel;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off from the thread a message arrives on (the broker's or a link's I/O thread, which must never wait for a
 * sink) to a route's own thread, counting the messages handed over and not yet taken.
 *
 * <p>QoS 1 and 2 messages are bounded before they get here, by their publisher's in-flight window or the link's
 * Receive Maximum. QoS 0 messages have no such bound, so past {@code maxWaitingQos0} waiting they are dropped and
 * counted, as the broker does for a subscriber that is behind.
 */
public final class RouteHandOff {

    private static final Logger LOG = LoggerFactory.getLogger(RouteHandOff.class);

    private final String source;
    private final int maxWaitingQos0;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong droppedQos0 = new AtomicLong();

    /** @param source what the route reads, for the log line when it falls behind */
    public RouteHandOff(String source, int maxWaitingQos0) {
        this.source = source;
        this.maxWaitingQos0 = maxWaitingQos0;
    }

    /** True, counted and logged once, when the message is QoS 0 and the route is too far behind to take it. */
    public boolean dropsQos0(Message message) {
        if (message.qos() != QoS.AT_MOST_ONCE || waiting.get() < maxWaitingQos0) {
            return false;
        }
        if (droppedQos0.getAndIncrement() == 0) {
            LOG.warn("Route from {} is behind: QoS 0 messages are dropped while {} wait (counted from now)",
                    source, maxWaitingQos0);
        }
        return true;
    }

    /**
     * Runs {@code work} on {@code thread}. When the thread refuses it (its route stopped), {@code done} fails, so
     * the message's sender is not told it was delivered.
     */
    public void execute(Executor thread, CompletableFuture<Void> done, Runnable work) {
        waiting.incrementAndGet();
        try {
            thread.execute(() -> {
                waiting.decrementAndGet();
                work.run();
            });
        } catch (RuntimeException refused) {
            waiting.decrementAndGet();
            done.completeExceptionally(refused);
        }
    }

    /** Messages handed over and not yet taken by the route's thread. */
    public int waiting() {
        return waiting.get();
    }
}
