package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import org.junit.jupiter.api.Test;

class AckCodesTest {

    @Test
    void eachCodeHiveMqCanSendIsKept() {
        assertEquals(AckReasonCode.UNSPECIFIED_ERROR, AckCodes.of(0x80));
        assertEquals(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, AckCodes.of(0x83));
        assertEquals(AckReasonCode.NOT_AUTHORIZED, AckCodes.of(0x87));
        assertEquals(AckReasonCode.TOPIC_NAME_INVALID, AckCodes.of(0x90));
        assertEquals(AckReasonCode.PACKET_IDENTIFIER_IN_USE, AckCodes.of(0x91));
        assertEquals(AckReasonCode.QUOTA_EXCEEDED, AckCodes.of(0x97));
        assertEquals(AckReasonCode.PAYLOAD_FORMAT_INVALID, AckCodes.of(0x99));
    }

    @Test
    void anyOtherFailureCodeIsUnspecifiedError() {
        assertEquals(AckReasonCode.UNSPECIFIED_ERROR, AckCodes.of(0x95));
        assertEquals(AckReasonCode.UNSPECIFIED_ERROR, AckCodes.of(0xFF));
    }
}
