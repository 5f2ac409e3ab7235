package io.tributary.testsupport.process;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The options every server in a child process shares (its folder, a PID file, a time limit), for the builders of
 * those servers to extend.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ServerOptions<B extends ServerOptions<B>> {
    private Path directory;
    private Path pidFile;
    private Duration timeout = Duration.ofSeconds(60);

    protected ServerOptions() {
    }

    /** The folder for the server's data and logs; see the server for its default. */
    public B directory(Path directory) {
        this.directory = directory;
        return self();
    }

    /** A file that holds the server's PID while it runs (for cleaning up after a crash); none by default. */
    public B pidFile(Path pidFile) {
        this.pidFile = pidFile;
        return self();
    }

    /** How long a start, or any call that waits on the server, may take; 60 s by default. */
    public B timeout(Duration timeout) {
        this.timeout = timeout;
        return self();
    }

    /** The folder given, or null. */
    public Path directory() {
        return directory;
    }

    public Path pidFile() {
        return pidFile;
    }

    public Duration timeout() {
        return timeout;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
