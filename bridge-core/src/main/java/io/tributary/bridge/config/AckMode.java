package io.tributary.bridge.config;

/**
 * When a route lets the broker acknowledge a device's QoS 1/2 message: once the sink has it ({@link #SINK}), or
 * once the route's on-disk buffer has it ({@link #BUFFER}), which then forwards it to the sink.
 */
public enum AckMode {
    /** The PUBACK/PUBREC waits for the sink's acknowledgement (Kafka {@code acks=all}, HTTP 2xx, SQL commit). */
    SINK,
    /** The PUBACK/PUBREC waits until the message is fsynced in the route's buffer; a forwarder delivers it. */
    BUFFER
}
