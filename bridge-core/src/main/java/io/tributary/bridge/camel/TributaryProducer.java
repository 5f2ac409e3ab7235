package io.tributary.bridge.camel;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.util.concurrent.CompletionStage;
import org.apache.camel.Exchange;

/**
 * Publishes each exchange into the broker and completes it once the broker accepted the message for every
 * matching subscriber, so a Kafka offset is committed only after that.
 */
final class TributaryProducer extends PublishingProducer {

    private final TributaryEndpoint endpoint;

    TributaryProducer(TributaryEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected CompletionStage<?> publish(Exchange exchange) throws Exception {
        String topic = exchange.getIn().getHeader(TributaryEndpoint.TOPIC_HEADER, endpoint.getTopic(), String.class);
        Message message = MessageBinding.toMessage(exchange, topic, qos(exchange), retain(exchange));
        return endpoint.getComponent().broker().publish(message);
    }

    private boolean retain(Exchange exchange) {
        if (endpoint.getRetain() != null) {
            return endpoint.getRetain();
        }
        return Boolean.TRUE.equals(exchange.getIn().getHeader(MqttHeaders.RETAIN, Boolean.class));
    }

    private QoS qos(Exchange exchange) {
        if (endpoint.getQos() != null) {
            return QoS.of(endpoint.getQos());
        }
        Integer header = exchange.getIn().getHeader(MqttHeaders.QOS, Integer.class);
        return header == null ? QoS.AT_LEAST_ONCE : QoS.of(header);
    }
}
