package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.QueueFullPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {

    @TempDir
    Path folder;

    private ConfigFiles withEnvironment(Map<String, String> variables) {
        return new ConfigFiles(folder).withEnvironment(variables);
    }

    @Test
    void overrideVariableWinsOverTheFile() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of("TRIBUTARY_BROKER_MAX_PACKET_SIZE", "2048"))
                .load("broker: { max-packet-size: 1024 }");

        assertEquals(2048, config.broker().maxPacketSize());
    }

    @Test
    void overrideVariableAppliesWithoutABrokerSection() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of("TRIBUTARY_BROKER_QUEUE_FULL_POLICY", "drop-oldest"))
                .load("");

        assertEquals(QueueFullPolicy.DROP_OLDEST, config.broker().queueFullPolicy());
    }

    @Test
    void overrideVariableNameIsTheKeyPathUpperCasedWithUnderscores() {
        assertEquals("TRIBUTARY_BROKER_MAX_SESSION_EXPIRY",
                EnvOverrides.variable(List.of("broker", "max-session-expiry")));
    }

    @Test
    void invalidOverrideNamesTheVariable() {
        ConfigError error = withEnvironment(Map.of("TRIBUTARY_BROKER_MAX_INFLIGHT", "lots")).errors("").get(0);

        assertEquals("environment variable TRIBUTARY_BROKER_MAX_INFLIGHT: broker.max-inflight: "
                + "expected an integer 1-65535, got 'lots'", error.render());
    }

    @Test
    void misspelledOverrideVariableIsAnError() {
        List<ConfigError> errors = withEnvironment(Map.of("TRIBUTARY_BROKER_MAX_INFLIGT", "3")).errors("");

        assertEquals(1, errors.size());
        assertTrue(errors.get(0).render().startsWith("environment variable TRIBUTARY_BROKER_MAX_INFLIGT: "
                + "matches no key of 'broker' (did you mean TRIBUTARY_BROKER_MAX_INFLIGHT?)"), errors.get(0).render());
    }

    @Test
    void listenersCannotBeOverriddenByOneVariable() {
        List<ConfigError> errors = withEnvironment(Map.of("TRIBUTARY_BROKER_LISTENERS", "tcp")).errors("");

        assertEquals(1, errors.size());
        assertTrue(errors.get(0).message().startsWith("matches no key of 'broker'"), errors.get(0).message());
    }

    @Test
    void otherTributaryVariablesAreNotOverrides() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of("TRIBUTARY_LOG_FORMAT", "json")).load("");

        assertEquals(new ConfigFiles(folder).defaults(), config);
    }

    @Test
    void referenceIsReplacedByTheVariable() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of("MQTT_PORT", "1999", "BIND", "0.0.0.0")).load("""
                broker:
                  listeners:
                    - host: ${BIND}
                      port: ${MQTT_PORT}
                """);

        assertEquals("0.0.0.0", config.broker().listeners().get(0).host());
        assertEquals(1999, config.broker().listeners().get(0).port());
    }

    @Test
    void referenceDefaultIsUsedWhenTheVariableIsUnset() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of()).load("broker: { max-inflight: '${INFLIGHT:-32}' }");

        assertEquals(32, config.broker().maxInFlight());
    }

    @Test
    void referenceDefaultIsUsedWhenTheVariableIsEmpty() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of("INFLIGHT", "")).load("broker: { max-inflight: '${INFLIGHT:-32}' }");

        assertEquals(32, config.broker().maxInFlight());
    }

    @Test
    void referenceInAFlowMappingIsQuoted() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of("MQTT_PORT", "1999")).load(
                "broker: { listeners: [ { port: \"${MQTT_PORT}\" } ] }");

        assertEquals(1999, config.broker().listeners().get(0).port());
    }

    @Test
    void referenceIsReplacedInsideLongerText() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of("SITE", "north")).load("""
                broker:
                  listeners:
                    - { type: websocket, path: "/mqtt/${SITE}/in" }
                """);

        assertEquals("/mqtt/north/in", config.broker().listeners().get(0).path());
    }

    @Test
    void unsetVariableWithoutDefaultIsAnErrorAtItsLine() {
        List<ConfigError> errors = withEnvironment(Map.of()).errors("""
                broker:
                  max-inflight: ${INFLIGHT}
                """);

        assertEquals(1, errors.size());
        assertEquals(2, errors.get(0).line());
        assertEquals("broker.max-inflight", errors.get(0).path());
        assertEquals("environment variable INFLIGHT is not set; write ${INFLIGHT:-default} to give a default",
                errors.get(0).message());
    }

    @Test
    void invalidInterpolatedValueShowsTheValueAndTheReference() {
        ConfigError error = withEnvironment(Map.of("INFLIGHT", "many")).errors("broker: { max-inflight: '${INFLIGHT}' }")
                .get(0);

        assertEquals("expected an integer 1-65535, got 'many' (from '${INFLIGHT}')", error.message());
    }

    @Test
    void doubleDollarWritesALiteralReference() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of()).load("""
                broker:
                  listeners:
                    - { type: websocket, path: "/$${literal}" }
                """);

        assertEquals("/${literal}", config.broker().listeners().get(0).path());
    }

    @Test
    void unclosedReferenceIsAnError() {
        ConfigError error = withEnvironment(Map.of()).errors("broker: { max-inflight: '${INFLIGHT' }").get(0);

        assertEquals("'${' without a closing '}' in '${INFLIGHT'", error.message());
    }

    @Test
    void overrideValueIsTakenAsWrittenWithoutInterpolation() {
        ConfigError error = withEnvironment(Map.of("TRIBUTARY_BROKER_MAX_INFLIGHT", "${OTHER}", "OTHER", "5"))
                .errors("").get(0);

        assertEquals("expected an integer 1-65535, got '${OTHER}'", error.message());
    }
}
