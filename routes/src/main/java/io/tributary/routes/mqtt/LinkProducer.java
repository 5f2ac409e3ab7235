package io.tributary.routes.mqtt;

import io.tributary.bridge.camel.MessageBinding;
import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.camel.PublishingProducer;
import io.tributary.bridge.camel.TributaryEndpoint;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.util.concurrent.CompletionStage;
import org.apache.camel.Exchange;

/**
 * Publishes each exchange to the external broker of its link and completes it once that broker acknowledged the
 * publish, so that what the route took (a device's PUBACK on the built-in broker, a Kafka offset, a message of
 * another external broker) is acknowledged only then. Asynchronous: no thread waits for the acknowledgement, and a
 * publish that fails (refused, timed out) fails the exchange, which the route then retries or dead-letters.
 */
final class LinkProducer extends PublishingProducer {

    private final LinkEndpoint endpoint;

    LinkProducer(LinkEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected CompletionStage<?> publish(Exchange exchange) throws Exception {
        org.apache.camel.Message in = exchange.getIn();
        String topic = in.getHeader(TributaryEndpoint.TOPIC_HEADER, endpoint.topic(), String.class);
        if (topic == null) {
            throw new IllegalArgumentException("no topic to publish to " + endpoint.connection() + ": set header "
                    + TributaryEndpoint.TOPIC_HEADER + " or the endpoint's topic");
        }
        Integer qos = in.getHeader(MqttHeaders.QOS, Integer.class);
        Message message = MessageBinding.toMessage(exchange, topic, qos == null ? endpoint.qos() : QoS.of(qos),
                Boolean.TRUE.equals(in.getHeader(MqttHeaders.RETAIN, Boolean.class)));
        return endpoint.link().publish(message);
    }
}
