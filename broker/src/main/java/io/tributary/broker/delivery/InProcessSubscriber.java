package io.tributary.broker.delivery;

import io.tributary.broker.Message;
import io.tributary.broker.MessageHandler;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.broker.stats.BrokerCounters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers to a {@link MessageHandler} in the broker's process (a route's sink): the subscriber whose stage
 * holds a device's acknowledgement until the sink has the message. Its in-flight window is the number of
 * handler stages not yet complete; past {@link SubscribeOptions#maxInFlight()} it pauses publishers, and
 * resumes them in the order they were paused as slots free up.
 *
 * <p>Concurrency: offered messages on any publisher's thread, completions on any thread; the window is an
 * atomic counter and the paused publishers a queue under its own monitor.
 */
public final class InProcessSubscriber implements Subscriber {
    private final String id;
    private final MessageHandler handler;
    private final SubscribeOptions options;
    private final BrokerCounters counters;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ArrayDeque<PublisherLink> paused = new ArrayDeque<>();
    /** Offers under way: an offer never blocks, so {@link #close} waits for them at most this long. */
    private static final long CLOSE_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private final AtomicInteger offering = new AtomicInteger();
    private volatile boolean closed;

    public InProcessSubscriber(String id, MessageHandler handler, SubscribeOptions options, BrokerCounters counters) {
        this.id = id;
        this.handler = handler;
        this.options = options;
        this.counters = counters;
    }

    /** In a cluster: whether this subscriber also gets the messages published on other nodes. */
    public boolean everyNode() {
        return options.fromEveryNode();
    }

    @Override
    public String clientId() {
        return id;
    }

    @Override
    public CompletionStage<Void> offer(OutboundMessage outbound, PublisherLink publisher) {
        offering.incrementAndGet();
        try {
            return offerOpen(outbound, publisher);
        } finally {
            offering.decrementAndGet();
        }
    }

    private CompletionStage<Void> offerOpen(OutboundMessage outbound, PublisherLink publisher) {
        if (closed) {
            return UNSUBSCRIBED;
        }
        Message original = outbound.message();
        if (options.noLocal() && original.publisherId() == null) {
            return null;
        }
        Message delivered = original.qos() == outbound.qos() && original.retain() == outbound.retain() ? original
                : new Message(original.topic(), original.payload(), outbound.qos(), outbound.retain(),
                        original.properties(), original.publisherId(), original.receivedAtMillis());
        if (inFlight.incrementAndGet() > options.maxInFlight() && publisher != null) {
            // Paused before it is listed, so that its resume, which may come at once, never precedes the pause.
            publisher.pause();
            synchronized (paused) {
                paused.add(publisher);
            }
        }
        counters.messagesSent.increment(outbound.qos());
        CompletionStage<Void> stage;
        try {
            stage = handler.onMessage(delivered);
            if (stage == null) {
                stage = CompletableFuture.completedFuture(null);
            }
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ignored, failure) -> completed());
        return options.holdPublisherAck() && outbound.qos() != QoS.AT_MOST_ONCE ? stage : null;
    }

    /**
     * Frees a slot and resumes paused publishers first come, first served, as many as there is room for: a
     * publisher paused at the limit gets its turn as soon as the window has room, however busy the others
     * keep it (resuming only once half the window was free starved it while the others stayed above half).
     */
    private void completed() {
        int room = options.maxInFlight() - inFlight.decrementAndGet();
        if (room <= 0) {
            return;
        }
        List<PublisherLink> toResume = new ArrayList<>();
        synchronized (paused) {
            while (toResume.size() < room && !paused.isEmpty()) {
                toResume.add(paused.removeFirst());
            }
        }
        toResume.forEach(PublisherLink::resume);
    }

    @Override
    public boolean isReadyForShared() {
        return !closed && inFlight.get() < options.maxInFlight();
    }

    /**
     * Takes no more messages; those offered already still complete. Returns once no offer is under way, so that
     * the handler is not called after this returns: an offer that comes later is refused, and the router gives
     * the message to the subscribers matching it then.
     */
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (offering.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
