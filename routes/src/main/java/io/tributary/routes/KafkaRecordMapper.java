package io.tributary.routes;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.ValueType;
import io.tributary.bridge.config.ValueTypes;
import io.tributary.bridge.mapping.MissingValueException;
import io.tributary.bridge.mapping.Template;
import io.tributary.broker.UserProperty;
import io.tributary.routes.spi.MappingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns an exchange into the Kafka record a route writes: the topic and key from the route's templates,
 * and as headers the MQTT metadata ({@code mqtt.topic}, {@code mqtt.qos}, {@code mqtt.client-id}, the MQTT 5
 * properties), the MQTT 5 user properties under their own names (or a Kafka record's own headers), and the
 * route's extra headers. Every header value is UTF-8 bytes, whatever the platform charset.
 */
final class KafkaRecordMapper implements Processor {

    private static final ValueType<String> TOPIC_NAME = ValueTypes.kafkaTopic();
    private static final List<String> MQTT_TEXT_HEADERS = List.of(MqttHeaders.TOPIC, MqttHeaders.QOS,
            MqttHeaders.RETAIN, MqttHeaders.CLIENT_ID, MqttHeaders.CONTENT_TYPE, MqttHeaders.RESPONSE_TOPIC,
            MqttHeaders.PAYLOAD_UTF8, MqttHeaders.MESSAGE_EXPIRY);

    private final RouteSink.Kafka sink;
    private final Function<Exchange, ? extends Function<String, String>> variables;

    KafkaRecordMapper(RouteSink.Kafka sink, Function<Exchange, ? extends Function<String, String>> variables) {
        this.sink = sink;
        this.variables = variables;
    }

    @Override
    public void process(Exchange exchange) {
        Function<String, String> values = variables.apply(exchange);
        String topic = topic(sink, values);
        String key = key(sink, values);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        org.apache.camel.Message in = exchange.getIn();
        copyRecordHeaders(in, headers);
        copyUserProperties(in, headers);
        for (String name : MQTT_TEXT_HEADERS) {
            Object value = in.getHeader(name);
            if (value != null) {
                headers.put(name, utf8(value.toString()));
            }
        }
        byte[] correlation = in.getHeader(MqttHeaders.CORRELATION_DATA, byte[].class);
        if (correlation != null) {
            headers.put(MqttHeaders.CORRELATION_DATA, correlation);
        }
        putRouteHeaders(sink, values, headers);

        in.removeHeaders("*");
        headers.forEach(in::setHeader);
        in.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        if (key != null) {
            in.setHeader(KafkaConstants.KEY, key);
        }
    }

    /**
     * The Kafka topic of a message, from the route's template: checked before Kafka sees it, so that a device's
     * topic level cannot make the producer ask for, or a broker with {@code auto.create.topics.enable} create, a
     * topic the route's author never meant.
     */
    static String topic(RouteSink.Kafka sink, Function<String, String> values) {
        String topic = render(sink.topic(), values);
        if (!sink.topic().isConstant() && !TOPIC_NAME.accepts(topic)) {
            throw new MappingException("the Kafka topic rendered from '" + sink.topic() + "' for this message is not "
                    + TOPIC_NAME.expected() + " (" + topic.length() + " characters)");
        }
        return topic;
    }

    /** The record's key from the route's template, or null without one. */
    static String key(RouteSink.Kafka sink, Function<String, String> values) {
        return sink.key().isEmpty() ? null : render(sink.key().get(), values);
    }

    /** The route's own headers, after the message's: one of the same name replaces the message's. */
    static void putRouteHeaders(RouteSink.Kafka sink, Function<String, String> values, Map<String, byte[]> headers) {
        sink.headers().forEach((name, template) -> headers.put(name, utf8(render(template, values))));
    }

    /** A record read from Kafka keeps its headers when it is written to Kafka again. */
    private static void copyRecordHeaders(org.apache.camel.Message in, Map<String, byte[]> headers) {
        Headers record = in.getHeader(KafkaConstants.HEADERS, Headers.class);
        if (record != null) {
            for (Header header : record) {
                headers.put(header.key(), header.value());
            }
        }
    }

    private static void copyUserProperties(org.apache.camel.Message in, Map<String, byte[]> headers) {
        List<?> properties = in.getHeader(MqttHeaders.USER_PROPERTIES, List.of(), List.class);
        for (Object property : properties) {
            UserProperty user = (UserProperty) property;
            headers.put(user.name(), utf8(user.value()));
        }
    }

    static String render(Template template, Function<String, String> values) {
        try {
            return template.render(values);
        } catch (MissingValueException e) {
            throw new MappingException("the message has no value for {" + e.variable() + "} in '" + template + "'");
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
