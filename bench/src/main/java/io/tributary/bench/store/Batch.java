package io.tributary.bench.store;

import java.util.ArrayList;
import java.util.List;

/** The puts and deletes of one group commit, reused from batch to batch. */
final class Batch {

    final List<byte[]> putKeys = new ArrayList<>();
    final List<byte[]> putValues = new ArrayList<>();
    final List<byte[]> deleteKeys = new ArrayList<>();

    void put(byte[] key, byte[] value) {
        putKeys.add(key);
        putValues.add(value);
    }

    void delete(byte[] key) {
        deleteKeys.add(key);
    }

    boolean isEmpty() {
        return putKeys.isEmpty() && deleteKeys.isEmpty();
    }

    void clear() {
        putKeys.clear();
        putValues.clear();
        deleteKeys.clear();
    }
}
