package io.tributary.connectors.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import io.tributary.broker.Message;
import io.tributary.broker.PayloadRefusedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each message of a link to the subscriptions whose filter matches its topic (the client has one flow for
 * all of them, so the match is made here), and acknowledges it once every one of their stages completed normally.
 * A stage that failed leaves the message unacknowledged and reports the failure, so that the link can make the
 * broker send it again. A payload dead-lettered for good ({@link PayloadRefusedException}) counts as delivered.
 */
final class LinkDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(LinkDispatcher.class);

    private record Route(MqttTopicFilter filter, LinkSubscription subscription) {
    }

    private final String link;
    private final Consumer<Throwable> onFailure;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong unrouted = new AtomicLong();
    private volatile boolean taking = true;

    /**
     * @param link the connection's name, for logs
     * @param onFailure called with the error when a message stays unacknowledged because a route failed it
     */
    LinkDispatcher(String link, Consumer<Throwable> onFailure) {
        this.link = link;
        this.onFailure = onFailure;
    }

    /** Adds a route's handler; closing the result removes it. */
    AutoCloseable add(LinkSubscription subscription) {
        Route route = new Route(MqttTopicFilter.of(subscription.filter()), subscription);
        routes.add(route);
        return () -> routes.remove(route);
    }

    /** The subscriptions of the routes, to send at each connect. */
    List<LinkSubscription> subscriptions() {
        return routes.stream().map(Route::subscription).toList();
    }

    /** See {@link MqttLink#stopTaking()}. */
    void stopTaking() {
        taking = false;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Messages no route matched, acknowledged all the same: a subscription kept in the session for a removed route. */
    long unrouted() {
        return unrouted.get();
    }

    /**
     * Hands {@code message} to the matching routes; {@code acknowledge} runs once they all have it.
     *
     * <p>A message no route matches is acknowledged while routes run (it came for a route a reload removed, whose
     * subscription the session keeps), but not when none runs: at the start and during the shutdown its route is
     * just not there yet, or no more, and the next session brings it again.
     */
    void dispatch(Message message, Runnable acknowledge) {
        MqttTopic topic = MqttTopic.of(message.topic());
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (Route route : routes) {
            if (route.filter().matches(topic)) {
                stages.add(deliver(route.subscription(), message));
            }
        }
        if (stages.isEmpty()) {
            if (taking && !routes.isEmpty()) {
                if (unrouted.getAndIncrement() == 0) {
                    LOG.warn("Link {}: a message on {} matches no route (a subscription of a removed route?); such "
                            + "messages are acknowledged and dropped (counted from now)", link, message.topic());
                }
                acknowledge(acknowledge);
            }
            return;
        }
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
            if (error == null) {
                acknowledge(acknowledge);
            } else {
                onFailure.accept(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
    }

    private void acknowledge(Runnable acknowledge) {
        acknowledge.run();
        acknowledged.incrementAndGet();
    }

    /** The route's stage, a refused payload counting as delivered; a handler that throws fails it. */
    private static CompletableFuture<Void> deliver(LinkSubscription subscription, Message message) {
        CompletableFuture<Void> stage;
        try {
            stage = subscription.handler().onMessage(message).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return stage.exceptionallyCompose(error -> refused(error)
                ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(error));
    }

    private static boolean refused(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof PayloadRefusedException;
    }
}
