package io.tributary.broker.server;

import io.tributary.broker.Message;
import io.tributary.broker.MessageHandler;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.stats.BrokerCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers to a {@link MessageHandler} in the broker's process. Its in-flight window is the number of
 * handler stages not yet complete; past {@link SubscribeOptions#maxInFlight()} it pauses publishers
 * until half of them completed.
 */
final class InProcessSubscriber implements Subscriber {
    private final String id;
    private final MessageHandler handler;
    private final SubscribeOptions options;
    private final BrokerCounters counters;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<PublisherLink> paused = new ArrayList<>();
    private volatile boolean closed;

    InProcessSubscriber(String id, MessageHandler handler, SubscribeOptions options, BrokerCounters counters) {
        this.id = id;
        this.handler = handler;
        this.options = options;
        this.counters = counters;
    }

    @Override
    public String clientId() {
        return id;
    }

    @Override
    public CompletionStage<Void> offer(OutboundMessage outbound, PublisherLink publisher) {
        Message original = outbound.message();
        if (closed || (options.noLocal() && original.publisherId() == null)) {
            return null;
        }
        Message delivered = original.qos() == outbound.qos() && original.retain() == outbound.retain() ? original
                : new Message(original.topic(), original.payload(), outbound.qos(), outbound.retain(),
                        original.properties(), original.publisherId(), original.receivedAtMillis());
        if (inFlight.incrementAndGet() > options.maxInFlight() && publisher != null) {
            synchronized (paused) {
                paused.add(publisher);
            }
            publisher.pause();
        }
        counters.messagesSent.increment();
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

    private void completed() {
        if (inFlight.decrementAndGet() <= options.maxInFlight() / 2) {
            List<PublisherLink> toResume;
            synchronized (paused) {
                if (paused.isEmpty()) {
                    return;
                }
                toResume = new ArrayList<>(paused);
                paused.clear();
            }
            toResume.forEach(PublisherLink::resume);
        }
    }

    @Override
    public boolean isReadyForShared() {
        return !closed && inFlight.get() < options.maxInFlight();
    }

    void close() {
        closed = true;
    }
}
