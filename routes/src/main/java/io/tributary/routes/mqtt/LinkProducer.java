package io.tributary.routes.mqtt;

import io.tributary.bridge.camel.MessageBinding;
import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.camel.TributaryEndpoint;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.util.concurrent.CompletionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Publishes each exchange to the external broker of its link and completes it once that broker acknowledged the
 * publish, so that what the route took (a device's PUBACK on the built-in broker, a Kafka offset, a message of
 * another external broker) is acknowledged only then. Asynchronous: no thread waits for the acknowledgement, and a
 * publish that fails (refused, timed out) fails the exchange, which the route then retries or dead-letters.
 */
final class LinkProducer extends DefaultAsyncProducer {

    private final LinkEndpoint endpoint;

    LinkProducer(LinkEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            org.apache.camel.Message in = exchange.getIn();
            String topic = in.getHeader(TributaryEndpoint.TOPIC_HEADER, endpoint.topic(), String.class);
            if (topic == null) {
                throw new IllegalArgumentException("no topic to publish to " + endpoint.connection() + ": set header "
                        + TributaryEndpoint.TOPIC_HEADER + " or the endpoint's topic");
            }
            Integer qos = in.getHeader(MqttHeaders.QOS, Integer.class);
            Message message = MessageBinding.toMessage(exchange, topic, qos == null ? endpoint.qos() : QoS.of(qos),
                    Boolean.TRUE.equals(in.getHeader(MqttHeaders.RETAIN, Boolean.class)));
            endpoint.link().publish(message).whenComplete((done, failure) -> {
                if (failure != null) {
                    exchange.setException(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
                }
                callback.done(false);
            });
            return false;
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }
}
