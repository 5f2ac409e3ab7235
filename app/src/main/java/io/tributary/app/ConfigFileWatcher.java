package io.tributary.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when the content of a configuration file changes, checking it at a fixed interval. Reading the
 * content, rather than watching folder events, also sees a file replaced by a rename or behind a symbolic link
 * that was switched (as Kubernetes does with a mounted ConfigMap). A file that cannot be read is reported once
 * and checked again; nothing is called until it can be read and differs from what was last seen.
 */
final class ConfigFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final Runnable onChange;
    private final ScheduledExecutorService timer;
    /** Timer thread only. */
    private byte[] lastDigest;
    private boolean unreadable;

    /**
     * Starts checking {@code file}. The first check always calls back, so that an edit made while Tributary
     * was starting is not missed (applying an unchanged file changes nothing).
     *
     * @param onChange called on the watcher's thread, one call at a time
     */
    ConfigFileWatcher(Path file, Duration interval, Runnable onChange) {
        this.file = file;
        this.onChange = onChange;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-config-watcher");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        byte[] now = digest();
        if (now == null || Arrays.equals(now, lastDigest)) {
            return;
        }
        lastDigest = now;
        try {
            onChange.run();
        } catch (RuntimeException e) {
            LOG.error("Reloading {} failed: {}", file, e.toString());
        }
    }

    /** The file's SHA-256, or null when it cannot be read now. */
    private byte[] digest() {
        try {
            byte[] content = Files.readAllBytes(file);
            if (unreadable) {
                LOG.info("{} can be read again", file);
                unreadable = false;
            }
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (IOException e) {
            if (!unreadable) {
                LOG.warn("{} cannot be read ({}); the running configuration stays until it can", file, e.toString());
                unreadable = true;
            }
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void close() {
        // A reload in progress finishes: the bridge makes a stop wait for it.
        timer.shutdown();
    }
}
