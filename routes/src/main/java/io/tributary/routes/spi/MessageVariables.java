package io.tributary.routes.spi;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Message;
import io.tributary.broker.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The values that a route's templates and condition can use, read from the exchange of its source: for an
 * MQTT source the filter's placeholders, {@code topic}, {@code client-id}, {@code qos}; for a Kafka source
 * {@code key}, {@code topic}, {@code partition}, {@code offset}; for both {@code header.NAME} (an MQTT 5
 * user property or a Kafka header), {@code json.PATH} (a field of a JSON payload), {@code payload} (the
 * payload as UTF-8 text) and {@code timestamp} (when the broker received the message, or the Kafka record's
 * timestamp, ISO-8601 in UTC).
 */
public final class MessageVariables implements Function<String, String> {

    private static final String HEADER_PREFIX = "header.";
    private static final String JSON_PREFIX = "json.";
    private static final String PAYLOAD = "payload";
    private static final String TIMESTAMP = "timestamp";
    private static final long NO_TIMESTAMP = -1;

    private final Map<String, String> named;
    private final Function<String, String> headers;
    private final byte[] payload;
    private final JsonFields json;
    /** {@code timestamp}, formatted only when a template or condition asks: most routes never do. */
    private final long timestampMillis;

    private MessageVariables(Map<String, String> named, Function<String, String> headers, byte[] payload,
                             Long timestampMillis) {
        this(named, headers, payload, new JsonFields(payload),
                timestampMillis == null || timestampMillis < 0 ? NO_TIMESTAMP : timestampMillis);
    }

    private MessageVariables(Map<String, String> named, Function<String, String> headers, byte[] payload,
                             JsonFields json, long timestampMillis) {
        this.named = named;
        this.headers = headers;
        this.payload = payload;
        this.json = json;
        this.timestampMillis = timestampMillis;
    }

    /** The variables of a message from the broker, matched against the route's filter. */
    public static MessageVariables ofMqtt(Exchange exchange, TopicPattern filter) {
        org.apache.camel.Message in = exchange.getIn();
        return ofMqtt(filter, in.getHeader(MqttHeaders.TOPIC, String.class), in.getHeader(MqttHeaders.QOS),
                in.getHeader(MqttHeaders.CLIENT_ID, String.class), in.getHeader(MqttHeaders.RECEIVED_AT, Long.class),
                in.getHeader(MqttHeaders.USER_PROPERTIES, List.of(), List.class), payload(exchange));
    }

    /** The same variables, read from the broker's message itself: for a route that delivers it without exchange. */
    public static MessageVariables ofMqtt(Message message, TopicPattern filter) {
        return ofMqtt(filter, message.topic(), message.qos().value(), message.publisherId(), message.receivedAtMillis(),
                message.properties().userProperties(), message.payload() == null ? new byte[0] : message.payload());
    }

    private static MessageVariables ofMqtt(TopicPattern filter, String topic, Object qos, String clientId,
                                           Long receivedAt, List<?> properties, byte[] payload) {
        // The match is a new map of its own: the other variables go into it.
        Map<String, String> matched = topic == null ? null : filter.match(topic);
        Map<String, String> named = matched == null ? new HashMap<>() : matched;
        named.put("topic", topic);
        named.put("qos", String.valueOf(qos));
        if (clientId != null) {
            named.put("client-id", clientId);
        }
        Function<String, String> headers = name -> properties.stream()
                .map(UserProperty.class::cast)
                .filter(p -> p.name().equals(name))
                .map(UserProperty::value)
                .findFirst().orElse(null);
        return new MessageVariables(named, headers, payload, receivedAt);
    }

    /** The variables of a Kafka record. */
    public static MessageVariables ofKafka(Exchange exchange) {
        org.apache.camel.Message in = exchange.getIn();
        Map<String, String> named = new HashMap<>();
        putIfPresent(named, "key", in.getHeader(KafkaConstants.KEY));
        putIfPresent(named, "topic", in.getHeader(KafkaConstants.TOPIC));
        putIfPresent(named, "partition", in.getHeader(KafkaConstants.PARTITION));
        putIfPresent(named, "offset", in.getHeader(KafkaConstants.OFFSET));
        Headers recordHeaders = in.getHeader(KafkaConstants.HEADERS, Headers.class);
        Function<String, String> headers = name -> {
            Header header = recordHeaders == null ? null : recordHeaders.lastHeader(name);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        };
        return new MessageVariables(named, headers, payload(exchange),
                in.getHeader(KafkaConstants.TIMESTAMP, Long.class));
    }

    /** A copy that also knows {@code name}, such as the dead-letter {@code error}. */
    public MessageVariables with(String name, String value) {
        Map<String, String> more = new HashMap<>(named);
        more.put(name, value);
        return new MessageVariables(more, headers, payload, json,
                TIMESTAMP.equals(name) ? NO_TIMESTAMP : timestampMillis);
    }

    /**
     * These variables as a route's condition reads them: a variable that cannot have a value (a {@code json.}
     * field of a payload that is not JSON) has none, so its comparison is false and the message is filtered, as
     * docs/configuration.md says, instead of failing the route (which would refuse the device's message again and
     * again, or disconnect an MQTT 3.1.1 device).
     */
    public Function<String, String> forCondition() {
        return variable -> {
            try {
                return apply(variable);
            } catch (MappingException noValue) {
                return null;
            }
        };
    }

    @Override
    public String apply(String variable) {
        if (variable.startsWith(HEADER_PREFIX)) {
            return headers.apply(variable.substring(HEADER_PREFIX.length()));
        }
        if (variable.startsWith(JSON_PREFIX)) {
            return json.get(variable.substring(JSON_PREFIX.length()));
        }
        if (variable.equals(PAYLOAD) && !named.containsKey(PAYLOAD)) {
            return new String(payload, StandardCharsets.UTF_8);
        }
        if (timestampMillis != NO_TIMESTAMP && variable.equals(TIMESTAMP)) {
            // Epoch milliseconds as an ISO-8601 instant in UTC, such as 2025-01-31T12:00:00.250Z.
            return Instant.ofEpochMilli(timestampMillis).toString();
        }
        return named.get(variable);
    }

    private static byte[] payload(Exchange exchange) {
        byte[] payload = exchange.getIn().getBody(byte[].class);
        return payload == null ? new byte[0] : payload;
    }

    private static void putIfPresent(Map<String, String> values, String name, Object value) {
        if (value != null) {
            values.put(name, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                    : value.toString());
        }
    }
}
