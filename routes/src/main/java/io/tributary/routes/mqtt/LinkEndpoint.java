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

/** The topics of an external broker that one route reads, through the broker's link. */
final class LinkEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    private final MqttLink link;
    private final String connection;
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
        throw new UnsupportedOperationException("publishing to an external broker (" + connection + ") is not yet "
                + "supported");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
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

    /** The route's subscription, its messages handed to {@code handler}. */
    LinkSubscription subscription(io.tributary.broker.MessageHandler handler) {
        return new LinkSubscription(filter, qos, sharedGroup, handler);
    }

    /** How threads and logs name the route's source: {@code plant:sites/+/telemetry}. */
    String describe() {
        return connection + ":" + filter;
    }
}
