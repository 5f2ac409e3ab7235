package io.tributary.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.BrokerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store: where it writes, how it replaces, and what it refuses. */
class FileStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryWithoutSnapshotLoadsNothingAndIsCreatedIfMissing() throws IOException {
        Path missing = dir.resolve("not/yet");
        try (FileStateStore store = new FileStateStore(missing)) {
            assertEquals(Optional.empty(), store.load());
            assertTrue(Files.isDirectory(missing));
        }
    }

    @Test
    void theFolderItCreatesAndTheStateFileAreTheOwnersOnly() throws IOException {
        Path missing = dir.resolve("data/broker");
        try (FileStateStore store = new FileStateStore(missing)) {
            store.load();
            store.save(States.everything());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(missing)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(missing.resolve("broker-state.bin"))));
    }

    @Test
    void aSavedStateLoadsBackAndNoTemporaryFileStays() throws IOException {
        try (FileStateStore store = new FileStateStore(dir)) {
            store.load();
            store.save(States.everything());
        }
        try (FileStateStore store = new FileStateStore(dir)) {
            assertEquals(States.describe(States.everything()), States.describe(store.load().orElseThrow()));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("broker-state.bin", "broker-state.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aDamagedFileFailsTheLoadNamingTheFileAndIsLeftAsItIs() throws IOException {
        try (FileStateStore store = new FileStateStore(dir)) {
            store.load();
            store.save(States.everything());
        }
        Path file = dir.resolve(FileStateStore.FILE_NAME);
        byte[] damaged = Files.readAllBytes(file);
        damaged[damaged.length / 2] ^= 1;
        Files.write(file, damaged);
        try (FileStateStore store = new FileStateStore(dir)) {
            IOException refused = assertThrows(IOException.class, store::load);
            assertTrue(refused.getMessage().contains(file.toAbsolutePath().toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("damaged"), refused.getMessage());
        }
        assertArrayEquals(damaged, Files.readAllBytes(file));
    }

    @Test
    void aFailedSaveLeavesThePreviousStateLoadable() throws IOException {
        try (FileStateStore store = new FileStateStore(dir)) {
            store.load();
            store.save(States.everything());
        }
        byte[] before = Files.readAllBytes(dir.resolve(FileStateStore.FILE_NAME));
        // A directory where the temporary file goes makes the write fail.
        Files.createDirectories(dir.resolve(FileStateStore.FILE_NAME + ".tmp").resolve("in-the-way"));
        try (FileStateStore store = new FileStateStore(dir)) {
            store.load();
            IOException failed = assertThrows(IOException.class,
                    () -> store.save(new BrokerState(1L, List.of(), List.of())));
            assertTrue(failed.getMessage().contains(FileStateStore.FILE_NAME), failed.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(FileStateStore.FILE_NAME)));
    }

    @Test
    void twoStoresCannotUseOneDirectoryAtOnce() throws IOException {
        try (FileStateStore first = new FileStateStore(dir)) {
            first.load();
            try (FileStateStore second = new FileStateStore(dir)) {
                IOException refused = assertThrows(IOException.class, second::load);
                assertTrue(refused.getMessage().contains("another broker"), refused.getMessage());
            }
        }
        try (FileStateStore afterwards = new FileStateStore(dir)) {
            assertFalse(afterwards.load().isPresent());
        }
    }
}
