package io.tributary.routes.mqtt;

import io.tributary.bridge.config.RouteSource;
import io.tributary.broker.QoS;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The Camel component of the links to external brokers, scheme {@value #SCHEME}:
 * {@code tributary-link:CONNECTION?topic=FILTER[&qos=1][&sharedGroup=G]} reads the topics matching {@code FILTER} of
 * the {@code connections.mqtt} entry {@code CONNECTION}; as a destination, {@code tributary-link:CONNECTION[?topic=T]}
 * publishes to it, to the topic of header {@code tributary.topic} or else {@code T}, at the QoS of header
 * {@code mqtt.qos} or else {@code qos}. The configured routes build their endpoints through {@link MqttLinks}; Camel
 * YAML routes may use the URI.
 */
final class LinkComponent extends DefaultComponent {

    static final String SCHEME = "tributary-link";

    private final MqttLinks links;

    LinkComponent(MqttLinks links) {
        this.links = links;
    }

    /** The endpoint of a configured route's source: built here rather than parsed from a URI, where + and # need escaping. */
    LinkEndpoint endpoint(RouteSource.ExternalMqtt source) {
        String filter = source.filter().mqttFilter();
        return new LinkEndpoint(SCHEME + ":" + source.connection() + "?topic=" + filter + "&qos=" + source.qos().value()
                + source.sharedGroup().map(g -> "&sharedGroup=" + g).orElse(""), this, links.link(source.connection()),
                source.connection(), filter, source.qos(), source.sharedGroup());
    }

    /** The endpoint a configured route publishes to {@code connection} through; the topic comes with each message. */
    LinkEndpoint sinkEndpoint(String connection) {
        return new LinkEndpoint(SCHEME + ":" + connection, this, links.link(connection), connection, null,
                QoS.AT_LEAST_ONCE, Optional.empty());
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String topic = getAndRemoveParameter(parameters, "topic", String.class);
        if (topic != null && topic.isEmpty()) {
            topic = null;
        }
        int qos = getAndRemoveParameter(parameters, "qos", Integer.class, 1);
        Optional<String> group = Optional.ofNullable(getAndRemoveParameter(parameters, "sharedGroup", String.class));
        return new LinkEndpoint(uri, this, links.link(remaining), remaining, topic, QoS.of(qos), group);
    }
}
