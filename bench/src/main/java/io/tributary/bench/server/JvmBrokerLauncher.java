package io.tributary.bench.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a broker that runs on the JVM (Tributary, HiveMQ CE) from a main class of this module, in a JVM of its own
 * with the flags given, on this JVM's class path.
 */
public record JvmBrokerLauncher(String id, String displayName, String mainClass, List<String> jvmFlags,
                                String brokerSettings, List<String> extraArgs) implements BrokerLauncher {

    /**
     * The flags both JVM brokers get. The {@code --add-opens}/{@code --add-exports} are what HiveMQ's own start
     * script passes so Netty may use direct buffers without reflection warnings; Tributary runs Netty too, so it gets
     * the same.
     */
    public static final List<String> SHARED_FLAGS = List.of(
            "-Xmx1g",
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.net.preferIPv4Stack=true",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    /**
     * @param mainClass a main class taking {@code PORT WORK_DIR} and then {@code extraArgs}
     * @param brokerSettings the broker's own settings, for the report (the JVM flags are added to them)
     */
    public JvmBrokerLauncher {
        jvmFlags = List.copyOf(jvmFlags);
        extraArgs = List.copyOf(extraArgs);
    }

    @Override
    public String settings() {
        return brokerSettings + "; JVM flags: " + String.join(" ", jvmFlags);
    }

    @Override
    public List<String> command(int port, Path workDir) {
        List<String> command = javaCommand(jvmFlags, mainClass);
        command.add(Integer.toString(port));
        command.add(workDir.toString());
        command.addAll(extraArgs);
        return command;
    }

    /** The benchmark's logging configuration, for every JVM it starts: logging only, not a performance setting. */
    public static final String LOGGING_FLAG = "-Dlogback.configurationFile=bench-logback.xml";

    /** The {@code java} binary of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A command line that runs {@code mainClass} in a JVM of its own with {@code jvmFlags}, on this JVM's class path
     * and with the benchmark's logging configuration; the main class's arguments are for the caller to add.
     */
    public static List<String> javaCommand(List<String> jvmFlags, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.add(LOGGING_FLAG);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }
}
