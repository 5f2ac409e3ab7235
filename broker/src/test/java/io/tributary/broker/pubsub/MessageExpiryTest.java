package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.WAIT;
import static io.tributary.broker.pubsub.Raw.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mqtt.RawMqttClient;
import org.junit.jupiter.api.Test;

/** MQTT 5 Message Expiry Interval (section 3.3.2.3.3). */
class MessageExpiryTest {

    private static MqttProperties expiry(int seconds) {
        return Raw.intProperties(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, seconds);
    }

    /** Connects a persistent MQTT 5 subscriber on {@code filter}, then disconnects it and waits until it is offline. */
    private static void goOffline(RunningBroker broker, String clientId, String filter) throws Exception {
        long before = broker.broker().stats().connections();
        try (RawMqttClient sub = Raw.v5(broker, clientId, true,
                Raw.intProperties(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 300))) {
            Raw.subscribeOk(sub, 1, filter, 1);
            sub.send(io.netty.handler.codec.mqtt.MqttMessage.DISCONNECT);
            assertTrue(sub.closedWithin(WAIT));
        }
        Await.until(WAIT, "the connection closed", () -> broker.broker().stats().connections() == before);
        Await.until(WAIT, "the session detached", broker.broker().whenDetached(clientId)::isDone);
    }

    private static RawMqttClient reconnect(RunningBroker broker, String clientId) throws Exception {
        RawMqttClient client = new RawMqttClient(broker.port());
        client.connect(io.netty.handler.codec.mqtt.MqttVersion.MQTT_5, clientId, false,
                Raw.intProperties(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 300));
        return client;
    }

    @Test
    void expiredMessageQueuedForAnOfflineSessionIsNotDelivered() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            goOffline(broker, "offline", "exp/#");
            pub.publish("exp/short", bytes("short"), 1, false, 1, false, expiry(1));
            pub.expect(MqttMessageType.PUBACK, WAIT);
            pub.publish("exp/none", bytes("forever"), 1, false, 2, false, null);
            pub.expect(MqttMessageType.PUBACK, WAIT);
            Await.until(WAIT, "two messages queued", () -> broker.broker().stats().queued() == 2);
            Thread.sleep(1100);
            try (RawMqttClient sub = reconnect(broker, "offline")) {
                // Once the interval has passed and onward delivery has not started, the Server MUST delete the
                // copy for that subscriber [MQTT-3.3.2-5].
                Raw.Received got = Raw.expectPublish(sub);
                assertEquals("forever", got.text());
                assertNull(got.intProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL),
                        "a message without expiry is sent without one");
                sub.ack(MqttMessageType.PUBACK, got.packetId());
                Raw.expectNothing(sub);
                assertEquals(1, broker.broker().stats().expired());
            }
        }
    }

    @Test
    void forwardedExpiryIsReducedByTheTimeTheMessageWaited() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            goOffline(broker, "waiter", "exp2/#");
            pub.publish("exp2/a", bytes("later"), 1, false, 1, false, expiry(60));
            pub.expect(MqttMessageType.PUBACK, WAIT);
            Thread.sleep(1100);
            try (RawMqttClient sub = reconnect(broker, "waiter")) {
                Raw.Received got = Raw.expectPublish(sub);
                // The PUBLISH sent on carries the received interval minus the time it waited [MQTT-3.3.2-6].
                int forwarded = got.intProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
                assertTrue(forwarded <= 59 && forwarded >= 57, "forwarded expiry " + forwarded);
            }
        }
    }

    @Test
    void liveDeliveryCarriesTheExpiryInterval() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "live", true, null);
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            Raw.subscribeOk(sub, 1, "exp3", 0);
            pub.publish("exp3", bytes("now"), 0, false, 0, false, expiry(30));
            int forwarded = Raw.expectPublish(sub).intProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
            assertTrue(forwarded == 30 || forwarded == 29, "forwarded expiry " + forwarded);
        }
    }
}
