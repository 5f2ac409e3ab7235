package io.tributary.bench.cli;

import io.tributary.bench.load.Target;
import picocli.CommandLine.Option;

/** A broker already running, for {@code drive} and {@code idle}. */
final class TargetOptions {

    @Option(names = "--port", required = true, paramLabel = "P") int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H") String host;

    @Option(names = "--pid", defaultValue = "0", paramLabel = "PID",
            description = "the broker's process: its memory and CPU go into the report")
    long pid;

    @Option(names = "--name", defaultValue = "broker", paramLabel = "NAME") String name;

    Target target() {
        return new Target(name, host, port, pid);
    }
}
