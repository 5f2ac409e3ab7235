package io.tributary.routes;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.camel.TributaryEndpoint;
import io.tributary.bridge.config.RouteSink;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import io.tributary.routes.spi.MappingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Sets what the {@code tributary:} producer (the built-in broker) or the {@code tributary-link:} producer (an external
 * one) publishes: the topic from the route's template, the QoS (the
 * route's, else the incoming message's, else 1 for a Kafka record) and the retain flag. A Kafka record's
 * headers become MQTT 5 user properties; an MQTT message keeps its own properties.
 */
final class MqttMessageMapper implements Processor {

    private final RouteSink.Mqtt sink;
    private final Function<Exchange, ? extends Function<String, String>> variables;

    MqttMessageMapper(RouteSink.Mqtt sink, Function<Exchange, ? extends Function<String, String>> variables) {
        this.sink = sink;
        this.variables = variables;
    }

    @Override
    public void process(Exchange exchange) {
        String topic = KafkaRecordMapper.render(sink.topic(), variables.apply(exchange));
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#") || topic.indexOf('\0') >= 0) {
            throw new MappingException("'" + topic + "' is not a valid MQTT topic name (from '" + sink.topic() + "')");
        }
        org.apache.camel.Message in = exchange.getIn();
        Headers record = in.getHeader(KafkaConstants.HEADERS, Headers.class);
        if (record != null) {
            List<UserProperty> properties = userProperties(record);
            // Properties already set (a dead letter's route and error) follow the record's headers.
            for (Object property : in.getHeader(MqttHeaders.USER_PROPERTIES, List.of(), List.class)) {
                properties.add((UserProperty) property);
            }
            in.setHeader(MqttHeaders.USER_PROPERTIES, properties);
        }
        Integer incomingQos = in.getHeader(MqttHeaders.QOS, Integer.class);
        QoS qos = sink.qos().orElse(incomingQos == null ? QoS.AT_LEAST_ONCE : QoS.of(incomingQos));
        in.setHeader(TributaryEndpoint.TOPIC_HEADER, topic);
        in.setHeader(MqttHeaders.QOS, qos.value());
        in.setHeader(MqttHeaders.RETAIN, sink.retain());
    }

    private static List<UserProperty> userProperties(Headers record) {
        List<UserProperty> properties = new ArrayList<>();
        for (Header header : record) {
            byte[] value = header.value();
            properties.add(new UserProperty(header.key(),
                    value == null ? "" : new String(value, StandardCharsets.UTF_8)));
        }
        return properties;
    }
}
