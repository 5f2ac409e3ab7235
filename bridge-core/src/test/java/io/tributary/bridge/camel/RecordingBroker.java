package io.tributary.bridge.camel;

import io.tributary.broker.InProcessBroker;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.MessageHandler;
import io.tributary.broker.SubscribeOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the broker in unit tests of the component: it records what is published and hands
 * messages to the one subscriber, returning the subscriber's acknowledgement stage.
 */
final class RecordingBroker implements InProcessBroker {

    final List<Message> published = new CopyOnWriteArrayList<>();
    volatile MessageHandler subscriber;
    volatile SubscribeOptions subscribeOptions;

    /** Delivers to the subscriber as the broker's I/O thread would, returning its stage. */
    CompletionStage<Void> deliver(Message message) {
        return subscriber.onMessage(message);
    }

    @Override
    public CompletableFuture<Void> publish(Message message) {
        published.add(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<Message> retained(String filter) {
        return List.of();
    }

    @Override
    public InProcessSubscription subscribe(String filter, SubscribeOptions options, MessageHandler handler) {
        subscriber = handler;
        subscribeOptions = options;
        return new InProcessSubscription() {
            @Override
            public String filter() {
                return filter;
            }

            @Override
            public void close() {
                subscriber = null;
            }
        };
    }
}
