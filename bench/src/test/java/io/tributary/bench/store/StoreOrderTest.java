package io.tributary.bench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both stores must see the same workload: a session's records contiguous and in sequence order (big-endian
 * sequence numbers compared unsigned, across the 127/128 and 255/256 byte boundaries), deletes applied, and
 * durable batches still there after reopening.
 */
class StoreOrderTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSessionScansInSequenceOrderAndKeepsItsRecordsAcrossReopening(StoreKind kind) {
        Batch batch = new Batch();
        for (long sequence = 0; sequence < 300; sequence++) {
            for (long session = 0; session < 3; session++) {
                batch.put(Records.key(session, sequence), Records.value(session, sequence));
            }
        }
        batch.delete(Records.key(1, 0));
        try (KvStore store = kind.open(dir)) {
            store.write(batch);
            batch.clear();
            batch.delete(Records.key(1, 1));
            store.writeDurably(batch);
        }
        try (KvStore store = kind.open(dir)) {
            assertEquals(298, store.scan(Records.key(1, 0), Records.sessionEnd(1)));
            assertEquals(300, store.scan(Records.key(2, 0), Records.sessionEnd(2)));
            assertEquals(3 * 300 - 2, store.scanAll());
            assertNull(store.get(Records.key(1, 1)));
            assertEquals(Records.VALUE_BYTES, store.get(Records.key(0, 128)).length);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRangeStartingMidSessionReadsOnlyTheRest(StoreKind kind) {
        Batch batch = new Batch();
        for (long sequence = 0; sequence < 300; sequence++) {
            batch.put(Records.key(7, sequence), Records.value(7, sequence));
        }
        try (KvStore store = kind.open(dir)) {
            store.writeDurably(batch);
            assertEquals(300 - 127, store.scan(Records.key(7, 127), Records.sessionEnd(7)));
            assertEquals(256 - 127, store.scan(Records.key(7, 127), Records.key(7, 256)));
        }
    }
}
