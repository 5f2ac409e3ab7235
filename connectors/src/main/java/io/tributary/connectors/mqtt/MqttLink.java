package io.tributary.connectors.mqtt;

import io.tributary.broker.Message;
import java.util.concurrent.CompletableFuture;

/**
 * One session with an external MQTT broker, shared by the routes that read from it and write to it. A route adds a
 * {@link LinkSubscription}; the link hands it each message whose topic matches and acknowledges the message to the
 * broker (PUBACK, or PUBREC at QoS 2) only once every matching handler's stage completed normally. A message whose
 * stage fails is not acknowledged: the broker still owns it and sends it again in the next session. A route writing
 * to the broker {@link #publish}es, and completes when the broker acknowledged.
 */
public interface MqttLink extends AutoCloseable {

    /** Connects, in the background: never waits for the broker, which may be down; the link keeps trying. */
    void start();

    /**
     * Adds a route's subscription: its SUBSCRIBE is sent now when connected, else at the next connect.
     *
     * @return closing it stops the handler getting messages; the subscription stays in the broker's session, so
     *     that what is published while Tributary is away waits there
     */
    AutoCloseable subscribe(LinkSubscription subscription);

    /**
     * Publishes {@code message} with its MQTT 5 properties and a hop count one more than it carries.
     *
     * @return completes when the broker acknowledged it (PUBACK at QoS 1, PUBREC at QoS 2, written at QoS 0); fails
     *     with a {@link LinkPublishException} when the broker refused it, when no acknowledgement came within the
     *     publish timeout (the link may be down meanwhile: the client sends it once back), or when the link is closed
     *     or too busy. Never blocks.
     */
    CompletableFuture<Void> publish(Message message);

    /** Whether the link is connected now, and why not. */
    LinkState state();

    /** What the link counted, in and out. */
    LinkCounts counts();

    /**
     * From now on a message that no subscription takes is left unacknowledged for the next session, since the
     * routes stopping for the shutdown no longer take theirs. Called before the routes stop.
     */
    void stopTaking();

    /** Disconnects, keeping the session on the broker, and stops reconnecting. */
    @Override
    void close();
}
