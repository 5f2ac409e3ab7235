package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiSectionTest {

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void sectionIsReadWithItsTokens() throws ConfigException {
        files.write("api-token", "s3cret\n");

        TributaryConfig config = files.load("""
                http-api:
                  host: 0.0.0.0
                  port: 9090
                  tokens:
                    - { env: TRIBUTARY_API_TOKEN }
                    - { file: api-token }
                """);

        assertEquals(Optional.of(new HttpApiSettings("0.0.0.0", 9090, List.of(
                        Secret.fromEnvironment("TRIBUTARY_API_TOKEN"),
                        Secret.fromFile(folder.resolve("api-token").toAbsolutePath())))),
                config.httpApi());
    }

    @Test
    void hostAndPortLeftOutTakeTheirDefaults() throws ConfigException {
        TributaryConfig config = files.load("http-api: { tokens: [ { env: TRIBUTARY_API_TOKEN } ] }");

        assertEquals(Optional.of(new HttpApiSettings("127.0.0.1", 8080,
                        List.of(Secret.fromEnvironment("TRIBUTARY_API_TOKEN")))),
                config.httpApi());
    }

    @Test
    void portZeroPicksAFreePort() throws ConfigException {
        TributaryConfig config = files.load("http-api: { port: 0, tokens: [ { env: T } ] }");

        assertEquals(0, config.httpApi().orElseThrow().port());
    }

    @Test
    void absentSectionLeavesTheApiOff() throws ConfigException {
        TributaryConfig config = files.load("broker: {}");

        assertEquals(Optional.empty(), config.httpApi());
        assertEquals(files.defaults(), config);
    }

    @Test
    void missingTokensAreAnError() {
        ConfigError error = only(files.errors("""
                http-api:
                  port: 8081
                """));

        assertEquals("2:3: http-api.tokens: missing; expected a list of secrets, each { env: NAME } or "
                + "{ file: PATH }", at(error));
    }

    @Test
    void emptySectionIsMissingItsTokens() {
        ConfigError error = only(files.errors("http-api: {}"));

        assertEquals("1:11: http-api.tokens: missing; expected a list of secrets, each { env: NAME } or "
                + "{ file: PATH }", at(error));
    }

    @Test
    void emptyTokenListIsAnError() {
        ConfigError error = only(files.errors("http-api: { tokens: [] }"));

        assertEquals("1:21: http-api.tokens: expected at least one token, got an empty list", at(error));
    }

    @Test
    void tokensMustBeAList() {
        ConfigError error = only(files.errors("http-api: { tokens: { env: T } }"));

        assertEquals("1:21: http-api.tokens: expected a list of secrets, each { env: NAME } or { file: PATH }, "
                + "got a mapping", at(error));
    }

    @Test
    void inlineTokenIsRefused() {
        ConfigError error = only(files.errors("""
                http-api:
                  tokens:
                    - { env: TRIBUTARY_API_TOKEN }
                    - hunter2
                """));

        assertEquals("4:7: http-api.tokens[1]: a secret is never written in the configuration: use "
                + "{ env: NAME } or { file: PATH }", at(error));
    }

    @Test
    void missingTokenFileIsAnError() {
        ConfigError error = only(files.errors("http-api: { tokens: [ { file: secrets/api-token } ] }"));

        assertEquals("1:31: http-api.tokens[0].file: no such file: "
                + folder.resolve("secrets/api-token").toAbsolutePath(), at(error));
    }

    @Test
    void portAbove65535IsAnError() {
        ConfigError error = only(files.errors("http-api: { port: 70000, tokens: [ { env: T } ] }"));

        assertEquals("1:19: http-api.port: expected an integer 0-65535, got '70000'", at(error));
    }

    @Test
    void malformedHostIsAnError() {
        ConfigError error = only(files.errors("http-api: { host: \"my host\", tokens: [ { env: T } ] }"));

        assertEquals("1:19: http-api.host: expected a host name or IP address, got 'my host'", at(error));
    }

    @Test
    void unknownKeySuggestsTheClosest() {
        ConfigError error = only(files.errors("http-api: { prot: 8081, tokens: [ { env: T } ] }"));

        assertEquals("1:13: http-api.prot: unknown key 'prot' (did you mean 'port'?); allowed keys: host, port, "
                + "tokens, users, allow-private-webhook-targets, tls", at(error));
    }

    @Test
    void sectionMustBeAMapping() {
        ConfigError error = only(files.errors("http-api: on"));

        assertEquals("1:11: http-api: expected a mapping with the keys host, port, tokens, users, "
                + "allow-private-webhook-targets, tls, got 'on'", at(error));
    }

    @Test
    void everyErrorIsReportedInOneLoad() {
        List<ConfigError> errors = files.errors("""
                broker: { max-inflight: 0 }
                http-api:
                  host: "my host"
                  port: -1
                  tokn: []
                  tokens: [ hunter2, { env: T, file: t } ]
                """);

        String file = folder.resolve("tributary.yaml").toString();
        assertEquals(List.of(
                file + ":1:25: broker.max-inflight: expected an integer 1-65535, got '0'",
                file + ":3:9: http-api.host: expected a host name or IP address, got 'my host'",
                file + ":4:9: http-api.port: expected an integer 0-65535, got '-1'",
                file + ":5:3: http-api.tokn: unknown key 'tokn' (did you mean 'tokens'?); allowed keys: host, port, "
                        + "tokens, users, allow-private-webhook-targets, tls",
                file + ":6:13: http-api.tokens[0]: a secret is never written in the configuration: use "
                        + "{ env: NAME } or { file: PATH }",
                file + ":6:22: http-api.tokens[1]: expected exactly one of the keys env, file, got env and file"),
                errors.stream().map(ConfigError::render).toList());
    }

    @Test
    void usersAreTokensWithNamesAndMayStandWithoutTokens() throws ConfigException {
        TributaryConfig config = files.load("""
                http-api:
                  users:
                    viewer: { env: VIEWER_TOKEN }
                    writer: { env: WRITER_TOKEN }
                """);
        HttpApiSettings api = config.httpApi().orElseThrow();
        assertEquals(List.of(), api.tokens());
        assertEquals(List.of("viewer", "writer"), List.copyOf(api.users().keySet()));
    }
}
