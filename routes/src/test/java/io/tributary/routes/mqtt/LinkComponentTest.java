package io.tributary.routes.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.QoS;
import io.tributary.connectors.mqtt.LinkState;
import io.tributary.connectors.mqtt.LinkSubscription;
import io.tributary.connectors.mqtt.MqttLink;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code tributary-link} URI of a Camel YAML route: what it subscribes to on which link. */
class LinkComponentTest {

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
        public long acknowledged() {
            return 0;
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
}
