package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigErrorTest {

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void unknownKeyIsNamedWithItsLineAndTheAllowedKeys() {
        ConfigError error = only(files.errors("""
                broker:
                  max-inflight: 10
                  max-infligth: 20
                """));

        assertAt(3, 3, "broker.max-infligth", error);
        // The list of keys is the section's, in declaration order; ConfigReferenceDocTest shows it in full.
        assertEquals("unknown key 'max-infligth' (did you mean 'max-inflight'?); allowed keys: "
                + BrokerKeys.BROKER.allowedKeys(), error.message());
        assertTrue(error.message().contains("allowed keys: listeners, max-packet-size, max-connections, "), error.message());
    }

    @Test
    void unknownTopLevelKeyListsTheTopLevelKeys() {
        ConfigError error = only(files.errors("""
                broker: {}
                colour: blue
                """));

        assertAt(2, 1, "colour", error);
        assertEquals("unknown key 'colour'; allowed keys: broker, data-directory, connections, routes, camel-routes, "
                + "http-api, cluster, hivemq", error.message());
    }

    @Test
    void unknownKeyInsideAListenerHasTheListenerIndexInItsPath() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - { port: 1883 }
                    - { prot: 1884 }
                """));

        assertAt(4, 9, "broker.listeners[1].prot", error);
        assertTrue(error.message().startsWith("unknown key 'prot' (did you mean 'port'?); allowed keys: name, type"),
                error.message());
    }

    @Test
    void wrongTypeSaysWhatWasExpectedAndWhatWasGiven() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - { port: 1883 }
                    - { port: abc }
                """));

        assertAt(4, 15, "broker.listeners[1].port", error);
        assertEquals("expected an integer 0-65535, got 'abc'", error.message());
    }

    @Test
    void outOfRangePortIsAnError() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - port: 70000
                """));

        assertAt(3, 13, "broker.listeners[0].port", error);
        assertEquals("expected an integer 0-65535, got '70000'", error.message());
    }

    @Test
    void outOfRangeLimitIsAnError() {
        ConfigError error = only(files.errors("broker: { max-packet-size: 10 }"));

        assertEquals("broker.max-packet-size", error.path());
        assertEquals("expected an integer 64-268435460, got '10'", error.message());
    }

    @Test
    void badEnumValueListsTheAllowedValues() {
        List<ConfigError> errors = files.errors("""
                broker:
                  queue-full-policy: drop-everything
                  listeners:
                    - type: udp
                """);

        assertEquals(2, errors.size());
        assertAt(2, 22, "broker.queue-full-policy", errors.get(0));
        assertEquals("expected one of drop-new, drop-oldest, got 'drop-everything'", errors.get(0).message());
        assertAt(4, 13, "broker.listeners[0].type", errors.get(1));
        assertEquals("expected one of tcp, websocket, got 'udp'", errors.get(1).message());
    }

    @Test
    void duplicatePortOnTheSameHostIsAnError() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - { type: tcp, port: 1883 }
                    - { type: websocket, port: 1883 }
                """));

        assertAt(4, 32, "broker.listeners[1].port", error);
        assertEquals("port 1883 on 127.0.0.1 is already used by broker.listeners[0] (line 3)", error.message());
    }

    @Test
    void wildcardHostSharesItsPortWithEveryHost() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - { host: 127.0.0.1, port: 1883, name: local }
                    - { host: 0.0.0.0, port: 1883, name: all }
                """));

        assertEquals("port 1883 on 0.0.0.0 is already used by broker.listeners[0] (line 3) on 127.0.0.1",
                error.message());
    }

    @Test
    void duplicateDefaultPortIsReportedAtTheListener() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - { name: a }
                    - { name: b }
                """));

        assertAt(4, 7, "broker.listeners[1].port", error);
    }

    @Test
    void duplicateListenerNameIsAnError() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - { name: main, port: 1883 }
                    - { name: main, port: 1884 }
                """));

        assertAt(4, 15, "broker.listeners[1].name", error);
        assertEquals("name 'main' is already used by broker.listeners[0] (line 3); give each listener a unique name",
                error.message());
    }

    @Test
    void pathOnATcpListenerIsAnError() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - { type: tcp, path: /mqtt }
                """));

        assertEquals("broker.listeners[0].path", error.path());
        assertEquals("path is only for websocket listeners", error.message());
    }

    @Test
    void emptyListenerListIsAnError() {
        ConfigError error = only(files.errors("broker: { listeners: [] }"));

        assertEquals("broker.listeners", error.path());
        assertEquals("expected at least one listener, got an empty list", error.message());
    }

    @Test
    void mappingWhereAListIsExpectedIsAnError() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    port: 1883
                """));

        assertAt(3, 5, "broker.listeners", error);
        assertEquals("expected a list of listeners, got a mapping", error.message());
    }

    @Test
    void scalarWhereAMappingIsExpectedIsAnError() {
        ConfigError error = only(files.errors("broker: fast\n"));

        assertAt(1, 9, "broker", error);
        assertTrue(error.message().startsWith("expected a mapping with the keys listeners, max-packet-size"),
                error.message());
    }

    @Test
    void emptyValueIsAnErrorNotADefault() {
        ConfigError error = only(files.errors("broker:\n  max-inflight:\n"));

        assertEquals("expected an integer 1-65535, got nothing", error.message());
    }

    @Test
    void repeatedKeyIsAnError() {
        ConfigError error = only(files.errors("""
                broker:
                  max-inflight: 10
                  max-inflight: 20
                """));

        assertAt(3, 3, "broker.max-inflight", error);
        assertEquals("duplicate key 'max-inflight', first given at line 2", error.message());
    }

    @Test
    void missingTlsFilesAreErrors() {
        List<ConfigError> errors = files.errors("""
                broker:
                  listeners:
                    - tls: { cert: missing.crt }
                """);

        // The missing key is reported where its mapping starts, before the cert's value on the same line.
        assertEquals(2, errors.size());
        assertAt(3, 12, "broker.listeners[0].tls.key", errors.get(0));
        assertEquals("missing; expected a file path", errors.get(0).message());
        assertAt(3, 20, "broker.listeners[0].tls.cert", errors.get(1));
        assertEquals("no such file: " + folder.resolve("missing.crt"), errors.get(1).message());
    }

    @Test
    void everyErrorIsCollectedBeforeFailing() {
        List<ConfigError> errors = files.errors("""
                broker:
                  listeners:
                    - { type: tcp, port: abc }
                    - { type: udp, port: 1883 }
                  max-inflight: 0
                  colour: blue
                """);

        assertEquals(List.of("broker.listeners[0].port", "broker.listeners[1].type", "broker.max-inflight",
                "broker.colour"), errors.stream().map(ConfigError::path).toList());
    }

    @Test
    void yamlSyntaxErrorHasFileAndLine() {
        ConfigError error = only(files.errors("""
                broker:
                  listeners:
                    - { type: tcp, port: 1883
                  max-inflight: 10
                """));

        assertEquals(folder.resolve("tributary.yaml").toString(), error.file());
        assertEquals(4, error.line());
        assertEquals("", error.path());
        assertTrue(error.message().startsWith("invalid YAML: "), error.message());
    }

    @Test
    void tabIndentationIsASyntaxErrorWithItsLine() {
        ConfigError error = only(files.errors("broker:\n\tmax-inflight: 10\n"));

        assertEquals(2, error.line());
        assertTrue(error.message().startsWith("invalid YAML: "), error.message());
    }

    @Test
    void missingFileIsAnErrorNamingTheFile() {
        Path missing = folder.resolve("absent.yaml");

        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(java.util.Map.of()).load(missing));

        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void folderInsteadOfAFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(java.util.Map.of()).load(folder));

        assertEquals(folder + ": is a folder, not a configuration file", e.getMessage());
    }

    @Test
    void exceptionRendersOneErrorPerLineAsFileLineColumnPathMessage() {
        Path file = files.write("tributary.yaml", """
                broker:
                  listeners:
                    - { port: abc }
                  colour: blue
                """);

        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(java.util.Map.of()).load(file));

        assertEquals(file + ":3:15: broker.listeners[0].port: expected an integer 0-65535, got 'abc'\n"
                + file + ":4:3: broker.colour: unknown key 'colour'; allowed keys: " + BrokerKeys.BROKER.allowedKeys(),
                e.getMessage());
    }

    private static ConfigError only(List<ConfigError> errors) {
        assertEquals(1, errors.size(), () -> "expected one error, got " + errors);
        return errors.get(0);
    }

    private static void assertAt(int line, int column, String path, ConfigError error) {
        assertEquals(line + ":" + column + " " + path, error.line() + ":" + error.column() + " " + error.path(),
                () -> "at " + error.render());
    }
}
