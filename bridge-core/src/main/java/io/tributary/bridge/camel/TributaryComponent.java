package io.tributary.bridge.camel;

import io.tributary.broker.InProcessBroker;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The Camel component {@code tributary:} that joins routes to the built-in broker, in the same process.
 * {@code from("tributary:sites/+/telemetry")} subscribes to a topic filter; {@code to("tributary:devices/x")}
 * publishes. A {@code #} in a URI must be written {@code %23}, as URIs reserve it.
 */
public final class TributaryComponent extends DefaultComponent {

    /** The scheme under which {@code TributaryCamel} registers this component. */
    public static final String SCHEME = "tributary";

    private final InProcessBroker broker;

    public TributaryComponent(InProcessBroker broker) {
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    InProcessBroker broker() {
        return broker;
    }

    /** An endpoint for {@code topic} (a filter when consumed from, a topic when produced to). */
    public TributaryEndpoint endpoint(String topic) {
        return new TributaryEndpoint(SCHEME + ":" + topic, this, topic);
    }

    /**
     * An endpoint that subscribes to {@code filter} and hands each message to {@code buffer} rather than to the
     * route, which gets them back from the buffer: the publisher is acknowledged once the buffer stored it.
     */
    public TributaryEndpoint bufferedEndpoint(String filter, MessageBuffer buffer) {
        TributaryEndpoint endpoint = new TributaryEndpoint(SCHEME + ":" + filter + "?buffer=" + buffer.name(), this,
                filter);
        endpoint.setBuffer(buffer);
        return endpoint;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TributaryEndpoint endpoint = new TributaryEndpoint(uri, this, remaining.replace("%23", "#"));
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
