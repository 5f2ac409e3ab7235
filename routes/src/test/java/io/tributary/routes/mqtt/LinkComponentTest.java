package io.tributary.routes.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.camel.TributaryEndpoint;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.connectors.mqtt.LinkCounts;
import io.tributary.connectors.mqtt.LinkState;
import io.tributary.connectors.mqtt.LinkSubscription;
import io.tributary.connectors.mqtt.MqttLink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code tributary-link} URI of a Camel YAML route: what it subscribes to on which link. */
class LinkComponentTest {

    private final List<Message> published = new ArrayList<>();
    private CompletableFuture<Void> publishResult = CompletableFuture.completedFuture(null);
    private final MqttLink plant = new MqttLink() {
        @Override
        public void start() {
        }

        @Override
        public AutoCloseable subscribe(LinkSubscription subscription) {
            return () -> { };
        }

        @Override
        public LinkState state() {
            return new LinkState(true, "up");
        }

        @Override
        public CompletableFuture<Void> publish(Message message) {
            published.add(message);
            return publishResult;
        }

        @Override
        public LinkCounts counts() {
            return new LinkCounts();
        }

        @Override
        public void stopTaking() {
        }

        @Override
        public void close() {
        }
    };
    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() {
        context.stop();
    }

    @Test
    void theUriNamesTheConnectionTheFilterInRawTheQosAndTheSharedGroup() {
        new MqttLinks(Map.of("plant", plant)).register(context);

        LinkEndpoint endpoint = (LinkEndpoint) context.getEndpoint(
                "tributary-link:plant?topic=RAW(sites/+/devices/#)&qos=2&sharedGroup=tributary");

        LinkSubscription subscription = endpoint.subscription(message -> CompletableFuture.completedFuture(null));
        assertEquals(plant, endpoint.link());
        assertEquals(new LinkSubscription("sites/+/devices/#", QoS.EXACTLY_ONCE, Optional.of("tributary"),
                subscription.handler()), subscription);
        assertEquals("$share/tributary/sites/+/devices/#", subscription.subscribedFilter());
    }

    @Test
    void anUnknownConnectionIsRefusedNamingTheKnownOnes() {
        new MqttLinks(Map.of("plant", plant)).register(context);

        ResolveEndpointFailedException error = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("tributary-link:cloud?topic=a"));

        assertTrue(error.getMessage().contains("no MQTT connection 'cloud'; known: [plant]"), error.getMessage());
    }

    @Test
    void aProducerPublishesToTheHeadersTopicAtTheHeadersQosWithTheMessagesProperties() {
        new MqttLinks(Map.of("plant", plant)).register(context);
        context.start();

        Exchange sent = context.createProducerTemplate().send("tributary-link:plant?topic=fallback", exchange -> {
            exchange.getIn().setBody("fire".getBytes(StandardCharsets.UTF_8));
            exchange.getIn().setHeader(TributaryEndpoint.TOPIC_HEADER, "edge/s1/alarms");
            exchange.getIn().setHeader(MqttHeaders.QOS, 2);
            exchange.getIn().setHeader(MqttHeaders.CONTENT_TYPE, "text/plain");
        });

        assertNull(sent.getException());
        Message message = published.get(0);
        assertEquals(List.of("edge/s1/alarms", QoS.EXACTLY_ONCE, "text/plain", "fire"),
                List.of(message.topic(), message.qos(), message.properties().contentType(),
                        new String(message.payload(), StandardCharsets.UTF_8)));
    }

    @Test
    void aPublishThatFailsFailsTheExchange() {
        new MqttLinks(Map.of("plant", plant)).register(context);
        context.start();
        publishResult = CompletableFuture.failedFuture(new IllegalStateException("no acknowledgement within 30000 ms"));

        Exchange sent = context.createProducerTemplate().send("tributary-link:plant?topic=a/b",
                exchange -> exchange.getIn().setBody(new byte[0]));

        assertEquals("no acknowledgement within 30000 ms", sent.getException().getMessage());
        assertEquals(QoS.AT_LEAST_ONCE, published.get(0).qos(), "the endpoint's QoS without a header");
    }
}
