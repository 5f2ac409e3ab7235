package io.tributary.broker.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAck;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.Hive;
import io.tributary.broker.clients.RunningBroker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UNSUBSCRIBE and UNSUBACK (sections 3.10 and 3.11). */
class UnsubscribeTest {

    @Test
    void unsubscribeStopsDeliveryForThatFilterOnly() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true)) {
            Raw.subscribeOk(sub, 1, "un/a", 0);
            Raw.subscribeOk(sub, 2, "un/b", 0);
            MqttUnsubAckMessage ack = Raw.unsubscribe(sub, 3, "un/a");
            // UNSUBACK carries the UNSUBSCRIBE's packet identifier [MQTT-3.10.4-5 (3.1.1), MQTT-3.10.4-4 (5.0)].
            assertEquals(3, ack.variableHeader().messageId());
            broker.broker().publish(Message.of("un/a", "gone", QoS.AT_MOST_ONCE, false)).join();
            broker.broker().publish(Message.of("un/b", "kept", QoS.AT_MOST_ONCE, false)).join();
            // The Server stops adding new messages for the deleted subscription [MQTT-3.10.4-2].
            assertEquals("kept", Raw.expectPublish(sub).text());
            Raw.expectNothing(sub);
        }
    }

    @Test
    void filtersAreComparedCharacterByCharacterNotByMatching() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, null)) {
            Raw.subscribeOk(sub, 1, "cmp/x", 0);
            // "cmp/+" matches "cmp/x" but is not the same filter [MQTT-3.10.4-1]: nothing is removed.
            assertEquals(List.of((short) 0x11), Raw.unsubscribe(sub, 2, "cmp/+").payload().unsubscribeReasonCodes());
            broker.broker().publish(Message.of("cmp/x", "still", QoS.AT_MOST_ONCE, false)).join();
            assertEquals("still", Raw.expectPublish(sub).text());
        }
    }

    @Test
    void mqtt5UnsubackSays0x11ForAFilterThatHadNoSubscription() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, null)) {
            Raw.subscribeOk(sub, 1, "had/one", 1);
            MqttUnsubAckMessage ack = Raw.unsubscribe(sub, 2, "never", "had/one", "had/one");
            // One reason code per filter, in order (section 3.11.3): 0x11 No subscription existed.
            assertEquals(List.of((short) 0x11, (short) 0x00, (short) 0x11), ack.payload().unsubscribeReasonCodes());
        }
    }

    @Test
    void hiveMqV5UnsubscribeReportsSuccessAndStopsDelivery() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient client = Hive.v5(broker, "hive-unsub");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                         client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith().topicFilter("hu/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5UnsubAck ack = client.unsubscribeWith().topicFilter("hu/#").send();
                assertEquals(List.of(Mqtt5UnsubAckReasonCode.SUCCESS), ack.getReasonCodes());
                broker.broker().publish(Message.of("hu/1", "x", QoS.AT_LEAST_ONCE, false)).join();
                assertEquals(java.util.Optional.empty(),
                        publishes.receive(Raw.QUIET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            } finally {
                client.disconnect();
            }
        }
    }
}
