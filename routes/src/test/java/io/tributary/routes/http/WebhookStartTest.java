package io.tributary.routes.http;

import static io.tributary.routes.http.WebhookBridge.post;
import static io.tributary.routes.http.WebhookBridge.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.HttpAuth;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.Secret;
import io.tributary.bridge.mapping.Template;
import io.tributary.routes.BridgeStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A webhook whose credentials or shape are wrong stops the routes from starting, saying why. */
class WebhookStartTest {

    @TempDir
    Path data;

    private static RouteSink.Http withAuth(HttpAuth auth) {
        RouteSink.Http plain = post("http://127.0.0.1:9/hook");
        return new RouteSink.Http(plain.url(), plain.method(), plain.format(), plain.timeout(), plain.concurrency(),
                plain.headers(), Optional.of(auth));
    }

    private BridgeStartException startFails(RouteSink.Http sink, Map<String, String> environment) {
        return assertThrows(BridgeStartException.class, () -> WebhookBridge.start(data,
                List.of(route("alarms", "alarms", sink, RetrySettings.defaults(), false)), environment).close());
    }

    @Test
    void aMissingTokenVariableIsNamed() {
        BridgeStartException e = startFails(withAuth(new HttpAuth.Bearer(Secret.fromEnvironment("ALARMS_TOKEN"))),
                Map.of("OTHER", "x"));
        assertTrue(e.getMessage().contains("environment variable ALARMS_TOKEN is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("bearer token"), e.getMessage());
    }

    @Test
    void anEmptyPasswordFileIsNamedAndNoValueShown() throws Exception {
        Path file = Files.writeString(data.resolve("password"), "\n");
        BridgeStartException e = startFails(withAuth(new HttpAuth.Basic("ops", Secret.fromFile(file))), Map.of());
        assertTrue(e.getMessage().contains("secret file " + file + " is empty"), e.getMessage());
    }

    @Test
    void aSecretThatIsSetIsNeverInTheMessageOfAnotherStartError() {
        RouteSink.Http sink = new RouteSink.Http(Template.parse("http://127.0.0.1:9/hook"), "POST",
                RouteSink.WebhookFormat.RAW, java.time.Duration.ofSeconds(1), 1,
                Map.of("Host", Template.parse("elsewhere")),
                Optional.of(new HttpAuth.Bearer(Secret.fromEnvironment("ALARMS_TOKEN"))));
        BridgeStartException e = startFails(sink, Map.of("ALARMS_TOKEN", "value-never-shown"));
        assertTrue(e.getMessage().contains("the webhook header 'Host' cannot be set"), e.getMessage());
        assertFalse(e.getMessage().contains("value-never-shown"), e.getMessage());
    }

    @Test
    void aHostTheClientCannotReachIsRefusedAtStart() {
        BridgeStartException e = startFails(post("http://my_service:8080/hook/{topic}"), Map.of());
        assertEquals(true, e.getMessage().contains("'my_service:8080' is not a host name"), e.getMessage());
    }
}
