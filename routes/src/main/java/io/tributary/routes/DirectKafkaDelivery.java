package io.tributary.routes;

import io.tributary.bridge.camel.DirectDelivery;
import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.UserProperty;
import io.tributary.routes.metrics.RouteMeters;
import io.tributary.routes.spi.MessageVariables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct path of a route from the built-in broker into Kafka: maps each message onto its record and sends it,
 * with no Camel exchange. Measured on the route path, the exchange (its creation, unit of work, error handler and
 * header map) and the round trip of the MQTT metadata through Camel headers cost more per message than the
 * producer's {@code send}.
 *
 * <p>It writes the record the route's Camel steps would write (the same topic, key, headers and producer
 * settings), with a producer of its own created from the route's Kafka endpoint, and completes a message only once
 * Kafka acknowledged its record, so the publisher's acknowledgement waits as before. Anything else, such as a
 * mapping the message does not fit, a record too large or Kafka unreachable until the producer gives up, fails the
 * message here, and the route's consumer then sends it down the route as an exchange: the route's retries, dead
 * letter and failure log handle it as they handle any message. A message this path delivered, or that the route's
 * condition refused, is counted in the route's meters here.
 */
final class DirectKafkaDelivery implements DirectDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(DirectKafkaDelivery.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** The values of the QoS and retain headers, encoded once: records only read them. */
    private static final byte[][] QOS_VALUES = {KafkaRecordMapper.utf8("0"), KafkaRecordMapper.utf8("1"),
        KafkaRecordMapper.utf8("2")};
    private static final byte[] RETAINED = KafkaRecordMapper.utf8("true");
    private static final byte[] NOT_RETAINED = KafkaRecordMapper.utf8("false");

    private final String routeName;
    private final String routeId;
    private final TopicPattern filter;
    private final Condition condition;
    private final RouteSink.Kafka sink;
    private final KafkaEndpoint endpoint;
    private final HeaderFilterStrategy headerFilter;
    /** The route's header names camel-kafka's filter keeps out of records: decided once, not per message. */
    private final List<String> filteredRouteHeaders;
    private final RouteMeters meters;
    private volatile Producer<String, byte[]> producer;

    private DirectKafkaDelivery(RouteSettings route, String routeId, KafkaEndpoint endpoint, RouteMeters meters) {
        this.routeName = route.name();
        this.routeId = routeId;
        this.filter = ((RouteSource.Mqtt) route.from()).filter();
        this.condition = route.condition().orElse(null);
        this.sink = (RouteSink.Kafka) route.to();
        this.endpoint = endpoint;
        this.headerFilter = endpoint.getConfiguration().getHeaderFilterStrategy();
        this.filteredRouteHeaders = sink.headers().keySet().stream().filter(this::filtered).toList();
        this.meters = meters;
    }

    /**
     * The direct path of {@code route}, or empty when the route keeps its Camel steps for every message: a source
     * other than the built-in broker, a sink other than Kafka, a buffer ({@code ack: buffer}) between them, or a
     * connection whose producer properties change the serializers or make it transactional.
     *
     * @param routeId the route's Camel id, for its meters
     * @param endpoint a producer endpoint of the route's connection, as its Camel steps use
     * @param meters the route meters, or null when nothing counts
     */
    static Optional<DirectKafkaDelivery> of(RouteSettings route, String routeId, KafkaEndpoint endpoint,
                                            RouteMeters meters) {
        String unsupported = unsupported(route, endpoint);
        if (unsupported != null) {
            LOG.debug("Route {} delivers every message through its Camel steps: {}", route.name(), unsupported);
            return Optional.empty();
        }
        LOG.debug("Route {} delivers into Kafka directly; a message that fails there goes through its Camel steps",
                route.name());
        return Optional.of(new DirectKafkaDelivery(route, routeId, endpoint, meters));
    }

    /** Why a route cannot take the direct path, or null when it can. */
    static String unsupported(RouteSettings route, KafkaEndpoint endpoint) {
        if (!(route.from() instanceof RouteSource.Mqtt)) {
            return "its source is not the built-in broker";
        }
        if (!(route.to() instanceof RouteSink.Kafka)) {
            return "its sink is not Kafka";
        }
        if (route.buffered()) {
            return "its messages go through its buffer";
        }
        Properties properties = producerProperties(endpoint);
        if (!names(properties.get(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG), StringSerializer.class)
                || !names(properties.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG), ByteArraySerializer.class)) {
            return "its connection sets serializers of its own";
        }
        if (properties.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null) {
            return "its connection is transactional";
        }
        return null;
    }

    /** Whether a producer property is that class, by name or (once camel-kafka resolved it) as a class. */
    private static boolean names(Object value, Class<?> type) {
        return type.getName().equals(value instanceof Class<?> resolved ? resolved.getName() : String.valueOf(value));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void start() {
        KafkaClientFactory factory = clientFactory(endpoint);
        Properties properties = producerProperties(endpoint);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, factory.getBrokers(endpoint.getConfiguration()));
        producer = factory.getProducer(properties);
    }

    @Override
    public void stop() {
        Producer<String, byte[]> running = producer;
        producer = null;
        if (running != null) {
            // Waits for the records sent: each completes its message, or fails it to go down the route.
            running.close(CLOSE_TIMEOUT);
        }
    }

    @Override
    public CompletionStage<Void> deliver(Message message) {
        long startedNanos = System.nanoTime();
        Producer<String, byte[]> sending = producer;
        if (sending == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the route's direct path is stopped"));
        }
        ProducerRecord<String, byte[]> record;
        try {
            MessageVariables values = MessageVariables.ofMqtt(message, filter);
            if (condition != null && !condition.test(values.forCondition())) {
                count(false, startedNanos);
                return CompletableFuture.completedFuture(null);
            }
            record = new ProducerRecord<>(KafkaRecordMapper.topic(sink, values), null, null,
                    KafkaRecordMapper.key(sink, values), payload(message), headers(message, values));
        } catch (RuntimeException mappingFailed) {
            return failed(mappingFailed);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            sending.send(record, (metadata, error) -> {
                if (error == null) {
                    count(true, startedNanos);
                    done.complete(null);
                } else {
                    done.completeExceptionally(logged(error));
                }
            });
        } catch (RuntimeException sendFailed) {
            return failed(sendFailed);
        }
        return done;
    }

    /**
     * The record's headers as the route's Camel steps write them: the MQTT 5 user properties, then the MQTT metadata,
     * then the route's headers, each replacing one of the same name, their names compared and ordered without regard
     * to case (as Camel's header map does), less those camel-kafka's header filter keeps out of records. That filter
     * ignores case too, so it is asked about the names that vary (user properties) per message, about the route's
     * once, and never about the MQTT metadata's, which it keeps.
     */
    private List<Header> headers(Message message, MessageVariables values) {
        Map<String, byte[]> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        MessageProperties properties = message.properties();
        for (UserProperty property : properties.userProperties()) {
            if (!filtered(property.name())) {
                headers.put(property.name(), KafkaRecordMapper.utf8(property.value()));
            }
        }
        headers.put(MqttHeaders.TOPIC, KafkaRecordMapper.utf8(message.topic()));
        headers.put(MqttHeaders.QOS, QOS_VALUES[message.qos().value()]);
        headers.put(MqttHeaders.RETAIN, message.retain() ? RETAINED : NOT_RETAINED);
        putText(headers, MqttHeaders.CLIENT_ID, message.publisherId());
        putText(headers, MqttHeaders.CONTENT_TYPE, properties.contentType());
        putText(headers, MqttHeaders.RESPONSE_TOPIC, properties.responseTopic());
        if (properties.payloadUtf8()) {
            putText(headers, MqttHeaders.PAYLOAD_UTF8, "true");
        }
        Long expiry = message.remainingExpirySeconds(System.currentTimeMillis());
        if (expiry != null) {
            putText(headers, MqttHeaders.MESSAGE_EXPIRY, expiry.toString());
        }
        if (properties.correlationData() != null) {
            headers.put(MqttHeaders.CORRELATION_DATA, properties.correlationData());
        }
        KafkaRecordMapper.putRouteHeaders(sink, values, headers);
        filteredRouteHeaders.forEach(headers::remove);

        List<Header> record = new ArrayList<>(headers.size());
        headers.forEach((name, value) -> record.add(new RecordHeader(name, value)));
        return record;
    }

    private boolean filtered(String headerName) {
        return headerFilter.applyFilterToCamelHeaders(headerName, "", null);
    }

    private static void putText(Map<String, byte[]> headers, String name, String value) {
        if (value != null) {
            headers.put(name, KafkaRecordMapper.utf8(value));
        }
    }

    private static byte[] payload(Message message) {
        return message.payload() == null ? new byte[0] : message.payload();
    }

    private void count(boolean delivered, long startedNanos) {
        if (meters != null) {
            meters.countDirect(routeId, delivered, startedNanos);
        }
    }

    private CompletableFuture<Void> failed(RuntimeException error) {
        return CompletableFuture.failedFuture(logged(error));
    }

    private Throwable logged(Throwable error) {
        LOG.debug("Route {}: a message failed on the direct path and goes through the route's steps: {}", routeName,
                error.toString());
        return error;
    }

    /** The producer's properties as camel-kafka builds them for the same endpoint, but where the cluster is. */
    private static Properties producerProperties(KafkaEndpoint endpoint) {
        Properties properties = endpoint.getConfiguration().createProducerProperties();
        endpoint.updateClassProperties(properties);
        return properties;
    }

    /** The client factory the endpoint's own producer would use: the component's, installed by the bridge. */
    private static KafkaClientFactory clientFactory(KafkaEndpoint endpoint) {
        endpoint.build(); // takes the component's factory, as a route's endpoint does when its route starts
        KafkaClientFactory factory = endpoint.getKafkaClientFactory();
        return factory != null ? factory : new DefaultKafkaClientFactory();
    }
}
