package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import org.junit.jupiter.api.Test;

/** MQTT 5 subscription options: No Local, Retain As Published and Retain Handling (section 3.8.3.1). */
class SubscriptionOptionsTest {

    @Test
    void noLocalKeepsAClientsOwnPublicationsAwayButNotOthers() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient self = Raw.v5(broker, "self", true, null);
             RawMqttClient other = Raw.v5(broker, "other", true, null)) {
            Raw.subscribe(self, 1, 0, new Raw.Sub("nl/#", Raw.option(0, true, false, 0)));
            Raw.subscribe(other, 1, 0, Raw.Sub.of("nl/#", 0));
            // No Local: messages MUST NOT be forwarded to a connection with the publisher's ClientID [MQTT-3.8.3-3].
            Raw.publish0(self, "nl/1", "mine");
            assertEquals("mine", Raw.expectPublish(other).text(), "others still get it");
            Raw.expectNothing(self);
            Raw.publish0(other, "nl/2", "yours");
            assertEquals("yours", Raw.expectPublish(self).text());
            assertEquals("yours", Raw.expectPublish(other).text(), "without No Local a client gets its own");
        }
    }

    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient client = Raw.v5(broker, "sharednl", true, null)) {
            client.send(io.netty.handler.codec.mqtt.MqttMessageBuilders.subscribe().messageId(1)
                    .addSubscription("$share/g/t", Raw.option(0, true, false, 0)).build());
            // It is a Protocol Error to set No Local on a Shared Subscription [MQTT-3.8.3-4].
            assertEquals(0x82, Raw.expectDisconnect(client));
        }
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOfLiveMessagesOtherwiseItIsCleared() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient keep = Raw.v5(broker, "rap1", true, null);
             RawMqttClient clear = Raw.v5(broker, "rap0", true, null);
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            Raw.subscribe(keep, 1, 0, new Raw.Sub("rap", Raw.option(0, false, true, 0)));
            Raw.subscribe(clear, 1, 0, new Raw.Sub("rap", Raw.option(0, false, false, 0)));
            pub.publish("rap", bytes("r"), 0, true, 0, false, null);
            // Retain As Published 1: RETAIN as in the PUBLISH received [MQTT-3.3.1-13].
            assertTrue(Raw.expectPublish(keep).retain());
            // Retain As Published 0: RETAIN 0 when forwarding [MQTT-3.3.1-12].
            assertFalse(Raw.expectPublish(clear).retain());
            pub.publish("rap", bytes("n"), 0, false, 0, false, null);
            assertFalse(Raw.expectPublish(keep).retain(), "a message published without RETAIN stays without it");
            assertFalse(Raw.expectPublish(clear).retain());
        }
    }

    @Test
    void retainHandling0SendsRetainedMessagesOnEverySubscribe() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "rh0", true, null)) {
            broker.broker().publish(Message.of("rh/0", "kept", QoS.AT_MOST_ONCE, true)).join();
            // Retain Handling 0: send retained messages at the time of the subscribe [MQTT-3.3.1-9].
            Raw.subscribe(sub, 1, 0, new Raw.Sub("rh/#", Raw.option(0, false, false, 0)));
            assertEquals("kept", Raw.expectPublish(sub).text());
            Raw.subscribe(sub, 2, 0, new Raw.Sub("rh/#", Raw.option(0, false, false, 0)));
            Raw.Received again = Raw.expectPublish(sub);
            assertEquals("kept", again.text(), "also when the subscription existed");
            assertTrue(again.retain());
        }
    }

    @Test
    void retainHandling1SendsRetainedMessagesOnlyForANewSubscription() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "rh1", true, null)) {
            broker.broker().publish(Message.of("rh/1", "kept", QoS.AT_MOST_ONCE, true)).join();
            // Retain Handling 1: send only if the subscription does not currently exist [MQTT-3.3.1-10].
            Raw.subscribe(sub, 1, 0, new Raw.Sub("rh/#", Raw.option(0, false, false, 1)));
            assertEquals("kept", Raw.expectPublish(sub).text());
            Raw.subscribe(sub, 2, 0, new Raw.Sub("rh/#", Raw.option(0, false, false, 1)));
            Raw.expectNothing(sub);
        }
    }

    @Test
    void retainHandling2NeverSendsRetainedMessagesOnSubscribe() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "rh2", true, null)) {
            broker.broker().publish(Message.of("rh/2", "kept", QoS.AT_MOST_ONCE, true)).join();
            // Retain Handling 2: do not send retained messages at the time of the subscribe [MQTT-3.3.1-11].
            Raw.subscribe(sub, 1, 0, new Raw.Sub("rh/#", Raw.option(0, false, false, 2)));
            Raw.expectNothing(sub);
            broker.broker().publish(Message.of("rh/2", "live", QoS.AT_MOST_ONCE, false)).join();
            assertEquals("live", Raw.expectPublish(sub).text(), "live messages still flow");
        }
    }
}
