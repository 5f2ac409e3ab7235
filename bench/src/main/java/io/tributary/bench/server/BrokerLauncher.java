package io.tributary.bench.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** How to start one kind of broker in its own process on a given loopback port. */
public interface BrokerLauncher {

    /** A short name for files and options, such as {@code mosquitto}. */
    String id();

    /** The name shown in reports, such as {@code Mosquitto}. */
    String displayName();

    /** The settings that matter for a fair comparison, in one line for the report. */
    String settings();

    /**
     * The command line that runs the broker in the foreground on {@code 127.0.0.1:port}.
     *
     * @param workDir a fresh folder this broker instance may write its configuration and data into
     */
    List<String> command(int port, Path workDir) throws IOException;
}
