package io.tributary.connectors.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an {@link EmbeddedKafka} as a process of its own, for tests that kill Kafka by its PID or must not share
 * its JVM. Prints {@value #READY_PREFIX} and the bootstrap servers on one line of standard output once clients
 * can connect; stops cleanly on SIGTERM.
 *
 * <pre>
 * java -cp ... io.tributary.connectors.kafka.EmbeddedKafkaMain --data-dir DIR [--port N] [--controller-port N]
 *      [--node-id N] [--property key=value]... [--exit-on-stdin-eof]
 * </pre>
 *
 * With {@code --exit-on-stdin-eof} it also stops when its standard input closes, which is what happens when the
 * process that started it dies: no Kafka is left running behind a crashed test JVM.
 */
public final class EmbeddedKafkaMain {
    /** The start of the line printed when Kafka is ready; the bootstrap servers follow it. */
    public static final String READY_PREFIX = "EMBEDDED_KAFKA_READY ";

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) {
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
        boolean exitOnStdinEof = false;
        boolean hasDataDirectory = false;
        List<String> rest = new ArrayList<>(List.of(args));
        try {
            while (!rest.isEmpty()) {
                String option = rest.remove(0);
                switch (option) {
                    case "--data-dir" -> {
                        builder.dataDirectory(Path.of(value(option, rest)));
                        hasDataDirectory = true;
                    }
                    case "--port" -> builder.port(Integer.parseInt(value(option, rest)));
                    case "--controller-port" -> builder.controllerPort(Integer.parseInt(value(option, rest)));
                    case "--node-id" -> builder.nodeId(Integer.parseInt(value(option, rest)));
                    case "--property" -> {
                        String property = value(option, rest);
                        int equals = property.indexOf('=');
                        if (equals < 1) {
                            throw new IllegalArgumentException("--property takes key=value, not " + property);
                        }
                        builder.property(property.substring(0, equals), property.substring(equals + 1));
                    }
                    case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
                    default -> throw new IllegalArgumentException("Unknown option " + option);
                }
            }
            if (!hasDataDirectory) {
                throw new IllegalArgumentException("--data-dir is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }

        EmbeddedKafka kafka = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "embedded-kafka-shutdown"));
        try {
            kafka.start();
        } catch (RuntimeException e) {
            System.err.println("Kafka did not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println(READY_PREFIX + kafka.bootstrapServers());
        System.out.flush();
        if (exitOnStdinEof) {
            exitOnEndOf(System.in);
        }
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static void exitOnEndOf(InputStream in) {
        try {
            while (in.read() >= 0) {
                // Whatever the parent writes is ignored: only the end of the stream matters.
            }
        } catch (IOException e) {
            // A broken pipe means the same as the end of the stream.
        }
        System.exit(0);
    }
}
