package io.tributary.broker;

/**
 * How an in-process subscription takes its messages.
 *
 * @param maxQos the highest QoS delivered; a message published at a higher QoS is delivered at this one
 * @param holdPublisherAck when true, a QoS 1 or 2 publisher's acknowledgement waits until this
 *     subscription's handler completed (how a route keeps the device's QoS end to end)
 * @param maxInFlight how many handler stages may be incomplete at once; past it the broker pushes back
 *     on publishers instead of queueing without bound
 * @param noLocal when true, messages published through the in-process API are not delivered back to it
 * @param fromEveryNode in a cluster, also the messages published on other nodes (their devices' publishes, their
 *     in-process publishes), as an MQTT subscriber anywhere gets them; without a cluster it changes nothing. False:
 *     this node's publishes only, so that a route meets each message once, on the node where it was published
 */
public record SubscribeOptions(QoS maxQos, boolean holdPublisherAck, int maxInFlight, boolean noLocal,
                               boolean fromEveryNode) {

    public SubscribeOptions {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
    }

    /** This node's publishes only. */
    public SubscribeOptions(QoS maxQos, boolean holdPublisherAck, int maxInFlight, boolean noLocal) {
        this(maxQos, holdPublisherAck, maxInFlight, noLocal, false);
    }

    /** Delivery at up to {@code maxQos}, 1,000 in flight, the publisher's acknowledgement not held. */
    public static SubscribeOptions of(QoS maxQos) {
        return new SubscribeOptions(maxQos, false, 1000, false, false);
    }

    /** A copy that holds the publisher's acknowledgement until the handler completed. */
    public SubscribeOptions holdingPublisherAck() {
        return new SubscribeOptions(maxQos, true, maxInFlight, noLocal, fromEveryNode);
    }

    /** A copy with another in-flight limit. */
    public SubscribeOptions withMaxInFlight(int limit) {
        return new SubscribeOptions(maxQos, holdPublisherAck, limit, noLocal, fromEveryNode);
    }

    /**
     * A copy that, in a cluster, also gets the messages published on other nodes (an event stream that watches
     * the whole cluster); ignored without a cluster. Not for routes: a message would meet them once per node.
     */
    public SubscribeOptions everyNode() {
        return new SubscribeOptions(maxQos, holdPublisherAck, maxInFlight, noLocal, true);
    }
}
