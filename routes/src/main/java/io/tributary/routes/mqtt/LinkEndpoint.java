package io.tributary.routes.mqtt;

import io.tributary.broker.QoS;
import io.tributary.connectors.mqtt.LinkSubscription;
import io.tributary.connectors.mqtt.MqttLink;
import java.util.Optional;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * An external broker's link as a Camel endpoint: as a consumer, the topics matching {@code filter} that one route
 * reads; as a producer, where a route publishes, to the topic of header {@code tributary.topic} (else
 * {@code filter} as the topic).
 */
final class LinkEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    private final MqttLink link;
    private final String connection;
    /** Null for an endpoint only published to, whose topic comes with each message. */
    private final String filter;
    private final QoS qos;
    private final Optional<String> sharedGroup;

    LinkEndpoint(String uri, LinkComponent component, MqttLink link, String connection, String filter, QoS qos,
                 Optional<String> sharedGroup) {
        super(uri, component);
        this.link = link;
        this.connection = connection;
        this.filter = filter;
        this.qos = qos;
        this.sharedGroup = sharedGroup;
    }

    /** Yes: each consumer is a subscription of its own on the link, and a message waits for all of them. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        return new LinkProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (filter == null) {
            throw new IllegalArgumentException("reading from " + LinkComponent.SCHEME + ":" + connection
                    + " needs a topic, as in " + LinkComponent.SCHEME + ":" + connection + "?topic=sites/+/telemetry");
        }
        LinkConsumer consumer = new LinkConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    MqttLink link() {
        return link;
    }

    String connection() {
        return connection;
    }

    /** The topic to publish to when a message names none; null when none was given. */
    String topic() {
        return filter;
    }

    /** The QoS to publish at when a message names none. */
    QoS qos() {
        return qos;
    }

    /** The route's subscription, its messages handed to {@code handler}. */
    LinkSubscription subscription(io.tributary.broker.MessageHandler handler) {
        return new LinkSubscription(filter, qos, sharedGroup, handler);
    }

    /** How threads and logs name the route's source: {@code plant:sites/+/telemetry}. */
    String describe() {
        return connection + ":" + filter;
    }
}
