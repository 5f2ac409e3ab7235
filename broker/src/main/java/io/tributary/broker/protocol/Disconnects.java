package io.tributary.broker.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/** Ends connections the way the protocol version wants: MQTT 5 says why, MQTT 3.1.1 just closes. */
final class Disconnects {
    private Disconnects() {
    }

    /**
     * Closes {@code channel}; for MQTT 5 first sends DISCONNECT with {@code reasonCode} and a reason string,
     * the string left out if it would make the packet larger than the client takes [MQTT-3.14.2-3].
     */
    static void close(Channel channel, int protocolVersion, byte reasonCode, String reason, long clientMaximum) {
        if (protocolVersion == 5 && channel.isActive()) {
            MqttProperties props = new MqttProperties();
            if (reason != null && sizeWithReason(1, reason) <= clientMaximum) {
                props.add(new MqttProperties.StringProperty(
                        MqttProperties.MqttPropertyType.REASON_STRING.value(), reason));
            }
            MqttMessage disconnect = new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, props));
            channel.writeAndFlush(disconnect).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /**
     * Refuses a CONNECT with {@code code} and closes [MQTT-3.2.2-5]; an MQTT 5 reason string is left out if
     * the CONNACK would exceed the client's Maximum Packet Size [MQTT-3.2.2-19].
     */
    static void refuse(Channel channel, MqttConnectReturnCode code, String reason, long clientMaximum) {
        MqttMessageBuilders.ConnAckBuilder ack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false);
        if ((code.byteValue() & 0x80) != 0 && reason != null && sizeWithReason(2, reason) <= clientMaximum) {
            ack.properties(p -> p.reasonString(reason));
        }
        MqttConnAckMessage message = ack.build();
        channel.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
    }

    /** The size of a packet made of {@code fixedBytes} of variable header and a Reason String property. */
    private static long sizeWithReason(int fixedBytes, String reason) {
        long properties = 3L + PacketSize.utf8Length(reason);
        long remaining = fixedBytes + PacketSize.variableByteIntegerSize(properties) + properties;
        return 1 + PacketSize.variableByteIntegerSize(remaining) + remaining;
    }
}
