package io.tributary.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksStoreTest {
    @TempDir
    Path dir;

    @Test
    void keepsWhatWasWrittenAcrossAReopen() throws Exception {
        try (RocksStore store = RocksStore.open(dir, Durability.sync())) {
            store.put(bytes("a/1"), bytes("one")).join();
            store.putLazily(bytes("a/2"), bytes("two"));
            store.put(bytes("b/1"), bytes("other")).join();
            store.deleteLazily(bytes("a/1")).join();
        }
        try (RocksStore store = RocksStore.open(dir, Durability.sync())) {
            assertNull(store.get(bytes("a/1")));
            assertArrayEquals(bytes("two"), store.get(bytes("a/2")));
            assertEquals(List.of("b/1"), keys(store, "b/"));
        }
    }

    @Test
    void scansAPrefixInKeyOrderAndStopsWhenAsked() throws Exception {
        try (RocksStore store = RocksStore.open(dir, Durability.interval(Duration.ofMillis(50)))) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (String key : List.of("s/3", "s/1", "t/1", "s/2", "r/9")) {
                writes.add(store.put(bytes(key), bytes(key)));
            }
            CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
            assertEquals(List.of("s/1", "s/2", "s/3"), keys(store, "s/"));
            List<String> fromTwo = new ArrayList<>();
            store.scan(bytes("s/"), bytes("s/2"), (k, v) -> fromTwo.add(new String(k, UTF_8)) && fromTwo.size() < 1);
            assertEquals(List.of("s/2"), fromTwo);
            store.deleteRange(bytes("s/"), RocksStore.prefixEnd(bytes("s/"))).join();
            assertEquals(List.of(), keys(store, "s/"));
            assertEquals(List.of("t/1"), keys(store, "t/"));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedWithAClearMessage() throws Exception {
        try (RocksStore first = RocksStore.open(dir, Durability.sync())) {
            IOException refused = assertThrows(IOException.class, () -> RocksStore.open(dir, Durability.sync()));
            assertTrue(refused.getMessage().contains("in use by another process"), refused.getMessage());
        }
    }

    @Test
    void theEndOfAPrefixIsTheNextKeyAfterAllKeysWithIt() {
        assertArrayEquals(new byte[] {1, 3}, RocksStore.prefixEnd(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {2}, RocksStore.prefixEnd(new byte[] {1, (byte) 0xFF}));
        assertNull(RocksStore.prefixEnd(new byte[] {(byte) 0xFF}));
    }

    private static List<String> keys(RocksStore store, String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        store.scan(bytes(prefix), (k, v) -> keys.add(new String(k, UTF_8)));
        return keys;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
