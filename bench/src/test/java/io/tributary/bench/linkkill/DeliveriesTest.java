package io.tributary.bench.linkkill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class DeliveriesTest {

    private static byte[] sequence(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void countsDuplicatesAndTheAcknowledgedThatNeverArrived() {
        Deliveries deliveries = new Deliveries();
        deliveries.record(sequence("0"));
        deliveries.record(sequence("2"));
        deliveries.record(sequence("2"));
        deliveries.record(sequence("5\n"));

        BitSet acknowledged = new BitSet();
        acknowledged.set(0, 4); // 0, 1, 2, 3 acknowledged by the broker; 5 arrived without one

        assertEquals(4, deliveries.arrivals());
        assertEquals(3, deliveries.unique());
        assertEquals(5, deliveries.highest());
        BitSet missing = deliveries.missingOf(acknowledged);
        assertEquals("{1, 3}", missing.toString());
        assertEquals(4, acknowledged.cardinality(), "the caller's set is left alone");
    }

    @Test
    void aPayloadThatIsNoSequenceNumberIsCountedApart() {
        Deliveries deliveries = new Deliveries();
        deliveries.record(sequence("probe"));

        assertEquals(1, deliveries.unreadable());
        assertEquals(0, deliveries.arrivals());
        assertEquals(-1, deliveries.highest());
    }
}
