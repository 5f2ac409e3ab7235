package io.tributary.bench.baseline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The baseline of the MQTT → Kafka benchmark: the plain Camel route a user would write to bridge an MQTT broker to
 * Kafka, run in a JVM of its own beside Mosquitto.
 *
 * <pre>
 * from("paho:FILTER?brokerUrl=URL&amp;qos=1&amp;clientId=ID").to("kafka:TOPIC?brokers=BOOTSTRAP")
 * </pre>
 *
 * camel-paho and camel-kafka at their defaults, in a {@link DefaultCamelContext}. Prints {@value #READY_PREFIX} once
 * the route has started (its Paho client is connected and subscribed); stops on SIGTERM, or when its standard input
 * ends with {@code --exit-on-stdin-eof} (the driver that started it died).
 *
 * <pre>
 * java -cp ... io.tributary.bench.baseline.PahoKafkaBridgeMain --mqtt tcp://127.0.0.1:1883 --filter bench/+/telemetry
 *      --brokers 127.0.0.1:9092 --topic telemetry [--client-id ID] [--exit-on-stdin-eof]
 * </pre>
 */
public final class PahoKafkaBridgeMain {

    /** The start of the line printed once the route runs. */
    public static final String READY_PREFIX = "PAHO_KAFKA_BRIDGE_READY ";

    private PahoKafkaBridgeMain() {
    }

    /** The route's source endpoint. */
    public static String routeFrom(String filter, String mqttUrl, String clientId) {
        return "paho:" + filter + "?brokerUrl=" + mqttUrl + "&qos=1&clientId=" + clientId;
    }

    /** The route's target endpoint. */
    public static String routeTo(String topic, String brokers) {
        return "kafka:" + topic + "?brokers=" + brokers;
    }

    public static void main(String[] args) throws Exception {
        String mqtt = null;
        String filter = "bench/+/telemetry";
        String brokers = null;
        String topic = null;
        String clientId = "camel-bridge-" + ProcessHandle.current().pid();
        boolean exitOnStdinEof = false;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--mqtt" -> mqtt = value(option, rest);
                case "--filter" -> filter = value(option, rest);
                case "--brokers" -> brokers = value(option, rest);
                case "--topic" -> topic = value(option, rest);
                case "--client-id" -> clientId = value(option, rest);
                case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
                default -> usage("unknown option " + option);
            }
        }
        if (mqtt == null || brokers == null || topic == null) {
            usage("--mqtt, --brokers and --topic are required");
        }
        String from = routeFrom(filter, mqtt, clientId);
        String to = routeTo(topic, brokers);

        DefaultCamelContext context = new DefaultCamelContext();
        // Only how long a stop may take, so that the benchmark's SIGTERM ends the process promptly.
        context.getShutdownStrategy().setTimeout(10);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId("mqtt-to-kafka").to(to);
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                context.stop();
            } finally {
                stopped.countDown();
            }
        }, "bridge-stop"));
        context.start();
        System.out.println(READY_PREFIX + from + " -> " + to);
        System.out.flush();
        if (exitOnStdinEof) {
            try {
                while (System.in.read() >= 0) {
                    // Whatever the parent writes is ignored: only the end of the stream matters.
                }
            } catch (IOException e) {
                // A broken pipe means the same as the end of the stream.
            }
            System.exit(0);
        }
        stopped.await();
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            usage(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: PahoKafkaBridgeMain --mqtt tcp://HOST:PORT [--filter bench/+/telemetry] "
                + "--brokers HOST:PORT --topic TOPIC [--client-id ID] [--exit-on-stdin-eof]");
        System.exit(2);
    }
}
