package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.bridge.config.ConfigLoader;
import io.tributary.bridge.config.HostedConfig;
import io.tributary.bridge.config.RouteSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example {@code tributary.yaml} that the zip ships loads as HiveMQ would load it. */
class ExampleConfigTest {

    static final Path EXAMPLE = Path.of("src", "main", "extension", "tributary.yaml");

    @TempDir
    Path data;

    @Test
    void theShippedExampleLoadsInsideHiveMq() throws Exception {
        HostedConfig config = new ConfigLoader(Map.of()).hostedBy("HiveMQ", data).loadHosted(EXAMPLE);

        assertEquals(List.of("telemetry-to-kafka", "commands-to-devices"),
                config.config().routes().stream().map(RouteSettings::name).toList());
        assertEquals("localhost:9092", config.config().connections().kafka().get("main").bootstrapServers());
        assertEquals(Duration.ofMinutes(10), config.hivemq().holdTimeout());
        assertEquals(data, config.config().dataDirectory());
    }

    @Test
    void itsKafkaIsSetByTheVariableItsCommentNames() throws Exception {
        HostedConfig config = new ConfigLoader(Map.of("TRIBUTARY_CONNECTIONS_KAFKA_MAIN_BOOTSTRAP_SERVERS",
                "kafka.example:9093")).hostedBy("HiveMQ", data).loadHosted(EXAMPLE);

        assertEquals("kafka.example:9093", config.config().connections().kafka().get("main").bootstrapServers());
    }
}
