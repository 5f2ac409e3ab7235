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
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.net.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** Every logger's events, from every thread. */
    private static final class Lines extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    }
}
