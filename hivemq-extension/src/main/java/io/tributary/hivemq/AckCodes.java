package io.tributary.hivemq;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;

/** The MQTT 5 reason code of a route's rejection as HiveMQ's PUBACK/PUBREC code: the codes HiveMQ lets us send. */
final class AckCodes {

    private AckCodes() {
    }

    /** The failure code for {@code reasonCode}; Unspecified error (0x80) for a code HiveMQ cannot send. */
    static AckReasonCode of(int reasonCode) {
        return switch (reasonCode) {
            case 0x83 -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            case 0x87 -> AckReasonCode.NOT_AUTHORIZED;
            case 0x90 -> AckReasonCode.TOPIC_NAME_INVALID;
            case 0x91 -> AckReasonCode.PACKET_IDENTIFIER_IN_USE;
            case 0x97 -> AckReasonCode.QUOTA_EXCEEDED;
            case 0x99 -> AckReasonCode.PAYLOAD_FORMAT_INVALID;
            default -> AckReasonCode.UNSPECIFIED_ERROR;
        };
    }
}
