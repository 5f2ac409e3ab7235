package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.Hive;
import io.tributary.broker.clients.RunningBroker;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** MQTT 5 Topic Aliases, client to broker and broker to client (section 3.3.2.3.4). */
class TopicAliasTest {

    private static MqttProperties alias(int alias) {
        return Raw.intProperties(MqttPropertyType.TOPIC_ALIAS, alias);
    }

    @Test
    void connackAdvertisesTheConfiguredTopicAliasMaximum() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.topicAliasMaximum(7));
             RawMqttClient client = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = Raw.connect5(client, "tam", null);
            assertEquals(7, ack.variableHeader().properties().getProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value())
                    .value());
        }
    }

    @Test
    void clientSetsAnAliasAndReusesItWithAnEmptyTopic() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true);
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            Raw.subscribeOk(sub, 1, "alias/#", 0);
            pub.publish("alias/one", bytes("1"), 0, false, 0, false, alias(1));
            pub.publish("", bytes("2"), 0, false, 0, false, alias(1));
            // An alias may be remapped by sending it again with a topic (section 3.3.2.3.4).
            pub.publish("alias/two", bytes("3"), 0, false, 0, false, alias(1));
            pub.publish("", bytes("4"), 0, false, 0, false, alias(1));
            // A Server MUST accept all Topic Alias values from 1 to its Topic Alias Maximum [MQTT-3.3.2-12].
            assertEquals("alias/one", Raw.expectPublish(sub).topic());
            assertEquals("alias/one", Raw.expectPublish(sub).topic());
            assertEquals("alias/two", Raw.expectPublish(sub).topic());
            assertEquals("alias/two", Raw.expectPublish(sub).topic());
        }
    }

    @Test
    void topicAliasZeroIsRefusedWithDisconnect0x94() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            // A sender MUST NOT send a Topic Alias of 0 [MQTT-3.3.2-8]; the receiver answers 0x94 Topic Alias invalid.
            pub.publish("t", bytes("x"), 0, false, 0, false, alias(0));
            assertEquals(0x94, Raw.expectDisconnect(pub));
        }
    }

    @Test
    void topicAliasAboveTheMaximumIsRefusedWithDisconnect0x94() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.topicAliasMaximum(5));
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            pub.publish("t", bytes("ok"), 0, false, 0, false, alias(5));
            // A Client MUST NOT send a Topic Alias greater than the Server's Topic Alias Maximum [MQTT-3.3.2-9].
            pub.publish("t", bytes("x"), 0, false, 0, false, alias(6));
            assertEquals(0x94, Raw.expectDisconnect(pub));
        }
    }

    @Test
    void anyTopicAliasIsRefusedWhenTheMaximumIsZero() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.topicAliasMaximum(0));
             RawMqttClient pub = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = Raw.connect5(pub, "pub", null);
            MqttProperties.MqttProperty tam = ack.variableHeader().properties()
                    .getProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value());
            assertTrue(tam == null || (Integer) tam.value() == 0, "no aliases allowed");
            pub.publish("t", bytes("x"), 0, false, 0, false, alias(1));
            assertEquals(0x94, Raw.expectDisconnect(pub));
        }
    }

    @Test
    void emptyTopicWithAnUnknownAliasIsAProtocolError() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            // An empty topic with an alias that has no mapping is a Protocol Error (section 3.3.2.3.4).
            pub.publish("", bytes("x"), 0, false, 0, false, alias(3));
            assertEquals(0x82, Raw.expectDisconnect(pub));
        }
    }

    @Test
    void emptyTopicWithoutAliasIsAProtocolError() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            pub.publish("", bytes("x"), 0, false, 0, false, null);
            assertEquals(0x82, Raw.expectDisconnect(pub));
        }
    }

    @Test
    void aliasMappingsDoNotCarryOverToANewConnection() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            try (RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
                pub.publish("carry", bytes("x"), 0, false, 0, false, alias(1));
            }
            try (RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
                // A receiver MUST NOT carry forward any Topic Alias mappings to another connection [MQTT-3.3.2-7].
                pub.publish("", bytes("x"), 0, false, 0, false, alias(1));
                assertEquals(0x82, Raw.expectDisconnect(pub));
            }
        }
    }

    @Test
    void brokerSendsAnAliasThenAnEmptyTopicToAClientThatAllowsAliases() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, Raw.intProperties(MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 4))) {
            Raw.subscribeOk(sub, 1, "out/#", 0);
            for (int i = 0; i < 3; i++) {
                broker.broker().publish(Message.of("out/same", "m" + i, QoS.AT_MOST_ONCE, false)).join();
            }
            Raw.Received first = Raw.expectPublish(sub);
            Integer alias = first.intProperty(MqttPropertyType.TOPIC_ALIAS);
            assertEquals("out/same", first.topic());
            assertNotNull(alias, "the first PUBLISH sets an alias");
            // A Server MUST NOT send a Topic Alias greater than the client's Topic Alias Maximum [MQTT-3.3.2-11].
            assertTrue(alias >= 1 && alias <= 4, "alias " + alias);
            for (int i = 1; i < 3; i++) {
                Raw.Received next = Raw.expectPublish(sub);
                assertEquals("", next.topic(), "a later PUBLISH on the same topic uses the alias alone");
                assertEquals(alias, next.intProperty(MqttPropertyType.TOPIC_ALIAS));
                assertEquals("m" + i, next.text());
            }
        }
    }

    @Test
    void clientWithoutTopicAliasMaximumGetsNoAliases() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, null)) {
            Raw.subscribeOk(sub, 1, "noalias", 0);
            for (int i = 0; i < 2; i++) {
                broker.broker().publish(Message.of("noalias", "m", QoS.AT_MOST_ONCE, false)).join();
            }
            for (int i = 0; i < 2; i++) {
                Raw.Received got = Raw.expectPublish(sub);
                // Topic Alias Maximum absent means 0: the Server MUST NOT send Topic Aliases [MQTT-3.3.2-11].
                assertEquals("noalias", got.topic());
                assertNull(got.intProperty(MqttPropertyType.TOPIC_ALIAS));
            }
        }
    }

    @Test
    void moreTopicsThanAliasesStillResolveCorrectlyOnTheClient() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, Raw.intProperties(MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 2))) {
            Raw.subscribeOk(sub, 1, "many/#", 0);
            String[] topics = {"many/a", "many/b", "many/c", "many/a", "many/c", "many/b", "many/c"};
            for (String t : topics) {
                broker.broker().publish(Message.of(t, t, QoS.AT_MOST_ONCE, false)).join();
            }
            Map<Integer, String> aliases = new HashMap<>();
            for (String expected : topics) {
                Raw.Received got = Raw.expectPublish(sub);
                Integer alias = got.intProperty(MqttPropertyType.TOPIC_ALIAS);
                String topic = got.topic();
                if (alias != null) {
                    assertTrue(alias >= 1 && alias <= 2, "alias " + alias + " within the client's maximum");
                    if (topic.isEmpty()) {
                        topic = aliases.get(alias);
                    } else {
                        aliases.put(alias, topic);
                    }
                }
                assertEquals(expected, topic);
                assertEquals(expected, got.text());
            }
        }
    }

    @Test
    void hiveMqClientWithTopicAliasesReceivesTheRightTopics() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient sub = MqttClient.builder().useMqttVersion5().identifier("hive-alias")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            sub.connectWith().restrictions().topicAliasMaximum(3).applyRestrictions().send();
            Mqtt5BlockingClient pub = Hive.v5(broker, "hive-pub");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("ha/#").qos(MqttQos.AT_LEAST_ONCE).send();
                String[] topics = {"ha/1", "ha/1", "ha/2", "ha/3", "ha/4", "ha/1", "ha/4", "ha/2"};
                for (String t : topics) {
                    pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(t)).send();
                }
                for (String t : topics) {
                    Mqtt5Publish got = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                    assertEquals(t, got.getTopic().toString());
                    assertEquals(t, new String(got.getPayloadAsBytes()));
                }
            } finally {
                pub.disconnect();
                sub.disconnect();
            }
        }
    }
}
