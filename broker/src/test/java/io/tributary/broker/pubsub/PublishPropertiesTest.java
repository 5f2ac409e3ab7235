package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.WAIT;
import static io.tributary.broker.pubsub.Raw.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.Hive;
import io.tributary.broker.clients.RunningBroker;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** MQTT 5 PUBLISH properties carried from publisher to subscriber, and the ones a client must not send. */
class PublishPropertiesTest {

    @Test
    void userPropertiesArriveInOrderWithRepeatsKept() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, null);
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            Raw.subscribeOk(sub, 1, "up", 0);
            MqttProperties props = new MqttProperties();
            String[][] sent = {{"k", "1"}, {"a", "x"}, {"k", "2"}, {"k", "1"}, {"", ""}};
            for (String[] p : sent) {
                props.add(new MqttProperties.UserProperty(p[0], p[1]));
            }
            pub.publish("up", bytes("x"), 0, false, 0, false, props);
            // The Server MUST forward all User Properties unaltered [MQTT-3.3.2-17] and in order [MQTT-3.3.2-18].
            List<String[]> got = Raw.userProperties(Raw.expectPublish(sub).properties());
            assertEquals(sent.length, got.size());
            for (int i = 0; i < sent.length; i++) {
                assertArrayEquals(sent[i], got.get(i), "user property " + i);
            }
        }
    }

    @Test
    void payloadFormatContentTypeResponseTopicAndCorrelationDataPassThrough() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, null);
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            Raw.subscribeOk(sub, 1, "req", 1);
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
            props.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "application/json"));
            props.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), "resp/1"));
            props.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), new byte[] {0, 1, (byte) 0xFF}));
            pub.publish("req", bytes("{\"ü\":1}"), 1, false, 1, false, props);
            assertEquals(0, RawMqttClient.reasonCode(pub.expect(MqttMessageType.PUBACK, WAIT)));

            MqttProperties got = Raw.expectPublish(sub).properties();
            // Payload Format Indicator [MQTT-3.3.2-4], Response Topic [MQTT-3.3.2-15], Correlation Data
            // [MQTT-3.3.2-16] and Content Type [MQTT-3.3.2-20] are forwarded unaltered.
            assertEquals(1, got.getProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()).value());
            assertEquals("application/json", got.getProperty(MqttPropertyType.CONTENT_TYPE.value()).value());
            assertEquals("resp/1", got.getProperty(MqttPropertyType.RESPONSE_TOPIC.value()).value());
            assertArrayEquals(new byte[] {0, 1, (byte) 0xFF},
                    (byte[]) got.getProperty(MqttPropertyType.CORRELATION_DATA.value()).value());
        }
    }

    @Test
    void invalidUtf8PayloadMarkedAsUtf8IsRefusedWith0x99() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, null);
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            Raw.subscribeOk(sub, 1, "pfi", 2);
            MqttProperties utf8 = Raw.intProperties(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, 1);
            byte[] invalid = {(byte) 0xC3, 0x28};
            // A receiver that validates the payload answers 0x99 Payload format invalid (section 3.3.2.3.2).
            pub.publish("pfi", invalid, 1, false, 1, false, utf8);
            assertEquals(0x99, RawMqttClient.reasonCode(pub.expect(MqttMessageType.PUBACK, WAIT)));
            pub.publish("pfi", invalid, 2, false, 2, false, utf8);
            assertEquals(0x99, RawMqttClient.reasonCode(pub.expect(MqttMessageType.PUBREC, WAIT)));
            Raw.expectNothing(sub);
            // The same bytes without the indicator are just bytes.
            pub.publish("pfi", invalid, 1, false, 3, false, null);
            assertEquals(0, RawMqttClient.reasonCode(pub.expect(MqttMessageType.PUBACK, WAIT)));
            assertArrayEquals(invalid, Raw.expectPublish(sub).payload());
        }
    }

    @Test
    void subscriptionIdentifierInAClientPublishIsAProtocolError() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            // A PUBLISH sent from a Client to a Server MUST NOT contain a Subscription Identifier [MQTT-3.3.4-6].
            pub.publish("sid", bytes("x"), 1, false, 1, false,
                    Raw.intProperties(MqttPropertyType.SUBSCRIPTION_IDENTIFIER, 5));
            assertEquals(0x82, Raw.expectDisconnect(pub));
        }
    }

    @Test
    void hiveMqClientsExchangeEveryPublishProperty() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient sub = Hive.v5(broker, "hsub");
            Mqtt5BlockingClient pub = Hive.v5(broker, "hpub");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("hp").qos(MqttQos.EXACTLY_ONCE).send();
                pub.publishWith().topic("hp").qos(MqttQos.EXACTLY_ONCE).payload(bytes("text"))
                        .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                        .contentType("text/plain").responseTopic("hp/reply").correlationData(bytes("c-1"))
                        .messageExpiryInterval(120)
                        .userProperties(Mqtt5UserProperties.builder().add("b", "2").add("a", "1").add("b", "3").build())
                        .send();
                Mqtt5Publish got = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals(MqttQos.EXACTLY_ONCE, got.getQos());
                assertEquals(Mqtt5PayloadFormatIndicator.UTF_8, got.getPayloadFormatIndicator().orElseThrow());
                assertEquals("text/plain", got.getContentType().orElseThrow().toString());
                assertEquals("hp/reply", got.getResponseTopic().orElseThrow().toString());
                assertEquals(ByteBuffer.wrap(bytes("c-1")), got.getCorrelationData().orElseThrow());
                long expiry = got.getMessageExpiryInterval().orElseThrow();
                assertTrue(expiry == 120 || expiry == 119, "expiry " + expiry);
                assertEquals("[(b, 2), (a, 1), (b, 3)]", got.getUserProperties().asList().stream()
                        .map(p -> "(" + p.getName() + ", " + p.getValue() + ")").toList().toString());
            } finally {
                pub.disconnect();
                sub.disconnect();
            }
        }
    }
}
