package io.tributary.bridge.camel;

import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A topic of the built-in broker. As a consumer it subscribes to a filter and, by default, holds each
 * QoS 1/2 publisher's acknowledgement until the route completed the exchange; as a producer it publishes.
 */
public final class TributaryEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    /**
     * A header that, when set on an exchange sent to a producer, names the topic to publish to instead of
     * the endpoint's: how a route publishes to a topic rendered per message.
     */
    public static final String TOPIC_HEADER = "tributary.topic";

    private final String topic;
    private Integer qos;
    private Boolean retain;
    private boolean holdPublisherAck = true;
    private int maxInFlight = 1000;
    private int workers = 1;
    private MessageBuffer buffer;
    private DirectDelivery directDelivery;

    TributaryEndpoint(String uri, TributaryComponent component, String topic) {
        super(uri, component);
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a tributary: endpoint needs a topic, as in tributary:sensors/+/t");
        }
        this.topic = topic;
    }

    /**
     * Yes: each consumer is a subscription of its own, so two routes on the same filter both get every
     * message (and a held acknowledgement waits for both).
     */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public TributaryComponent getComponent() {
        return (TributaryComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new TributaryProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TributaryConsumer consumer = new TributaryConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The topic filter subscribed to, or the topic published to. */
    public String getTopic() {
        return topic;
    }

    /**
     * Consumer: the highest QoS delivered (default 2). Producer: the QoS published at (default the
     * {@code mqtt.qos} header, else 1).
     */
    public Integer getQos() {
        return qos;
    }

    public void setQos(Integer qos) {
        this.qos = qos == null ? null : QoS.of(qos).value();
    }

    /** Producer: whether published messages are retained (default the {@code mqtt.retain} header, else false). */
    public Boolean getRetain() {
        return retain;
    }

    public void setRetain(Boolean retain) {
        this.retain = retain;
    }

    /** Consumer: whether a QoS 1/2 publisher's acknowledgement waits for the route (default true). */
    public boolean isHoldPublisherAck() {
        return holdPublisherAck;
    }

    public void setHoldPublisherAck(boolean holdPublisherAck) {
        this.holdPublisherAck = holdPublisherAck;
    }

    /** Consumer: exchanges in progress at once before the broker pushes back on publishers (default 1000). */
    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /** Threads that start the exchanges; each publisher's messages always go to the same one. */
    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.workers = workers;
    }

    /** Consumer: the buffer messages go through before the route, or null when they go straight to it. */
    public MessageBuffer getBuffer() {
        return buffer;
    }

    public void setBuffer(MessageBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * Consumer: what delivers messages without an exchange when it can, or null when every message goes down the
     * route as an exchange. Not used with a buffer.
     */
    public DirectDelivery getDirectDelivery() {
        return directDelivery;
    }

    public void setDirectDelivery(DirectDelivery directDelivery) {
        this.directDelivery = directDelivery;
    }

    SubscribeOptions subscribeOptions() {
        SubscribeOptions options = SubscribeOptions.of(qos == null ? QoS.EXACTLY_ONCE : QoS.of(qos))
                .withMaxInFlight(maxInFlight);
        return holdPublisherAck ? options.holdingPublisherAck() : options;
    }
}
