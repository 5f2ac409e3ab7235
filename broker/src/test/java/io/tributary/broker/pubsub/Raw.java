package io.tributary.broker.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers around {@link RawMqttClient} for the publish/subscribe tests: connect, subscribe with MQTT 5
 * options, and read PUBLISH packets as plain values (the payload copied and the packet released, so
 * paranoid leak detection stays quiet).
 */
final class Raw {
    static final Duration WAIT = Duration.ofSeconds(3);
    /** How long we listen to conclude that nothing (more) is coming. */
    static final Duration QUIET = Duration.ofMillis(300);

    private Raw() {
    }

    /** A PUBLISH received from the broker, copied out of its buffer. */
    record Received(String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId,
                    MqttProperties properties) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        List<Integer> subscriptionIds() {
            List<Integer> ids = new ArrayList<>();
            for (MqttProperties.MqttProperty p
                    : properties.getProperties(MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value())) {
                ids.add((Integer) p.value());
            }
            return ids;
        }

        Integer intProperty(MqttProperties.MqttPropertyType type) {
            MqttProperties.MqttProperty p = properties.getProperty(type.value());
            return p == null ? null : (Integer) p.value();
        }
    }

    /** Connects with MQTT 3.1.1 and checks the CONNACK accepted. */
    static RawMqttClient v3(RunningBroker broker, String clientId, boolean cleanSession) throws IOException {
        RawMqttClient client = new RawMqttClient(broker.port());
        MqttConnAckMessage ack = (MqttConnAckMessage) client.connect(MqttVersion.MQTT_3_1_1, clientId, cleanSession, null);
        assertEquals(0, ack.variableHeader().connectReturnCode().byteValue(), "CONNACK return code");
        return client;
    }

    /** Connects with MQTT 5 and checks the CONNACK accepted. */
    static RawMqttClient v5(RunningBroker broker, String clientId, boolean cleanStart, MqttProperties properties)
            throws IOException {
        RawMqttClient client = new RawMqttClient(broker.port());
        MqttConnAckMessage ack = (MqttConnAckMessage) client.connect(MqttVersion.MQTT_5, clientId, cleanStart, properties);
        assertEquals(0, ack.variableHeader().connectReturnCode().byteValue(), "CONNACK reason code");
        return client;
    }

    /** Connects with MQTT 5 and returns the CONNACK. */
    static MqttConnAckMessage connect5(RawMqttClient client, String clientId, MqttProperties properties)
            throws IOException {
        return (MqttConnAckMessage) client.connect(MqttVersion.MQTT_5, clientId, true, properties);
    }

    /** Connect properties with one integer property set. */
    static MqttProperties intProperties(MqttProperties.MqttPropertyType type, int value) {
        MqttProperties p = new MqttProperties();
        p.add(new MqttProperties.IntegerProperty(type.value(), value));
        return p;
    }

    static MqttSubscriptionOption option(int qos) {
        return MqttSubscriptionOption.onlyFromQos(MqttQoS.valueOf(qos));
    }

    static MqttSubscriptionOption option(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        return new MqttSubscriptionOption(MqttQoS.valueOf(qos), noLocal, retainAsPublished,
                RetainedHandlingPolicy.valueOf(retainHandling));
    }

    /** One filter of a SUBSCRIBE. */
    record Sub(String filter, MqttSubscriptionOption option) {
        static Sub of(String filter, int qos) {
            return new Sub(filter, Raw.option(qos));
        }
    }

    /**
     * Sends SUBSCRIBE (with a Subscription Identifier when {@code subscriptionId > 0}) and returns the
     * SUBACK's reason codes, failing if it does not come or has the wrong packet identifier.
     */
    static int[] subscribe(RawMqttClient client, int packetId, int subscriptionId, Sub... subs) throws IOException {
        MqttMessageBuilders.SubscribeBuilder builder = MqttMessageBuilders.subscribe().messageId(packetId);
        for (Sub sub : subs) {
            builder.addSubscription(sub.filter(), sub.option());
        }
        if (subscriptionId > 0) {
            MqttProperties p = new MqttProperties();
            p.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), subscriptionId));
            builder.properties(p);
        }
        client.send(builder.build());
        MqttSubAckMessage ack = (MqttSubAckMessage) client.expect(MqttMessageType.SUBACK, WAIT);
        assertEquals(packetId, ack.variableHeader().messageId(), "SUBACK packet identifier");
        return ack.payload().reasonCodes().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Subscribes to one filter and checks it was granted at {@code qos}. */
    static void subscribeOk(RawMqttClient client, int packetId, String filter, int qos) throws IOException {
        int[] codes = subscribe(client, packetId, 0, Sub.of(filter, qos));
        assertEquals(qos, codes[0], "granted QoS for " + filter);
    }

    /** Sends UNSUBSCRIBE and returns the UNSUBACK (MQTT 5: its reason codes). */
    static MqttUnsubAckMessage unsubscribe(RawMqttClient client, int packetId, String... filters) throws IOException {
        MqttMessageBuilders.UnsubscribeBuilder builder = MqttMessageBuilders.unsubscribe().messageId(packetId);
        for (String f : filters) {
            builder.addTopicFilter(f);
        }
        client.send(builder.build());
        return (MqttUnsubAckMessage) client.expect(MqttMessageType.UNSUBACK, WAIT);
    }

    /** The next packet, which must be a PUBLISH; copied and released. */
    static Received expectPublish(RawMqttClient client) throws IOException {
        return expectPublish(client, WAIT);
    }

    static Received expectPublish(RawMqttClient client, Duration timeout) throws IOException {
        MqttMessage message = client.next(timeout);
        assertNotNull(message, "expected a PUBLISH but got nothing");
        return copy(message);
    }

    /** The next PUBLISH or null if the next packet does not arrive within {@code timeout}; fails on other packets. */
    static Received nextPublish(RawMqttClient client, Duration timeout) throws IOException {
        MqttMessage message = client.next(timeout);
        return message == null ? null : copy(message);
    }

    private static Received copy(MqttMessage message) {
        try {
            if (!(message instanceof MqttPublishMessage publish)) {
                throw new AssertionError("expected PUBLISH but got " + message);
            }
            return new Received(publish.variableHeader().topicName(), ByteBufUtil.getBytes(publish.payload()),
                    publish.fixedHeader().qosLevel().value(), publish.fixedHeader().isRetain(),
                    publish.fixedHeader().isDup(), publish.variableHeader().packetId(),
                    publish.variableHeader().properties());
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    /** Fails if any packet arrives within {@link #QUIET}. */
    static void expectNothing(RawMqttClient client) throws IOException {
        MqttMessage message = client.next(QUIET);
        if (message != null) {
            String text = message.toString();
            ReferenceCountUtil.release(message);
            throw new AssertionError("expected nothing but got " + text);
        }
    }

    /** Waits for a DISCONNECT (MQTT 5) and returns its reason code; then the connection must close. */
    static int expectDisconnect(RawMqttClient client) throws IOException {
        MqttMessage message = client.next(WAIT);
        assertNotNull(message, "expected DISCONNECT but the connection ended or stayed silent");
        try {
            if (message.fixedHeader().messageType() != MqttMessageType.DISCONNECT) {
                throw new AssertionError("expected DISCONNECT but got " + message);
            }
            return ((MqttReasonCodeAndPropertiesVariableHeader) message.variableHeader()).reasonCode() & 0xFF;
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    /** A QoS 0 publish, no properties. */
    static void publish0(RawMqttClient client, String topic, String payload) throws IOException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 0, false, 0, false, null);
    }

    /** The user properties of a PUBLISH, in order, however Netty grouped them. */
    static List<String[]> userProperties(MqttProperties properties) {
        List<String[]> result = new ArrayList<>();
        for (MqttProperties.MqttProperty p
                : properties.getProperties(MqttProperties.MqttPropertyType.USER_PROPERTY.value())) {
            if (p instanceof MqttProperties.UserProperties many) {
                for (MqttProperties.StringPair pair : many.value()) {
                    result.add(new String[] {pair.key, pair.value});
                }
            } else if (p instanceof MqttProperties.UserProperty one) {
                result.add(new String[] {one.value().key, one.value().value});
            }
        }
        return result;
    }

    /** The size in bytes of {@code received} encoded again as an MQTT 5 PUBLISH, as it came over the wire. */
    static int encodedSize(Received received) {
        io.netty.channel.embedded.EmbeddedChannel encoder =
                new io.netty.channel.embedded.EmbeddedChannel(io.netty.handler.codec.mqtt.MqttEncoder.INSTANCE);
        encoder.attr(io.netty.util.AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(MqttVersion.MQTT_5);
        try {
            encoder.writeOutbound(new MqttPublishMessage(
                    new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.PUBLISH, received.dup(),
                            MqttQoS.valueOf(received.qos()), received.retain(), 0),
                    new io.netty.handler.codec.mqtt.MqttPublishVariableHeader(received.topic(), received.packetId(),
                            received.properties()),
                    io.netty.buffer.Unpooled.wrappedBuffer(received.payload())));
            int size = 0;
            io.netty.buffer.ByteBuf encoded;
            while ((encoded = encoder.readOutbound()) != null) {
                size += encoded.readableBytes();
                encoded.release();
            }
            return size;
        } finally {
            encoder.finishAndReleaseAll();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
