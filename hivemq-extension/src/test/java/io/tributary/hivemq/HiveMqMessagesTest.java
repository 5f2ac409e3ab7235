package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.general.UserProperties;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HiveMQ's publish packets and builders are interfaces: recording stand-ins serve as HiveMQ's side here. */
class HiveMqMessagesTest {

    @Test
    void aDevicePublishKeepsItsPropertiesAndPublisher() {
        PublishPacket packet = packet(Map.of(
                "getTopic", "sites/north/t",
                "getQos", Qos.EXACTLY_ONCE,
                "getRetain", true,
                "getPayload", Optional.of(ByteBuffer.wrap("21.5".getBytes(StandardCharsets.UTF_8))),
                "getMessageExpiryInterval", Optional.of(60L),
                "getPayloadFormatIndicator", Optional.of(PayloadFormatIndicator.UTF_8),
                "getContentType", Optional.of("text/plain"),
                "getResponseTopic", Optional.of("replies/north"),
                "getCorrelationData", Optional.of(ByteBuffer.wrap(new byte[] {7})),
                "getUserProperties", userProperties("unit", "C")));

        Message message = HiveMqMessages.toMessage(packet, "device-1", 1_000L);

        assertEquals("sites/north/t", message.topic());
        assertEquals("21.5", message.payloadAsString());
        assertEquals(QoS.EXACTLY_ONCE, message.qos());
        assertEquals(true, message.retain());
        assertEquals("device-1", message.publisherId());
        assertEquals(1_000L, message.receivedAtMillis());
        MessageProperties properties = message.properties();
        assertEquals(true, properties.payloadUtf8());
        assertEquals(60L, properties.messageExpirySeconds());
        assertEquals("text/plain", properties.contentType());
        assertEquals("replies/north", properties.responseTopic());
        assertArrayEquals(new byte[] {7}, properties.correlationData());
        assertEquals(List.of(new io.tributary.broker.UserProperty("unit", "C")), properties.userProperties());
    }

    @Test
    void aPublishWithoutPropertiesHasNone() {
        PublishPacket packet = packet(Map.of("getTopic", "a", "getQos", Qos.AT_MOST_ONCE, "getRetain", false,
                "getMessageExpiryInterval", Optional.of(4_294_967_295L)));

        Message message = HiveMqMessages.toMessage(packet, "d", 0L);

        assertEquals(0, message.payload().length);
        assertEquals(MessageProperties.NONE.userProperties(), message.properties().userProperties());
        assertNull(message.properties().messageExpirySeconds(), "HiveMQ's maximum means no expiry");
    }

    @Test
    void aRoutesMessageIsPublishedWithItsRemainingExpiryAndProperties() {
        List<String> calls = new ArrayList<>();
        Message message = new Message("devices/d7/commands", "open".getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE, false, new MessageProperties(true, 60L, "text/plain", null, null,
                List.of(new io.tributary.broker.UserProperty("by", "ops"))), null, 0L);

        HiveMqMessages.toPublish(message, () -> builder(calls), 20_000L);

        assertEquals(List.of("topic devices/d7/commands", "qos AT_LEAST_ONCE", "retain false", "payload open",
                "messageExpiryInterval 40", "payloadFormatIndicator UTF_8", "contentType text/plain",
                "userProperty by ops", "build"), calls);
    }

    private static PublishBuilder builder(List<String> calls) {
        return (PublishBuilder) Proxy.newProxyInstance(HiveMqMessagesTest.class.getClassLoader(),
                new Class<?>[] {PublishBuilder.class}, (proxy, method, args) -> {
                    List<String> words = new ArrayList<>(List.of(method.getName()));
                    if (args != null) {
                        for (Object arg : args) {
                            words.add(arg instanceof ByteBuffer buffer
                                    ? StandardCharsets.UTF_8.decode(buffer.duplicate()).toString()
                                    : String.valueOf(arg));
                        }
                    }
                    calls.add(String.join(" ", words));
                    return method.getName().equals("build") ? null : proxy;
                });
    }

    private static PublishPacket packet(Map<String, Object> values) {
        return (PublishPacket) Proxy.newProxyInstance(HiveMqMessagesTest.class.getClassLoader(),
                new Class<?>[] {PublishPacket.class}, (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    if (value != null) {
                        return value;
                    }
                    return method.getName().equals("getUserProperties") ? userProperties() : Optional.empty();
                });
    }

    private static UserProperties userProperties(String... nameValue) {
        List<UserProperty> list = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            String name = nameValue[i];
            String value = nameValue[i + 1];
            list.add((UserProperty) Proxy.newProxyInstance(HiveMqMessagesTest.class.getClassLoader(),
                    new Class<?>[] {UserProperty.class},
                    (proxy, method, args) -> method.getName().equals("getName") ? name : value));
        }
        return (UserProperties) Proxy.newProxyInstance(HiveMqMessagesTest.class.getClassLoader(),
                new Class<?>[] {UserProperties.class},
                (proxy, method, args) -> method.getName().equals("asList") ? list : null);
    }
}
