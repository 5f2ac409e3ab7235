package io.tributary.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Tributary as a user runs it: {@code java -jar tributary.jar run --config FILE}, one process, with the JVM flags of
 * the broker benchmark and a configuration file written for the port it is started on. The configuration (routes
 * and connections) is the caller's: the Kafka benchmark routes to Kafka, the sink benchmark to SQL and webhooks.
 *
 * @param config the YAML configuration for an MQTT listener on {@code 127.0.0.1:port}, given the port
 * @param jvmFlags the JVM's flags: those of the broker benchmark unless a comparison of flags asks otherwise
 */
public record TributaryApp(Path appJar, String id, String displayName, String settings, IntFunction<String> config,
                           List<String> jvmFlags) implements BrokerLauncher {

    /** With the broker benchmark's JVM flags. */
    public TributaryApp(Path appJar, String id, String displayName, String settings, IntFunction<String> config) {
        this(appJar, id, displayName, settings, config, JvmBrokerLauncher.SHARED_FLAGS);
    }

    /** The {@code broker:} section every benchmark configuration starts with: one TCP listener, defaults otherwise. */
    public static String brokerSection(int port) {
        return """
                broker:
                  listeners: [ { type: tcp, host: 127.0.0.1, port: %d } ]
                """.formatted(port);
    }

    /** Writes {@code workDir/tributary.yaml} and returns the command that runs the jar with it. */
    @Override
    public List<String> command(int port, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path file = workDir.resolve("tributary.yaml");
        Files.writeString(file, config.apply(port));
        List<String> command = new ArrayList<>();
        command.add(JvmBrokerLauncher.java());
        command.addAll(jvmFlags);
        command.add("-jar");
        command.add(appJar.toString());
        command.add("run");
        command.add("--config");
        command.add(file.toString());
        return command;
    }
}
