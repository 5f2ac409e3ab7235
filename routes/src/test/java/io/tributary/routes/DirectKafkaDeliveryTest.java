package io.tributary.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.bridge.config.AckMode;
import io.tributary.bridge.config.BufferSettings;
import io.tributary.bridge.config.KafkaConnectionSettings;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.SourceLocation;
import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Which routes into Kafka take the direct path: decided once, when the route is built. */
class DirectKafkaDeliveryTest {

    private static final RouteSink.Kafka TO_KAFKA = new RouteSink.Kafka("main", Template.parse("t.{device}"),
            Optional.of(Template.parse("{device}")), Map.of("site", Template.parse("{json.site}")));

    @Test
    void aRouteFromTheBrokerWithConditionTemplatesAndHeadersTakesIt() throws Exception {
        RouteSettings route = new RouteSettings("r", new RouteSource.Mqtt(TopicPattern.parse("d/{device}")), TO_KAFKA,
                Optional.of(Condition.parse("{json.t} > 3")), RetrySettings.defaults(),
                Optional.of(new RouteSink.Mqtt(Template.parse("dead"), Optional.empty(), false)), SourceLocation.of("t"));

        assertNull(unsupported(route, Map.of()));
    }

    @Test
    void aBufferedRouteAKafkaSourceOrAnotherSinkDoNot() throws Exception {
        RouteSettings plain = new RouteSettings("r", new RouteSource.Mqtt(TopicPattern.parse("d/{device}")), TO_KAFKA,
                Optional.empty(), RetrySettings.defaults(), Optional.empty(), SourceLocation.of("t"));

        assertEquals("its messages go through its buffer",
                unsupported(plain.withAck(AckMode.BUFFER, BufferSettings.defaults()), Map.of()));
        assertEquals("its source is not the built-in broker", unsupported(new RouteSettings("r",
                new RouteSource.Kafka("main", "in", "g"), TO_KAFKA, Optional.empty(), RetrySettings.defaults(),
                Optional.empty(), SourceLocation.of("t")), Map.of()));
        assertEquals("its sink is not Kafka", unsupported(new RouteSettings("r",
                new RouteSource.Mqtt(TopicPattern.parse("d/{device}")),
                new RouteSink.Mqtt(Template.parse("out"), Optional.empty(), false), Optional.empty(),
                RetrySettings.defaults(), Optional.empty(), SourceLocation.of("t")), Map.of()));
    }

    @Test
    void aConnectionWithSerializersOfItsOwnOrTransactionsDoesNot() throws Exception {
        RouteSettings route = new RouteSettings("r", new RouteSource.Mqtt(TopicPattern.parse("d/{device}")), TO_KAFKA,
                Optional.empty(), RetrySettings.defaults(), Optional.empty(), SourceLocation.of("t"));

        assertEquals("its connection sets serializers of its own", unsupported(route,
                Map.of("value.serializer", "org.apache.kafka.common.serialization.StringSerializer")));
        assertEquals("its connection is transactional", unsupported(route, Map.of("transactional.id", "tx-1")));
    }

    private static String unsupported(RouteSettings route, Map<String, String> properties) throws Exception {
        KafkaConnectionSettings connection = new KafkaConnectionSettings("main", "127.0.0.1:9092", false, 0,
                properties);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            KafkaEndpoints endpoints = new KafkaEndpoints(context, name -> connection, c -> c.bootstrapServers());
            return DirectKafkaDelivery.unsupported(route, endpoints.producer("main", "tributary-direct"));
        }
    }
}
