package io.tributary.routes.spi;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
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
    /** When the broker received the message, or the Kafka record's timestamp, ISO-8601 in UTC. */
    private static final String TIMESTAMP = "timestamp";

    /** Built on first read: most templates use one or two variables, and a timestamp costs a formatting. */
    private Map<String, String> named;
    private final Supplier<Map<String, String>> namedValues;
    private final Function<String, String> headers;
    private final byte[] payload;
    private final JsonFields json;
    /** {@code timestamp}'s epoch milliseconds, formatted only when read; null when there is none. */
    private final Long timestampMillis;

    private MessageVariables(Supplier<Map<String, String>> namedValues, Function<String, String> headers,
                             byte[] payload, Long timestampMillis) {
        this(null, namedValues, headers, payload, new JsonFields(payload),
                timestampMillis != null && timestampMillis >= 0 ? timestampMillis : null);
    }

    private MessageVariables(Map<String, String> named, Supplier<Map<String, String>> namedValues,
                             Function<String, String> headers, byte[] payload, JsonFields json,
                             Long timestampMillis) {
        this.named = named;
        this.namedValues = namedValues;
        this.headers = headers;
        this.payload = payload;
        this.json = json;
        this.timestampMillis = timestampMillis;
    }

    private Map<String, String> named() {
        if (named == null) {
            named = namedValues.get();
        }
        return named;
    }

    /** The variables of a message from the broker, matched against the route's filter. */
    public static MessageVariables ofMqtt(Exchange exchange, TopicPattern filter) {
        org.apache.camel.Message in = exchange.getIn();
        String topic = in.getHeader(MqttHeaders.TOPIC, String.class);
        Object qos = in.getHeader(MqttHeaders.QOS);
        String clientId = in.getHeader(MqttHeaders.CLIENT_ID, String.class);
        Long receivedAt = in.getHeader(MqttHeaders.RECEIVED_AT, Long.class);
        Supplier<Map<String, String>> named = () -> {
            Map<String, String> matched = topic == null ? null : filter.match(topic);
            Map<String, String> values = matched == null ? new HashMap<>() : new HashMap<>(matched);
            values.put("topic", topic);
            values.put("qos", String.valueOf(qos));
            if (clientId != null) {
                values.put("client-id", clientId);
            }
            return values;
        };
        List<?> properties = in.getHeader(MqttHeaders.USER_PROPERTIES, List.of(), List.class);
        Function<String, String> headers = name -> properties.stream()
                .map(UserProperty.class::cast)
                .filter(p -> p.name().equals(name))
                .map(UserProperty::value)
                .findFirst().orElse(null);
        return new MessageVariables(named, headers, payload(exchange), receivedAt);
    }

    /** The variables of a Kafka record. */
    public static MessageVariables ofKafka(Exchange exchange) {
        org.apache.camel.Message in = exchange.getIn();
        Object key = in.getHeader(KafkaConstants.KEY);
        Object topic = in.getHeader(KafkaConstants.TOPIC);
        Object partition = in.getHeader(KafkaConstants.PARTITION);
        Object offset = in.getHeader(KafkaConstants.OFFSET);
        Long timestamp = in.getHeader(KafkaConstants.TIMESTAMP, Long.class);
        Supplier<Map<String, String>> named = () -> {
            Map<String, String> values = new HashMap<>();
            putIfPresent(values, "key", key);
            putIfPresent(values, "topic", topic);
            putIfPresent(values, "partition", partition);
            putIfPresent(values, "offset", offset);
            return values;
        };
        Headers recordHeaders = in.getHeader(KafkaConstants.HEADERS, Headers.class);
        Function<String, String> headers = name -> {
            Header header = recordHeaders == null ? null : recordHeaders.lastHeader(name);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        };
        return new MessageVariables(named, headers, payload(exchange), timestamp);
    }

    /** A copy that also knows {@code name}, such as the dead-letter {@code error}. */
    public MessageVariables with(String name, String value) {
        Map<String, String> more = new HashMap<>(named());
        more.put(name, value);
        return new MessageVariables(more, null, headers, payload, json,
                name.equals(TIMESTAMP) ? null : timestampMillis);
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
        if (variable.equals(PAYLOAD) && !named().containsKey(PAYLOAD)) {
            return new String(payload, StandardCharsets.UTF_8);
        }
        if (timestampMillis != null && variable.equals(TIMESTAMP)) {
            return Instant.ofEpochMilli(timestampMillis).toString();
        }
        return named().get(variable);
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
