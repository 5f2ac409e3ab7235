package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSinkSectionTest {

    private static final String EXAMPLE = """
            routes:
              - name: alarms-webhook
                from: { mqtt: "sites/+/alarms/#" }
                to:   { http: { url: "http://127.0.0.1:9000/alarms", method: POST } }
              - name: telemetry-webhook
                from: { mqtt: "sites/{site}/devices/{device}/telemetry" }
                to:
                  http:
                    url: "https://hooks.example.com/{site}/{device}"
                    method: PUT
                    format: envelope
                    timeout: 5s
                    concurrency: 16
                    headers: { X-Tenant: "{header.tenant}", X-Received: "{timestamp}" }
                    auth: { bearer: { env: HOOK_TOKEN } }
            """;

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void webhookWithAUrlAloneTakesEveryDefault() throws ConfigException {
        RouteSink.Http http = (RouteSink.Http) files.load(EXAMPLE).routes().get(0).to();

        assertEquals("http://127.0.0.1:9000/alarms", http.url().toString());
        assertEquals(new Fields("POST", RouteSink.WebhookFormat.RAW, Duration.ofSeconds(10), 4, Map.of(),
                Optional.empty()), Fields.of(http));
    }

    @Test
    void everyWebhookKeyIsRead() throws ConfigException {
        RouteSink.Http http = (RouteSink.Http) files.load(EXAMPLE).routes().get(1).to();

        assertEquals("https://hooks.example.com/{site}/{device}", http.url().toString());
        assertEquals(new Fields("PUT", RouteSink.WebhookFormat.ENVELOPE, Duration.ofSeconds(5), 16,
                        Map.of("X-Tenant", "{header.tenant}", "X-Received", "{timestamp}"),
                        Optional.of(new HttpAuth.Bearer(Secret.fromEnvironment("HOOK_TOKEN")))),
                Fields.of(http));
    }

    @Test
    void methodIsReadInAnyCase() throws ConfigException {
        RouteSink.Http http = webhook("{ url: \"http://h/x\", method: patch }");

        assertEquals("PATCH", http.method());
    }

    @Test
    void bearerTokenFileIsResolvedAgainstTheConfigurationFolder() throws ConfigException {
        files.write("token.txt", "t0ken\n");

        RouteSink.Http http = webhook("{ url: \"http://h/x\", auth: { bearer: { file: token.txt } } }");

        assertEquals(Optional.of(new HttpAuth.Bearer(Secret.fromFile(folder.resolve("token.txt").toAbsolutePath()))),
                http.auth());
    }

    @Test
    void basicAuthIsAUserNameAndAPasswordSecret() throws ConfigException {
        RouteSink.Http http = webhook("{ url: \"http://h/x\", auth: { basic: { username: u, password: { env: P } } "
                + "} }");

        assertEquals(Optional.of(new HttpAuth.Basic("u", Secret.fromEnvironment("P"))), http.auth());
    }

    @Test
    void webhookMayBeTheDeadLetterAndUseTheError() throws ConfigException {
        RouteSettings route = files.load("""
                routes:
                  - name: r
                    from: { mqtt: "a/{x}" }
                    to: { mqtt: { topic: "b/{x}" } }
                    dead-letter: { http: { url: "http://h/failed/{route}", headers: { X-Error: "{error}" } } }
                """).routes().get(0);

        RouteSink.Http deadLetter = (RouteSink.Http) route.deadLetter().orElseThrow();
        assertEquals("http://h/failed/{route}", deadLetter.url().toString());
        assertEquals("{error}", deadLetter.headers().get("X-Error").toString());
    }

    @Test
    void inlineTokenIsRefused() {
        ConfigError error = only(errors("{ url: \"http://h/x\", auth: { bearer: hunter2 } }"));

        assertEquals("4:54: routes[0].to.http.auth.bearer: a secret is never written in the configuration: use "
                + "{ env: NAME } or { file: PATH }", at(error));
    }

    @Test
    void inlineBasicPasswordIsRefused() {
        ConfigError error = only(errors("{ url: \"http://h/x\", auth: { basic: { username: u, password: p } } }"));

        assertEquals("4:78: routes[0].to.http.auth.basic.password: a secret is never written in the configuration: "
                + "use { env: NAME } or { file: PATH }", at(error));
    }

    @Test
    void missingTokenFileIsAnError() {
        ConfigError error = only(errors("{ url: \"http://h/x\", auth: { bearer: { file: token.txt } } }"));

        assertEquals("4:62: routes[0].to.http.auth.bearer.file: no such file: "
                + folder.resolve("token.txt").toAbsolutePath(), at(error));
    }

    @Test
    void authWithBothBearerAndBasicIsAnError() {
        ConfigError error = only(errors("{ url: \"http://h/x\", auth: { bearer: { env: T }, basic: { username: u, "
                + "password: { env: P } } } }"));

        assertEquals("4:44: routes[0].to.http.auth: expected exactly one of the keys bearer, basic, got bearer and "
                + "basic", at(error));
    }

    @Test
    void methodOtherThanPostPutOrPatchIsAnError() {
        ConfigError error = only(errors("{ url: \"http://h/x\", method: GET }"));

        assertEquals("4:46: routes[0].to.http.method: expected one of POST, PUT, PATCH, got 'GET'", at(error));
    }

    @Test
    void urlWithAnotherSchemeIsAnError() {
        ConfigError error = only(errors("{ url: \"ftp://h/x\" }"));

        assertEquals("4:24: routes[0].to.http.url: expected an http:// or https:// URL with a host, got 'ftp://h/x'",
                at(error));
    }

    @Test
    void urlWhoseSchemeIsAVariableIsAnError() {
        ConfigError error = only(errors("{ url: \"{device}://h/alarms\" }"));

        assertEquals("4:24: routes[0].to.http.url: expected an http:// or https:// URL with a host (variables "
                + "aside), got '{device}://h/alarms'", at(error));
    }

    @Test
    void urlWithAVariableInTheHostOrPortIsAnError() {
        ConfigError host = only(errors("{ url: \"https://{device}.example.com/x\" }"));
        ConfigError port = only(errors("{ url: \"https://example.com:{device}/x\" }"));

        assertEquals("4:24: routes[0].to.http.url: a variable cannot be in the host or port of a webhook URL, so "
                + "that no message can choose where it is sent: put variables in the path or query, got "
                + "'https://{device}.example.com/x'", at(host));
        assertTrue(port.message().contains("host or port"), port.message());
    }

    @Test
    void urlWithoutAHostIsAnError() {
        ConfigError error = only(errors("{ url: \"http:///alarms\" }"));

        assertEquals("4:24: routes[0].to.http.url: expected an http:// or https:// URL with a host, got "
                + "'http:///alarms'", at(error));
    }

    @Test
    void urlWithAUserAndPasswordIsRefused() {
        ConfigError error = only(errors("{ url: \"https://u:hunter2@h/x\" }"));

        assertEquals("4:24: routes[0].to.http.url: a secret is never written in the configuration: give the user "
                + "and password as auth: { basic: { username: NAME, password: { env: NAME } } }", at(error));
    }

    @Test
    void authorizationHeaderIsRefused() {
        ConfigError error = only(errors("{ url: \"http://h/x\", headers: { authorization: \"Bearer t\" } }"));

        assertEquals("4:49: routes[0].to.http.headers.authorization: a secret is never written in the "
                + "configuration: give credentials as auth: { bearer: ... } or auth: { basic: ... }", at(error));
    }

    @Test
    void headerNameWithASpaceIsAnError() {
        ConfigError error = only(errors("{ url: \"http://h/x\", headers: { \"X Tenant\": t } }"));

        assertEquals("4:49: routes[0].to.http.headers.X Tenant: expected an HTTP header name of letters, digits and "
                + "!#$%&'*+-.^_`|~, got 'X Tenant'", at(error));
    }

    @Test
    void unknownWebhookKeySuggestsTheClosest() {
        ConfigError error = only(errors("{ url: \"http://h/x\", methdo: PUT }"));

        assertEquals("4:38: routes[0].to.http.methdo: unknown key 'methdo' (did you mean 'method'?); allowed keys: "
                + "url, method, format, timeout, concurrency, headers, auth", at(error));
    }

    @Test
    void urlVariablesAreCheckedAgainstTheSource() {
        ConfigError error = only(errors("{ url: \"http://h/{devise}\" }"));

        assertEquals("4:24: routes[0].to.http.url: unknown variable {devise} (did you mean {device}?); known: "
                + "device, topic, client-id, qos, header.*, json.*, timestamp, payload", at(error));
    }

    /** The {@code http} of a route from {@code devices/{device}}. */
    private RouteSink.Http webhook(String http) throws ConfigException {
        return (RouteSink.Http) files.load(route(http)).routes().get(0).to();
    }

    private List<ConfigError> errors(String http) {
        return files.errors(route(http));
    }

    private static String route(String http) {
        return """
                routes:
                  - name: r
                    from: { mqtt: "devices/{device}" }
                    to: { http: %s }
                """.formatted(http);
    }

    /** The fields of a webhook beside its URL, with templates as written (templates have no equality). */
    private record Fields(String method, RouteSink.WebhookFormat format, Duration timeout, int concurrency,
                          Map<String, String> headers, Optional<HttpAuth> auth) {

        static Fields of(RouteSink.Http http) {
            Map<String, String> headers = new LinkedHashMap<>();
            http.headers().forEach((name, value) -> headers.put(name, value.toString()));
            return new Fields(http.method(), http.format(), http.timeout(), http.concurrency(), headers, http.auth());
        }
    }
}
