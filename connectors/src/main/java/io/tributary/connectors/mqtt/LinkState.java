package io.tributary.connectors.mqtt;

/**
 * Whether a link is connected.
 *
 * @param description {@code up}, or {@code down: } and why, such as {@code down: not connected for 12 s: Connection
 *     refused}
 */
public record LinkState(boolean up, String description) {
}
