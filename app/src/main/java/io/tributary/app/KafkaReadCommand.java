package io.tributary.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tributary kafka-read --topic T}: prints the records of a Kafka topic, so that the quick start can
 * show what reached the embedded Kafka without installing Kafka's tools. It reads without a consumer group
 * commit, so it never moves a route's offsets.
 */
@Command(name = "kafka-read", mixinStandardHelpOptions = true,
        description = {"Prints the records of a Kafka topic from the beginning: key, headers and value.",
            "Stops after --idle without new records, or runs on with --follow."})
final class KafkaReadCommand implements Callable<Integer> {

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
            description = "The Kafka cluster (default: ${DEFAULT-VALUE}, the quick start's embedded Kafka).")
    String bootstrapServers;

    @Option(names = "--idle", paramLabel = "SECONDS", defaultValue = "5",
            description = "Stop after this many seconds without a new record (default: ${DEFAULT-VALUE}).")
    int idleSeconds;

    @Option(names = {"-f", "--follow"}, description = "Keep reading until interrupted.")
    boolean follow;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "tributary-kafka-read-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long idleSince = System.nanoTime();
            while (follow || System.nanoTime() - idleSince < Duration.ofSeconds(idleSeconds).toNanos()) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    out.println(format(record));
                    idleSince = System.nanoTime();
                }
                out.flush();
            }
            return TributaryCommand.OK;
        } catch (KafkaException e) {
            spec.commandLine().getErr().println("tributary: cannot read " + topic + " from " + bootstrapServers
                    + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return TributaryCommand.FAILED;
        }
    }

    private static String format(ConsumerRecord<String, byte[]> record) {
        StringBuilder line = new StringBuilder();
        line.append(record.topic()).append('/').append(record.partition()).append('@').append(record.offset())
                .append(" key=").append(record.key());
        for (Header header : record.headers()) {
            line.append(' ').append(header.key()).append('=')
                    .append(header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        return line.append(" value=").append(new String(record.value(), StandardCharsets.UTF_8)).toString();
    }
}
