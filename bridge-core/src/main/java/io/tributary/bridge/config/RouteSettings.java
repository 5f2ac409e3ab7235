package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Condition;
import java.util.Objects;
import java.util.Optional;

/**
 * One route of the {@code routes} section, validated: messages from {@code from} that pass
 * {@code condition} are delivered to {@code to}, retried by {@code retry}, and past the last attempt given to
 * {@code deadLetter}.
 *
 * @param condition which messages the route takes; all when empty
 * @param deadLetter where a message goes when every attempt failed, with the error attached; when empty the
 *     failure goes back to the source (an MQTT publisher gets a failed acknowledgement, a Kafka record is not
 *     committed and is read again)
 * @param location where the route is written, for errors found when it is started
 * @param ack when a device's QoS 1/2 message is acknowledged: once the sink has it, or once the route's buffer has it
 * @param buffer the bounds of the route's buffer; used with {@link AckMode#BUFFER} only
 */
public record RouteSettings(String name, RouteSource from, RouteSink to, Optional<Condition> condition,
                            RetrySettings retry, Optional<RouteSink> deadLetter, SourceLocation location,
                            AckMode ack, BufferSettings buffer) {

    public RouteSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(ack, "ack");
        Objects.requireNonNull(buffer, "buffer");
    }

    /** A route that acknowledges once its sink has the message ({@code ack: sink}, the default). */
    public RouteSettings(String name, RouteSource from, RouteSink to, Optional<Condition> condition,
                         RetrySettings retry, Optional<RouteSink> deadLetter, SourceLocation location) {
        this(name, from, to, condition, retry, deadLetter, location, AckMode.SINK, BufferSettings.defaults());
    }

    /** This route with {@code ack} and {@code buffer} instead of its own. */
    public RouteSettings withAck(AckMode ack, BufferSettings buffer) {
        return new RouteSettings(name, from, to, condition, retry, deadLetter, location, ack, buffer);
    }

    /** True if the route acknowledges devices once its buffer has their messages. */
    public boolean buffered() {
        return ack == AckMode.BUFFER;
    }
}
