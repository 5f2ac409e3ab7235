package io.tributary.broker.protocol;

import io.tributary.broker.MessageProperties;
import io.tributary.broker.UserProperty;
import io.tributary.broker.delivery.OutboundMessage;
import java.nio.charset.StandardCharsets;

/**
 * The encoded size of an outbound PUBLISH, computed without encoding it, to honour the client's
 * Maximum Packet Size [MQTT-3.1.2-24].
 */
public final class PacketSize {
    private PacketSize() {
    }

    /** The whole packet's size in bytes: fixed header, variable header, properties and payload. */
    static long ofPublish(OutboundMessage outbound, boolean mqtt5) {
        return ofPublish(outbound, mqtt5, false, false);
    }

    /**
     * The size of the PUBLISH as it will be written, with a Topic Alias property ({@code withAlias}) and
     * the topic name left out when the alias is already known to the client ({@code topicOmitted}).
     */
    static long ofPublish(OutboundMessage outbound, boolean mqtt5, boolean withAlias, boolean topicOmitted) {
        long topicBytes = topicOmitted ? 0 : utf8Length(outbound.message().topic());
        long remaining = 2L + topicBytes + outbound.message().payload().length;
        if (outbound.qos().value() > 0) {
            remaining += 2;
        }
        if (mqtt5) {
            long properties = propertiesLength(outbound) + (withAlias ? 3 : 0);
            remaining += variableByteIntegerSize(properties) + properties;
        }
        return 1 + variableByteIntegerSize(remaining) + remaining;
    }

    private static long propertiesLength(OutboundMessage outbound) {
        MessageProperties p = outbound.message().properties();
        long length = 0;
        if (p.payloadUtf8()) {
            length += 2;
        }
        if (p.messageExpirySeconds() != null) {
            length += 5;
        }
        if (p.contentType() != null) {
            length += 3 + utf8Length(p.contentType());
        }
        if (p.responseTopic() != null) {
            length += 3 + utf8Length(p.responseTopic());
        }
        if (p.correlationData() != null) {
            length += 3 + p.correlationData().length;
        }
        for (UserProperty up : p.userProperties()) {
            length += 5 + utf8Length(up.name()) + utf8Length(up.value());
        }
        for (int id : outbound.subscriptionIds()) {
            length += 1 + variableByteIntegerSize(id);
        }
        return length;
    }

    static int variableByteIntegerSize(long value) {
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        if (value < 2_097_152) {
            return 3;
        }
        return 4;
    }

    static int utf8Length(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        return ascii ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
