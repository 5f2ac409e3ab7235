package io.tributary.it.support;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** What an MQTT 5 publisher hears back. */
public final class PubAcks {

    private PubAcks() {
    }

    /** Publishes at QoS 1 and returns the PUBACK's reason code, whether the client calls it a success or not. */
    public static Mqtt5PubAckReasonCode publishQos1(Mqtt5AsyncClient client, String topic, String payload,
                                                    Duration timeout) throws Exception {
        Mqtt5PublishResult result;
        try {
            result = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
        if (result.getError().orElse(null) instanceof Mqtt5PubAckException refused) {
            return refused.getMqttMessage().getReasonCode();
        }
        return ((Mqtt5Qos1Result) result).getPubAck().getReasonCode();
    }
}
