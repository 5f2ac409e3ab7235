package io.tributary.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.KafkaConnectionSettings;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.SourceLocation;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.connectors.kafka.EmbeddedKafka;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.net.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A route whose Kafka is down logs its retries and its failure by the route's name, one line each. */
class KafkaFailureLogTest {

    @TempDir
    Path data;

    @Test
    void aRouteToADownKafkaNamesTheRouteAndKafka() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Lines lines = new Lines();
        lines.start();
        root.addAppender(lines);
        // Nothing listens there; the producer gives up on the topic's metadata after 1 s.
        KafkaConnectionSettings down = new KafkaConnectionSettings("main", "127.0.0.1:" + FreePort.onLoopback(), false,
                0, Map.of("max.block.ms", "1000", "request.timeout.ms", "1000", "delivery.timeout.ms", "1500"));
        RouteSettings toKafka = new RouteSettings("telemetry-to-kafka",
                new RouteSource.Mqtt(TopicPattern.parse("telemetry")),
                new RouteSink.Kafka("main", Template.parse("telemetry"), Optional.empty(), Map.of()), Optional.empty(),
                new RetrySettings(2, Duration.ofMillis(50), 2.0, Duration.ofSeconds(1)), Optional.empty(),
                new SourceLocation("test.yaml", 1, 1));
        Broker broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        try (TributaryBridge bridge = TributaryBridge.start(new TributaryConfig(BrokerConfig.builder().build(), data,
                new ConnectionSettings(Map.of("main", down)), List.of(toKafka), List.of()), broker, Map.of())) {
            CompletableFuture<Void> publish = broker.publish(Message.of("telemetry", "21.5", QoS.AT_LEAST_ONCE, false));
            Await.until(Duration.ofSeconds(20), "the publish failed", publish::isDone);
            assertTrue(publish.isCompletedExceptionally());
            Await.until(Duration.ofSeconds(5), "the failure logged", () -> lines.events.stream()
                    .anyMatch(event -> event.getFormattedMessage().contains("not delivered")));
        } finally {
            root.detachAppender(lines);
            broker.close();
        }

        List<String> warnings = lines.events.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .filter(event -> !event.getLoggerName().startsWith("org.apache.kafka")) // quiet in the app's logback.xml
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        String reason = "Kafka TimeoutException: Topic telemetry not present in metadata after 1000 ms.";
        assertEquals(List.of("route telemetry-to-kafka: " + reason + "; retry 1 of 1",
                "route telemetry-to-kafka: not delivered after 2 attempts, the publisher gets the failure: " + reason),
                warnings);
    }

    @Test
    void aRouteFromKafkaWhoseRecordKeepsFailingWritesOneLineForManyFailures() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Lines lines = new Lines();
        lines.start();
        String expected;
        long started;
        int attempts;
        try (WebhookServer webhook = WebhookServer.start();
             EmbeddedKafka kafka = EmbeddedKafka.builder().dataDirectory(data.resolve("kafka")).build().start()) {
            webhook.script("/commands", (request, index) -> WebhookServer.Answer.status(500));
            expected = "route commands-to-webhook: not delivered, the record is read again: webhook POST 127.0.0.1:"
                    + webhook.port() + " answered 500 Internal Server Error";
            RouteSettings fromKafka = new RouteSettings("commands-to-webhook",
                    new RouteSource.Kafka("main", "commands", "tributary-commands"),
                    new RouteSink.Http(Template.parse(webhook.url("/commands")), "POST", RouteSink.WebhookFormat.RAW,
                            Duration.ofSeconds(2), 1, Map.of(), Optional.empty()),
                    Optional.empty(), new RetrySettings(1, Duration.ofMillis(50), 2.0, Duration.ofSeconds(1)),
                    Optional.empty(), new SourceLocation("test.yaml", 1, 1));
            Broker broker = Broker.builder().config(BrokerConfig.builder()
                    .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
            broker.start().join();
            root.addAppender(lines);
            started = System.nanoTime();
            try (TributaryBridge bridge = TributaryBridge.start(new TributaryConfig(BrokerConfig.builder().build(),
                    data, new ConnectionSettings(Map.of("main", KafkaConnectionSettings.external("main",
                            kafka.bootstrapServers()))), List.of(fromKafka), List.of()), broker, Map.of());
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                         Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(),
                         new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("commands", "d1", "reboot".getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
                // The record fails and is read again, over and over.
                Await.until(Duration.ofSeconds(60), "10 attempts", () -> webhook.requests("/commands").size() >= 10);
            } finally {
                root.detachAppender(lines);
                broker.close();
            }
            attempts = webhook.requests("/commands").size();
        }

        List<String> warnings = lines.events.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                // Both quiet in the app's logback.xml: Kafka's clients, and camel-kafka's line per failed record.
                .filter(event -> !event.getLoggerName().startsWith("org.apache.kafka"))
                .filter(event -> !event.getLoggerName().endsWith("KafkaRecordStreamingProcessor"))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        // One line, then at most one per 10 s, each counting the failures left out since the previous one.
        assertEquals(expected, warnings.get(0));
        long counted = warnings.size();
        for (String line : warnings.subList(1, warnings.size())) {
            Matcher count = Pattern.compile(Pattern.quote(expected)
                    + " \\((\\d+) more like it in the 10 s after the previous line\\)").matcher(line);
            assertTrue(count.matches(), line);
            counted += Long.parseLong(count.group(1));
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(warnings.size() <= 1 + seconds / 10 + 1, seconds + " s: " + warnings);
        assertTrue(counted <= attempts, counted + " failures logged or counted, " + attempts + " made");
    }

    /** Every logger's events, from every thread. */
    private static final class Lines extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    }
}
