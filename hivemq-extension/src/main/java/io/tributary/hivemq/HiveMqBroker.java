package io.tributary.hivemq;

import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.tributary.broker.InProcessBroker;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.MessageHandler;
import io.tributary.broker.SubscribeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * HiveMQ as the routes see a broker: the same {@link InProcessBroker} as the built-in one. Subscriptions are the
 * routes' own ({@link RouteSubscriptions}), fed by the {@link RoutingInterceptor} with the devices' publishes; a
 * publish goes to the matching route subscriptions and through HiveMQ's {@link PublishService} to its subscribers.
 */
final class HiveMqBroker implements InProcessBroker {

    private final RouteSubscriptions subscriptions;
    private final PublishService publishService;
    private final Supplier<PublishBuilder> publishBuilder;

    HiveMqBroker(RouteSubscriptions subscriptions, PublishService publishService,
                 Supplier<PublishBuilder> publishBuilder) {
        this.subscriptions = subscriptions;
        this.publishService = publishService;
        this.publishBuilder = publishBuilder;
    }

    /**
     * Completes once the matching route subscriptions took the message and HiveMQ queued it for its subscribers
     * (HiveMQ counts a message its full queue discarded as taken too).
     */
    @Override
    public CompletableFuture<Void> publish(Message message) {
        try {
            TopicFilterMatch.parse(message.topic());
            if (message.topic().contains("+") || message.topic().contains("#")) {
                throw new IllegalArgumentException("a topic must not contain wildcards: " + message.topic());
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        RouteSubscriptions.Offer offer = subscriptions.offer(message, true);
        List<CompletableFuture<Void>> stages = new ArrayList<>(offer.holding());
        long now = System.currentTimeMillis();
        stages.add(publishService.publish(HiveMqMessages.toPublish(message, publishBuilder, now)));
        return CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new));
    }

    @Override
    public InProcessSubscription subscribe(String filter, SubscribeOptions options, MessageHandler handler) {
        return subscriptions.subscribe(filter, options, handler);
    }

    /** HiveMQ keeps the retained messages; only the HTTP API reads them, and it is refused inside HiveMQ. */
    @Override
    public List<Message> retained(String filter) {
        throw new UnsupportedOperationException("retained messages are HiveMQ's: its retained message store");
    }
}
