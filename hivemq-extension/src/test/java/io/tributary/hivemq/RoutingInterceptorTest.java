package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.extension.sdk.api.client.parameter.ClientInformation;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.general.UserProperties;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which publishes the interceptor holds, and what it does once stopping; HiveMQ's side is a recording stand-in. */
class RoutingInterceptorTest {

    private final RouteSubscriptions subscriptions = new RouteSubscriptions();
    private final RoutingInterceptor interceptor = new RoutingInterceptor(subscriptions, Duration.ofMinutes(10));
    private final List<String> calls = new ArrayList<>();
    private final List<Message> routed = new ArrayList<>();

    RoutingInterceptorTest() {
        subscriptions.subscribe("sites/+/t", SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), m -> {
            routed.add(m);
            return new CompletableFuture<>();
        });
    }

    @Test
    void aQos1PublishOfARouteIsHeldAndCarriesItsPublisher() {
        interceptor.onInboundPublish(input("sites/a/t", Qos.AT_LEAST_ONCE), output());

        assertEquals(List.of("async PT10M FAILURE UNSPECIFIED_ERROR Tributary: the routes did not finish within PT10M"),
                calls);
        assertEquals("device-1", routed.get(0).publisherId());
    }

    @Test
    void qos0AndUnroutedPublishesAreNotHeld() {
        interceptor.onInboundPublish(input("sites/a/t", Qos.AT_MOST_ONCE), output());
        interceptor.onInboundPublish(input("other/topic", Qos.AT_LEAST_ONCE), output());

        assertEquals(List.of(), calls);
        assertEquals(1, routed.size(), "the QoS 0 publish is routed, without a hold");
    }

    @Test
    void onceStoppedAQos1PublishIsRefusedSoThatTheDeviceSendsItAgain() {
        interceptor.stop();

        interceptor.onInboundPublish(input("sites/a/t", Qos.AT_LEAST_ONCE), output());
        interceptor.onInboundPublish(input("sites/a/t", Qos.AT_MOST_ONCE), output());

        assertEquals(List.of("preventPublishDelivery UNSPECIFIED_ERROR Tributary is stopping"), calls);
        assertEquals(List.of(), routed);
    }

    private static PublishInboundInput input(String topic, Qos qos) {
        PublishPacket packet = proxy(PublishPacket.class, (method) -> switch (method) {
            case "getTopic" -> topic;
            case "getQos" -> qos;
            case "getRetain" -> false;
            case "getUserProperties" -> proxy(UserProperties.class, m -> List.of());
            default -> Optional.empty();
        });
        ClientInformation client = proxy(ClientInformation.class, m -> "device-1");
        return proxy(PublishInboundInput.class, m -> m.equals("getPublishPacket") ? packet : client);
    }

    private PublishInboundOutput output() {
        return (PublishInboundOutput) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PublishInboundOutput.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + (args == null ? "" : " " + String.join(" ",
                            Arrays.stream(args).map(String::valueOf).toList())));
                    return null;
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.util.function.Function<String, Object> answer) {
        return (T) Proxy.newProxyInstance(RoutingInterceptorTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.apply(method.getName()));
    }
}
