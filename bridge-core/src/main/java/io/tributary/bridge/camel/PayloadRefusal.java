package io.tributary.bridge.camel;

/**
 * How a route tells the consumer that read a message from the broker that it dead-lettered the message because it
 * can never deliver it (a payload its mapping cannot use, a sink that refuses it for good): the consumer then fails
 * its hold with {@link io.tributary.broker.PayloadRefusedException}, so the publisher is acknowledged and told,
 * never made to send the same payload again.
 */
public final class PayloadRefusal {

    /** The exchange property holding why the message was refused, as text. */
    public static final String PROPERTY = "tributary.refused";

    private PayloadRefusal() {
    }
}
