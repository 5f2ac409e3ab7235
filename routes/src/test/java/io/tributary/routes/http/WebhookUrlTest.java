package io.tributary.routes.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.mapping.Template;
import io.tributary.routes.spi.MappingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookUrlTest {

    @Test
    void eachValueIsOnePathSegment() {
        WebhookUrl url = WebhookUrl.of(Template.parse("https://hooks.example.com/{site}/x?d={device}"));
        assertEquals("https://hooks.example.com/a%2Fb%20c/x?d=%3F%26%3D%23%C3%A9~-._",
                url.render(Map.of("site", "a/b c", "device", "?&=#é~-._")::get).toString());
    }

    @Test
    void aMissingValueIsAMappingErrorThatDoesNotShowTheUrl() {
        WebhookUrl url = WebhookUrl.of(Template.parse("https://hooks.example.com/services/KEY123/{site}"));
        MappingException e = assertThrows(MappingException.class, () -> url.render(Map.<String, String>of()::get));
        assertEquals("the message has no value for {site} in the webhook URL", e.getMessage());
    }

    @Test
    void onlyHttpUrlsWithAHost() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebhookUrl.of(Template.parse("ftp://h/x")))
                .getMessage().contains("http:// or https://"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebhookUrl.of(Template.parse("http:/x")))
                .getMessage().contains("no host"));
    }

    @Test
    void targetNamesHostAndPortOnly() {
        assertEquals("hooks.example.com:443",
                WebhookUrl.target(java.net.URI.create("https://hooks.example.com/services/KEY?k=1")));
        assertEquals("10.0.0.1:8080", WebhookUrl.target(java.net.URI.create("http://10.0.0.1:8080/x")));
    }
}
