package io.tributary.bridge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka client properties that Tributary's delivery guarantees rest on, which a connection's
 * {@code properties} may therefore not set: Camel applies those last, so they would silently win over the
 * settings of the producers and consumers that routes use.
 *
 * <p>{@code isolation.level} is not among them: both values lose nothing a producer had acknowledged;
 * {@code read_committed} only also skips the records of aborted transactions.
 */
final class GuaranteedKafkaProperties {

    /** The most requests an idempotent producer may have in flight on one connection, a Kafka rule. */
    static final int MAX_IN_FLIGHT = 5;

    private static final String MAX_IN_FLIGHT_PROPERTY = "max.in.flight.requests.per.connection";
    private static final String RETRIES_PROPERTY = "retries";

    /** Each refused property and why, for the error and the reference. */
    private static final Map<String, String> REFUSED = refused();

    private GuaranteedKafkaProperties() {
    }

    private static Map<String, String> refused() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("acks", "Tributary sets acks=all itself, so that a device is acknowledged only once every "
                + "in-sync replica has its message");
        refused.put("enable.idempotence", "Tributary turns idempotence on itself, so that the producer's own "
                + "retries never write a record twice");
        refused.put("transactional.id", "Tributary writes with an idempotent producer and acknowledges each "
                + "record on its own; Camel's per-message Kafka transactions are not part of that guarantee");
        refused.put("enable.auto.commit", "Tributary commits a route's offsets itself, after the records were "
                + "delivered; auto-commit would commit records not yet delivered");
        refused.put("group.id", "each route reads in the consumer group of its source (from.kafka.group); one "
                + "group for the whole connection would split a topic's records between routes");
        refused.put("auto.offset.reset", "a route whose group has no committed offset starts at the earliest "
                + "record, so that nothing written before it first ran or after its offsets expired is skipped");
        return Collections.unmodifiableMap(refused);
    }

    /** The property names refused whatever their value, for the reference. */
    static String describe() {
        return String.join(", ", REFUSED.keySet().stream().map(k -> "`" + k + "`").toList());
    }

    /** Why {@code key} may not be set at all, if it may not. */
    static Optional<String> refusedKey(String key) {
        return Optional.ofNullable(REFUSED.get(key)).map(why -> key + " cannot be set here: " + why);
    }

    /** Why {@code value} may not be given to {@code key}, if it may not; {@code value} as written. */
    static Optional<String> refusedValue(String key, String value) {
        if (key.equals(MAX_IN_FLIGHT_PROPERTY)) {
            return outside(value, 1, MAX_IN_FLIGHT).map(v -> "expected 1-" + MAX_IN_FLIGHT + ", got '" + v
                    + "': Tributary's producers are idempotent, and Kafka allows an idempotent producer at most "
                    + MAX_IN_FLIGHT + " requests in flight");
        }
        if (key.equals(RETRIES_PROPERTY)) {
            return outside(value, 1, Integer.MAX_VALUE).map(v -> "expected at least 1, got '" + v
                    + "': Tributary's producers are idempotent, and Kafka's idempotent producer needs retries");
        }
        return Optional.empty();
    }

    /** {@code value} when it is not an integer from {@code min} to {@code max}. */
    private static Optional<String> outside(String value, int min, int max) {
        try {
            int number = Integer.parseInt(value.strip());
            return number >= min && number <= max ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.of(value);
        }
    }
}
