package io.tributary.broker.protocol;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.tributary.broker.BrokerConfig;

/**
 * The successful CONNACKs most clients get, built once per broker configuration instead of once per connection:
 * MQTT 3.1.1 and 5.0, session present or not. Those of MQTT 5 carry the server's limits and capabilities, the same
 * for every client; a CONNACK that also assigns a client identifier, overrides the keep-alive or caps the session
 * expiry is built for its client. A message is never changed once built, and the encoder only reads it, so one
 * instance serves every connection on every event loop.
 */
final class ConnAcks {
    private static volatile ConnAcks current;

    private final BrokerConfig config;
    private final MqttConnAckMessage[] v311 = new MqttConnAckMessage[2];
    private final MqttConnAckMessage[] v5 = new MqttConnAckMessage[2];

    private ConnAcks(BrokerConfig config) {
        this.config = config;
        for (int present = 0; present < 2; present++) {
            v311[present] = accepted(present == 1).build();
            v5[present] = accepted(present == 1).properties(p -> serverLimits(p, config)).build();
        }
    }

    /** The accepted CONNACK for {@code config}, without any property that differs between clients. */
    static MqttConnAckMessage standard(BrokerConfig config, boolean v5, boolean sessionPresent) {
        ConnAcks acks = current;
        if (acks == null || acks.config != config) {
            acks = new ConnAcks(config); // another broker in this JVM: rebuilt, never wrong
            current = acks;
        }
        return (v5 ? acks.v5 : acks.v311)[sessionPresent ? 1 : 0];
    }

    /** An accepted CONNACK to which properties for one client can still be added. */
    static MqttMessageBuilders.ConnAckBuilder accepted(boolean sessionPresent) {
        return MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent);
    }

    /** What an MQTT 5 CONNACK tells every client about this server [MQTT-3.2.2.3]. */
    static void serverLimits(MqttMessageBuilders.ConnAckPropertiesBuilder p, BrokerConfig config) {
        p.receiveMaximum(config.maxInFlight());
        p.maximumPacketSize(config.maxPacketSize());
        p.topicAliasMaximum(config.topicAliasMaximum());
        p.subscriptionIdentifiersAvailable(true);
        p.sharedSubscriptionAvailable(true);
        p.wildcardSubscriptionAvailable(true);
        p.retainAvailable(true);
    }
}
