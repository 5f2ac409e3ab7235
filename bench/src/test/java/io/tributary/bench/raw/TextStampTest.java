package io.tributary.bench.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextStampTest {

    @Test
    void stampedPayloadDecodesToItsFieldsAndIsText() {
        byte[] template = TextStamp.template(64, 7);
        ByteBuffer buffer = ByteBuffer.allocate(100);
        buffer.position(10);
        buffer.put(template);
        TextStamp.stamp(buffer, 10, 1_234_567L, 987_654_321_012L);
        byte[] payload = new byte[64];
        buffer.get(10, payload);

        assertEquals(new TextStamp.Decoded(7, 1_234_567L, 987_654_321_012L), TextStamp.decode(payload));
        String text = new String(payload, StandardCharsets.UTF_8);
        assertEquals(payload.length, text.getBytes(StandardCharsets.UTF_8).length, "survives a String round trip");
        assertEquals("p=07,s=0001234567,t=0000000987654321012,", text.substring(0, TextStamp.BYTES));
    }

    @Test
    void anythingElseIsNotAStamp() {
        assertNull(TextStamp.decode("{\"publisher\":1}".getBytes(StandardCharsets.US_ASCII)));
        assertNull(TextStamp.decode(null));
        byte[] broken = TextStamp.template(40, 1);
        broken[8] = 'x';
        assertNull(TextStamp.decode(broken));
    }
}
