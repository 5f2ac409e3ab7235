package io.tributary.app;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary kafka-write --topic T [--key K] VALUE}: writes one record, so that the quick start can
 * send a command through Kafka without installing Kafka's tools.
 */
@Command(name = "kafka-write", mixinStandardHelpOptions = true,
        description = "Writes one record to a Kafka topic and prints where it landed.")
final class KafkaWriteCommand implements Callable<Integer> {

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "The topic to write to.")
    String topic;

    @Option(names = {"-k", "--key"}, paramLabel = "KEY", description = "The record key (default: none).")
    String key;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "A record header; repeatable.")
    List<String> headers = List.of();

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
            description = "The Kafka cluster (default: ${DEFAULT-VALUE}, the quick start's embedded Kafka).")
    String bootstrapServers;

    @Parameters(index = "0", paramLabel = "VALUE", description = "The record value, as UTF-8 text.")
    String value;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
        for (String header : headers) {
            int equals = header.indexOf('=');
            if (equals < 1) {
                return fail("--header expects NAME=VALUE, got '" + header + "'");
            }
            record.headers().add(header.substring(0, equals),
                    header.substring(equals + 1).getBytes(StandardCharsets.UTF_8));
        }
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            RecordMetadata written = producer.send(record).get(20, TimeUnit.SECONDS);
            spec.commandLine().getOut().println(written.topic() + "/" + written.partition() + "@" + written.offset());
            spec.commandLine().getOut().flush();
            return TributaryCommand.OK;
        } catch (ExecutionException e) {
            return fail("cannot write to " + topic + " at " + bootstrapServers + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return fail("no answer from " + bootstrapServers + " within 20 seconds");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        } catch (RuntimeException e) {
            return fail("cannot write to " + topic + " at " + bootstrapServers + ": " + e.getMessage());
        }
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("tributary: " + message);
        spec.commandLine().getErr().flush();
        return TributaryCommand.FAILED;
    }
}
