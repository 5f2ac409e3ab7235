package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.BrokerStateStore;
import io.tributary.storage.OwnerOnlyFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the broker's state in one file, {@value #FILE_NAME}, in a directory of its own (format:
 * {@link SnapshotFormat}). A save writes a temporary file, forces it to disk, moves it over the previous one
 * atomically and forces the directory, so that at every instant the file is either the previous state or the
 * new one, whole. The directory is locked from {@link #load()} to {@link #close()}: two brokers never share it.
 *
 * <p>A file that exists but cannot be read fails {@link #load()} and is left as it is, never overwritten by a
 * broker that started empty.
 */
public final class FileStateStore implements BrokerStateStore {
    /** The snapshot's name in the directory. */
    public static final String FILE_NAME = "broker-state.bin";
    private static final String TEMPORARY_NAME = FILE_NAME + ".tmp";
    private static final String LOCK_NAME = "broker-state.lock";
    private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

    private final Path directory;
    private final Path file;
    private FileChannel lockChannel;
    private FileLock lock;

    public FileStateStore(Path directory) {
        this.directory = directory.toAbsolutePath();
        this.file = this.directory.resolve(FILE_NAME);
    }

    /** The snapshot file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<BrokerState> load() throws IOException {
        try {
            lockDirectory();
        } catch (IOException e) {
            throw new IOException("cannot use " + directory + " for the broker state: " + e.getMessage(), e);
        }
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            long size = Files.size(file);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                SnapshotReader.verify(in, size);
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                return Optional.of(SnapshotReader.read(in, size));
            }
        } catch (IOException e) {
            throw new IOException("cannot load the broker state from " + file + ": " + e.getMessage()
                    + ". The file is left as it is; move it away to start without the saved sessions and retained"
                    + " messages", e);
        }
    }

    @Override
    public synchronized void save(BrokerState state) throws IOException {
        Path temporary = directory.resolve(TEMPORARY_NAME);
        try {
            // Sessions and retained messages are the devices' data: owner-only, like the folder.
            try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), OwnerOnlyFiles.fileAttributes())) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                SnapshotWriter.write(state, out);
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot replace a file atomically", e);
            }
            forceDirectory();
        } catch (IOException e) {
            IOException failure = new IOException("cannot save the broker state to " + file + ": " + e.getMessage()
                    + "; the previous state, if any, is still there", e);
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (lockChannel != null) {
            try {
                lockChannel.close(); // releases the lock
            } finally {
                lockChannel = null;
                lock = null;
            }
        }
    }

    private void lockDirectory() throws IOException {
        if (lock != null) {
            return;
        }
        OwnerOnlyFiles.createDirectories(directory);
        Path lockFile = directory.resolve(LOCK_NAME);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            taken = null; // held by another broker in this process
        }
        if (taken == null) {
            channel.close();
            throw new IOException("another broker uses it (" + lockFile + " is locked)");
        }
        lockChannel = channel;
        lock = taken;
    }

    /** Makes the move itself durable. Not every platform can open a directory (Windows cannot): then skip it. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot force directory {} to disk: {}", directory, e.toString());
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
