package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteErrorTest {

    private static final String MAIN = "connections: { kafka: { main: { bootstrap-servers: \"k:9092\" } } }\n";

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void unknownKeyInARouteSuggestsTheClosest() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a/b" }
                    to: { mqtt: { topic: "c" } }
                    conditon: "{topic} exists"
                """));

        assertEquals("5:5: routes[0].conditon: unknown key 'conditon' (did you mean 'condition'?); allowed keys: "
                + "name, from, to, condition, retry, dead-letter, ack, buffer", at(error));
    }

    @Test
    void unknownConnectionListsTheKnownOnes() {
        ConfigError error = only(files.errors(MAIN + """
                routes:
                  - name: r
                    from: { mqtt: "a/b" }
                    to: { kafka: { connection: mian, topic: t } }
                """));

        assertEquals("5:32: routes[0].to.kafka.connection: unknown connection 'mian' (did you mean 'main'?); "
                + "known Kafka connections: main", at(error));
    }

    @Test
    void connectionWithoutAnyDeclaredSaysSo() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { kafka: { connection: main, topic: t } }
                    to: { mqtt: { topic: "c" } }
                """));

        assertEquals("3:34: routes[0].from.kafka.connection: unknown connection 'main'; no Kafka connection is "
                + "declared under connections.kafka", at(error));
    }

    @Test
    void unknownTemplateVariableListsWhatTheSourceGives() {
        ConfigError error = only(files.errors(MAIN + """
                routes:
                  - name: r
                    from: { mqtt: "sites/{site}/telemetry" }
                    to: { kafka: { connection: main, topic: "telemetry.{sitee}" } }
                """));

        assertEquals("5:45: routes[0].to.kafka.topic: unknown variable {sitee} (did you mean {site}?); known: "
                + "site, topic, client-id, qos, header.*, json.*, timestamp, payload", at(error));
    }

    @Test
    void kafkaSourceGivesKeyTopicPartitionAndOffset() {
        ConfigError error = only(files.errors(MAIN + """
                routes:
                  - name: r
                    from: { kafka: { connection: main, topic: t } }
                    to: { mqtt: { topic: "devices/{device}" } }
                """));

        assertEquals("5:26: routes[0].to.mqtt.topic: unknown variable {device}; known: key, topic, partition, "
                + "offset, header.*, json.*, timestamp, payload", at(error));
    }

    @Test
    void errorVariableIsForTheDeadLetterOnly() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a/b" }
                    to: { mqtt: { topic: "failed/{error}" } }
                    dead-letter: { mqtt: { topic: "failed/{route}", qos: 1 } }
                """));

        assertEquals("4:26: routes[0].to.mqtt.topic: unknown variable {error}; known: topic, client-id, qos, "
                + "header.*, json.*, timestamp, payload", at(error));
    }

    @Test
    void deadLetterNeedsExactlyOneDestination() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a/b" }
                    to: { mqtt: { topic: "c" } }
                    dead-letter: {}
                """));

        assertEquals("5:18: routes[0].dead-letter: expected exactly one of the keys kafka, mqtt, http, jdbc, "
                + "got none", at(error));
    }

    @Test
    void duplicateRouteNameNamesTheLineOfTheFirst() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b" } }
                  - name: r
                    from: { mqtt: "c" }
                    to: { mqtt: { topic: "d" } }
                """));

        assertEquals("5:11: routes[1].name: name 'r' is already used by routes[0] (line 2); give each route a "
                + "unique name", at(error));
    }

    @Test
    void sourceWithBothMqttAndKafkaIsAnError() {
        ConfigError error = only(files.errors(MAIN + """
                routes:
                  - name: r
                    from: { mqtt: "a", kafka: { connection: main, topic: t } }
                    to: { mqtt: { topic: "b" } }
                """));

        assertEquals("4:11: routes[0].from: expected exactly one of the keys mqtt, kafka, got mqtt and kafka",
                at(error));
    }

    @Test
    void missingRequiredKeysAreReportedAtTheRoute() {
        List<ConfigError> errors = files.errors("""
                routes:
                  - from: { mqtt: "a" }
                """);

        assertEquals(List.of("2:5: routes[0].name: missing; expected a name of letters, digits, '.', '_' or '-'",
                "2:5: routes[0].to: missing; expected a mapping with one of the keys kafka, mqtt, http, "
                        + "jdbc"),
                errors.stream().map(ConnectionsSectionTest::at).toList());
    }

    @Test
    void malformedTopicFilterGivesItsProblem() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a/b+/c" }
                    to: { mqtt: { topic: "d" } }
                """));

        assertEquals("3:19: routes[0].from.mqtt: '+' and '#' must be whole levels: 'b+' in 'a/b+/c'", at(error));
    }

    @Test
    void malformedSourceIsOneErrorNotOneMorePerTemplate() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a/{x" }
                    to: { mqtt: { topic: "b/{x}" } }
                """));

        assertEquals("routes[0].from.mqtt", error.path());
    }

    @Test
    void publishTopicWithAWildcardIsAnError() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a/{x}" }
                    to: { mqtt: { topic: "b/+/{x}" } }
                """));

        assertEquals("4:26: routes[0].to.mqtt.topic: expected a topic to publish to, not empty and without the "
                + "wildcards '+' and '#', got 'b/+/{x}'", at(error));
    }

    @Test
    void kafkaTopicTemplateWithASlashIsAnError() {
        ConfigError error = only(files.errors(MAIN + """
                routes:
                  - name: r
                    from: { mqtt: "sites/{site}" }
                    to: { kafka: { connection: main, topic: "sites/{site}" } }
                """));

        assertEquals("5:45: routes[0].to.kafka.topic: expected a Kafka topic name of letters, digits, '.', '_' or "
                + "'-', at most 249 characters (variables aside), got 'sites/{site}'", at(error));
    }

    @Test
    void unquotedTemplateIsExplained() {
        ConfigError error = only(files.errors(MAIN + """
                routes:
                  - name: r
                    from: { mqtt: "devices/{device}" }
                    to:
                      kafka:
                        connection: main
                        topic: telemetry
                        key: {device}
                """));

        assertEquals("9:14: routes[0].to.kafka.key: expected a template, got a mapping: YAML reads a value that "
                + "starts with '{' as a mapping, so quote it, as in \"{device}\"", at(error));
    }

    @Test
    void malformedConditionSaysWhereAndWhat() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a/{x}" }
                    to: { mqtt: { topic: "b" } }
                    condition: "{x} = 'y'"
                """));

        assertEquals("5:16: routes[0].condition: expected an operator (==, !=, >, >=, <, <=, contains, matches or "
                + "exists) at character 5 of '{x} = 'y'', got '=' (write == to compare)", at(error));
    }

    @Test
    void conditionVariablesAreCheckedAgainstTheSource() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a/{x}" }
                    to: { mqtt: { topic: "b" } }
                    condition: "{y} exists"
                """));

        assertEquals("5:16: routes[0].condition: unknown variable {y}; known: x, topic, client-id, qos, header.*, "
                + "json.*, timestamp, payload", at(error));
    }

    @Test
    void badDurationSaysWhatADurationLooksLike() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b" } }
                    retry: { initial-backoff: 5 seconds }
                """));

        assertEquals("5:31: routes[0].retry.initial-backoff: expected a duration such as 500ms, 5s or 2m, got "
                + "'5 seconds'", at(error));
    }

    @Test
    void maxBackoffShorterThanInitialBackoffIsAnError() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b" } }
                    retry: { initial-backoff: 1m }
                """));

        assertEquals("5:31: routes[0].retry.initial-backoff: max-backoff 30s is shorter than initial-backoff 1m",
                at(error));
    }

    @Test
    void unknownAckModeListsTheModes() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b" } }
                    ack: disk
                """));

        assertEquals("5:10: routes[0].ack: expected one of sink, buffer, got 'disk'", at(error));
    }

    @Test
    void bufferedKafkaSourceIsAnError() {
        ConfigError error = only(files.errors(MAIN + """
                routes:
                  - name: r
                    from: { kafka: { connection: main, topic: t } }
                    to: { mqtt: { topic: "b" } }
                    ack: buffer
                """));

        assertEquals("6:10: routes[0].ack: ack: buffer needs an mqtt source; a Kafka record is committed only after "
                + "its delivery, so it needs no buffer: remove ack or read from mqtt", at(error));
    }

    @Test
    void bufferWithoutAckBufferIsAnError() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b" } }
                    buffer: { max-messages: 10 }
                """));

        assertEquals("5:13: routes[0].buffer: buffer applies only with ack: buffer; add ack: buffer or remove buffer",
                at(error));
    }

    @Test
    void bufferBoundOutOfRangeIsAnError() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b" } }
                    ack: buffer
                    buffer: { max-messages: 0, when-full: drop }
                """).subList(0, 1));

        assertEquals("6:29: routes[0].buffer.max-messages: expected an integer 1-1000000000, got '0'", at(error));
    }

    @Test
    void unknownWhenFullPolicyListsThePolicies() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b" } }
                    ack: buffer
                    buffer: { when-full: drop }
                """));

        assertEquals("6:26: routes[0].buffer.when-full: expected one of hold, refuse, got 'drop'", at(error));
    }

    @Test
    void multiplierBelowOneIsAnError() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b" } }
                    retry: { multiplier: 0.5 }
                """));

        assertEquals("5:26: routes[0].retry.multiplier: expected a number of at least 1, got '0.5'", at(error));
    }

    @Test
    void qosOutOfRangeIsAnError() {
        ConfigError error = only(files.errors("""
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { mqtt: { topic: "b", qos: 3 } }
                """));

        assertEquals("4:36: routes[0].to.mqtt.qos: expected 0, 1 or 2, got '3'", at(error));
    }

    @Test
    void everyErrorOfEveryRouteIsReportedInOneLoad() {
        List<ConfigError> errors = files.errors(MAIN + """
                routes:
                  - name: first
                    from: { mqtt: "sites/{site}" }
                    to: { kafka: { connection: other, topic: "t.{sitee}" } }
                    retry: { max-attempts: 0 }
                  - name: second route
                    from: { kafka: { connection: main, topic: "a/b" } }
                    to: { mqtt: { topic: "x", qos: high } }
                """);

        assertEquals(List.of("routes[0].to.kafka.connection", "routes[0].to.kafka.topic",
                "routes[0].retry.max-attempts", "routes[1].name", "routes[1].from.kafka.topic",
                "routes[1].to.mqtt.qos"), errors.stream().map(ConfigError::path).toList());
    }
}
