package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Template;
import io.tributary.broker.QoS;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Where a route delivers: a Kafka topic or the built-in broker. Also the shape of a dead-letter destination. */
public sealed interface RouteSink {

    /**
     * A Kafka record per message.
     *
     * @param connection the name of a {@code connections.kafka} entry
     * @param topic the Kafka topic, a template
     * @param key the record key, a template; no key when empty
     * @param headers extra record headers, each value a template, beside the {@code mqtt.*} headers
     */
    record Kafka(String connection, Template topic, Optional<Template> key, Map<String, Template> headers)
            implements RouteSink {
        public Kafka {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(key, "key");
            headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        }
    }

    /**
     * A message published into the built-in broker.
     *
     * @param topic the MQTT topic, a template
     * @param qos the QoS to publish at; empty means the incoming message's QoS (QoS 1 for Kafka records)
     * @param retain whether the published message is retained
     */
    record Mqtt(Template topic, Optional<QoS> qos, boolean retain) implements RouteSink {
        public Mqtt {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(qos, "qos");
        }
    }
}
