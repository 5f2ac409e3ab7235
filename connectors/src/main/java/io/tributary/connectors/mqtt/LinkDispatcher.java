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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each message of a link to the subscriptions whose filter matches its topic (the client has one flow for
 * all of them, so the match is made here), and acknowledges it once every one of their stages completed normally.
 * A stage that failed leaves the message unacknowledged and reports the failure, so that the link can make the
 * broker send it again. A payload dead-lettered for good ({@link PayloadRefusedException}) counts as delivered.
 * A message that went round {@code maxHops} of our publishes already ({@link LinkHops}) is acknowledged and dropped:
 * routes that send messages in a circle stop there.
 */
final class LinkDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(LinkDispatcher.class);

    private record Route(MqttTopicFilter filter, LinkSubscription subscription) {
    }

    private final String link;
    private final int maxHops;
    private final LinkCounts counts;
    private final Consumer<Throwable> onFailure;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private volatile boolean taking = true;

    /**
     * @param link the connection's name, for logs
     * @param maxHops a message whose hop count is at least this is dropped
     * @param counts where the messages are counted
     * @param onFailure called with the error when a message stays unacknowledged because a route failed it
     */
    LinkDispatcher(String link, int maxHops, LinkCounts counts, Consumer<Throwable> onFailure) {
        this.link = link;
        this.maxHops = maxHops;
        this.counts = counts;
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

    /**
     * Hands {@code message} to the matching routes; {@code acknowledge} runs once they all have it, and answers
     * whether the acknowledgement could still go out (not when the connection it came on ended meanwhile: the broker
     * sends it again); only those are counted.
     *
     * <p>A message no route matches is acknowledged while routes run (it came for a route a reload removed, whose
     * subscription the session keeps), but not when none runs: at the start and during the shutdown its route is
     * just not there yet, or no more, and the next session brings it again.
     */
    void dispatch(Message message, BooleanSupplier acknowledge) {
        int hops = LinkHops.of(message);
        if (hops >= maxHops) {
            if (counts.looped.getAndIncrement() == 0) {
                LOG.warn("Link {}: a message on {} went through {} publishes of Tributary ({} {}): routes send it in a "
                        + "circle; such messages are acknowledged and dropped (counted from now)", link,
                        message.topic(), hops, LinkHops.PROPERTY, hops);
            }
            acknowledge(acknowledge);
            return;
        }
        MqttTopic topic = MqttTopic.of(message.topic());
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (Route route : routes) {
            if (route.filter().matches(topic)) {
                stages.add(deliver(route.subscription(), message));
            }
        }
        if (stages.isEmpty()) {
            if (taking && !routes.isEmpty()) {
                if (counts.unrouted.getAndIncrement() == 0) {
                    LOG.warn("Link {}: a message on {} matches no route (a subscription of a removed route?); such "
                            + "messages are acknowledged and dropped (counted from now)", link, message.topic());
                }
                acknowledge(acknowledge);
            }
            return;
        }
        counts.inFlightIn.incrementAndGet();
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
            counts.inFlightIn.decrementAndGet();
            if (error == null) {
                acknowledge(acknowledge);
            } else {
                onFailure.accept(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
    }

    private void acknowledge(BooleanSupplier acknowledge) {
        if (acknowledge.getAsBoolean()) {
            counts.acknowledged.incrementAndGet();
        }
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
