package io.tributary.testsupport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookServerTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final WebhookServer server = WebhookServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private int post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void theLongestMatchingPrefixScriptsTheAnswerAndCountsItsOwnRequests() throws Exception {
        server.script("/a", (request, index) -> WebhookServer.Answer.status(201 + index));
        server.script("/a/b", (request, index) -> WebhookServer.Answer.status(500));

        assertEquals(201, post("/a/x", "1"));
        assertEquals(500, post("/a/b/c", "2"));
        assertEquals(202, post("/a", "3"));
        assertEquals(200, post("/ab", "4"), "a prefix matches whole path segments only");
    }

    @Test
    void requestsAreRecordedWithTheirAnswersUnderTheirPrefix() throws Exception {
        server.script("/fail", (request, index) -> {
            throw new IllegalStateException("scripted failure");
        });
        post("/fail/1", "first");
        post("/other", "second");

        List<WebhookServer.Request> requests = server.requests("/fail");
        assertEquals(1, requests.size());
        assertEquals("POST", requests.get(0).method());
        assertEquals("first", requests.get(0).bodyText());
        assertEquals(599, server.answered("/fail").get(0).status(), "a failing script answers 599");
        assertEquals(2, server.requests("/").size());
        assertEquals(1, server.maxConcurrent("/"));
    }
}
