package io.tributary.bench.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TelemetryPayloadTest {

    @Test
    void aPayloadIsJsonOfTheRequestedSizeAndReadsBack() {
        byte[] payload = TelemetryPayload.encode(128, 3, 123_456, 98_765_432_100L);
        assertEquals(128, payload.length);
        String text = new String(payload, StandardCharsets.US_ASCII);
        assertEquals("{\"publisher\":3,\"seq\":123456,\"sentNanos\":98765432100,\"pad\":\"", text.substring(0, 59));
        assertEquals("\"}", text.substring(126));
        assertEquals(new TelemetryPayload.Decoded(3, 123_456, 98_765_432_100L), TelemetryPayload.decode(payload));
    }

    @Test
    void theWidestNumbersFitTheMinimumSize() {
        byte[] payload = TelemetryPayload.encode(TelemetryPayload.MIN_BYTES, Integer.MIN_VALUE, Integer.MAX_VALUE,
                -Long.MAX_VALUE);
        assertEquals(TelemetryPayload.MIN_BYTES, payload.length);
        assertEquals(new TelemetryPayload.Decoded(Integer.MIN_VALUE, Integer.MAX_VALUE, -Long.MAX_VALUE),
                TelemetryPayload.decode(payload));
    }

    @Test
    void theProbeHasANegativePublisher() {
        assertEquals(-1, TelemetryPayload.decode(TelemetryPayload.encode(100, -1, 0, 5)).publisher());
    }

    @Test
    void anythingElseIsNotAPayload() {
        assertNull(TelemetryPayload.decode(null));
        assertNull(TelemetryPayload.decode("hello".getBytes(StandardCharsets.US_ASCII)));
        assertNull(TelemetryPayload.decode("{\"publisher\":1,\"seq\":-2,\"sentNanos\":3,\"pad\":\"\"}"
                .getBytes(StandardCharsets.US_ASCII)));
        assertNull(TelemetryPayload.decode("{\"publisher\":1,\"seq\":2,".getBytes(StandardCharsets.US_ASCII)));
    }
}
