package io.tributary.bench.connections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RawConnectTest {

    @Test
    void connectIsAnMqtt311ConnectWithCleanSession() {
        ByteBuffer connect = RawConnect.connect("ab", 0);
        byte[] bytes = new byte[connect.remaining()];
        connect.get(bytes);
        assertArrayEquals(new byte[] {
            0x10, 14,                         // CONNECT, remaining length 14
            0, 4, 'M', 'Q', 'T', 'T',         // protocol name
            4,                                // protocol level: 3.1.1
            0x02,                             // clean session
            0, 0,                             // keep-alive off
            0, 2, 'a', 'b'                    // client identifier
        }, bytes);
    }

    @Test
    void acceptedConnackHasReturnCodeZero() {
        assertEquals(0, RawConnect.returnCode(ByteBuffer.wrap(new byte[] {0x20, 2, 0, 0})));
        assertEquals(5, RawConnect.returnCode(ByteBuffer.wrap(new byte[] {0x20, 2, 0, 5})));
    }

    @Test
    void anythingElseIsNotAConnack() {
        assertEquals(-1, RawConnect.returnCode(ByteBuffer.wrap(new byte[] {0x30, 2, 0, 0})));
    }
}
