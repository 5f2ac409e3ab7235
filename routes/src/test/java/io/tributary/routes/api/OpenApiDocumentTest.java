package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Keeps openapi.yaml honest: every documented operation exists, and every endpoint is documented. */
class OpenApiDocumentTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @TempDir
    Path data;

    @SuppressWarnings("unchecked")
    static Map<String, Object> document(String yaml) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedOperationAnswersAndEveryEndpointIsDocumented() throws Exception {
        try (ApiFixture fixture = ApiFixture.start(data)) {
            HttpResponse<String> served = fixture.send(HttpRequest.newBuilder(fixture.uri(ApiPaths.OPENAPI)).GET()
                    .build());
            assertEquals(200, served.statusCode());
            Map<String, Object> document = document(served.body());
            assertTrue(String.valueOf(document.get("openapi")).startsWith("3.0"));
            Map<String, Object> components = (Map<String, Object>) document.get("components");
            assertTrue(((Map<String, Object>) components.get("securitySchemes")).containsKey("bearer"));

            Map<String, Object> paths = (Map<String, Object>) document.get("paths");
            Set<String> documented = new TreeSet<>();
            for (Map.Entry<String, Object> path : paths.entrySet()) {
                String concrete = path.getKey().replace("{name}", "no-such-webhook").replace("{id}", "no-such-client");
                Set<String> methods = new TreeSet<>();
                for (String key : ((Map<String, Object>) path.getValue()).keySet()) {
                    if (HTTP_METHODS.contains(key)) {
                        methods.add(key.toUpperCase(Locale.ROOT));
                    }
                }
                assertEquals(ApiPaths.methods(concrete), methods, "methods of " + path.getKey());
                for (String method : methods) {
                    documented.add(method + " " + path.getKey());
                    int status = call(fixture, method, concrete);
                    assertNotEquals(405, status, method + " " + path.getKey());
                }
            }
            assertEquals(new TreeSet<>(Set.of("POST " + ApiPaths.PUBLISH, "GET " + ApiPaths.RETAINED,
                    "GET " + ApiPaths.STREAM, "GET " + ApiPaths.WEBHOOKS, "POST " + ApiPaths.WEBHOOKS,
                    "DELETE " + ApiPaths.WEBHOOK, "GET " + ApiPaths.OPENAPI, "GET " + ApiPaths.METRICS,
                    "GET " + ApiPaths.LIVE, "GET " + ApiPaths.READY, "GET " + ApiPaths.CLIENTS,
                    "DELETE " + ApiPaths.CLIENT, "GET " + ApiPaths.ROUTES, "GET " + ApiPaths.CLUSTER)), documented);
        }
    }

    /** Calls the operation with a token and an empty JSON object; fails on the API's "no such endpoint". */
    private static int call(ApiFixture fixture, String method, String path) throws Exception {
        String query = path.equals(ApiPaths.STREAM) || path.equals(ApiPaths.RETAINED) ? "?filter=doc/%23" : "";
        HttpRequest request = fixture.request(path + query)
                .header("Content-Type", "application/json")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<InputStream> response = fixture.client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (path.equals(ApiPaths.STREAM)) {
                assertEquals(200, response.statusCode());
                return response.statusCode();
            }
            String text = new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertFalse(text.contains("no such endpoint"), method + " " + path + ": " + text);
            return response.statusCode();
        }
    }
}
