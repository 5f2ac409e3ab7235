package io.tributary.routes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.bridge.config.RouteKeys;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.ValueTypes;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A webhook subscription made through the API: messages matching {@code filter} go to {@code url}.
 *
 * @param name how it is addressed: letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit
 * @param filter an MQTT topic filter, where {@code {name}} placeholders may stand for levels as in routes
 * @param url an {@code http://} or {@code https://} URL, a template over the filter's placeholders,
 *     {@code topic}, {@code qos}, {@code client-id} and {@code header.NAME}
 * @param method {@code POST}, {@code PUT} or {@code PATCH}
 * @param format {@code envelope} (JSON with topic, payload and properties) or {@code raw} (the payload as is)
 * @param created when it was registered
 */
record WebhookRegistration(String name, String filter, String url, String method, String format, Instant created) {

    static final Set<String> FIELDS = Set.of("name", "filter", "url", "method", "format");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Reads and checks a registration request.
     *
     * @throws ApiException 400 naming the field that is wrong
     */
    static WebhookRegistration parse(ObjectNode body, Instant now) {
        String name = required(body, "name");
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badRequest("'name' must be 1 to 64 letters, digits, '.', '_' or '-', starting with "
                    + "a letter or digit: " + name);
        }
        String filter = required(body, "filter");
        String url = required(body, "url");
        String method = Optional.ofNullable(ApiJson.text(body, "method")).orElse(RouteKeys.METHOD.defaultValue())
                .toUpperCase(Locale.ROOT);
        String format = Optional.ofNullable(ApiJson.text(body, "format")).orElse("envelope").toLowerCase(Locale.ROOT);
        WebhookRegistration registration = new WebhookRegistration(name, filter, url, method, format, now);
        registration.check();
        return registration;
    }

    /** Reads a stored registration. @throws IllegalArgumentException saying what is wrong */
    static WebhookRegistration fromStored(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a webhook must be a JSON object");
        }
        try {
            WebhookRegistration registration = parse(((ObjectNode) node).deepCopy().without("created"),
                    node.hasNonNull("created") ? Instant.parse(node.get("created").asText()) : Instant.EPOCH);
            return registration;
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @throws ApiException 400 naming what is wrong */
    private void check() {
        TopicPattern pattern = pattern();
        Template template;
        try {
            template = Template.parse(url);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'url' is not valid: " + e.getMessage());
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw ApiException.badRequest("'url' must start with http:// or https://: " + url);
        }
        if (template.isConstant()) {
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null) {
                    throw ApiException.badRequest("'url' has no host: " + url);
                }
            } catch (java.net.URISyntaxException e) {
                throw ApiException.badRequest("'url' is not a valid URL: " + e.getMessage());
            }
        }
        List<String> allowed = new ArrayList<>(pattern.placeholders());
        allowed.addAll(List.of("topic", "qos", "client-id", "header."));
        List<String> unknown = template.unknownVariables(allowed);
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("'url' uses unknown variable(s) " + String.join(", ", unknown)
                    + "; it can use " + String.join(", ", allowed) + "NAME");
        }
        // The methods a route's webhook may use, declared with its configuration key.
        if (!RouteKeys.METHOD.type().accepts(method)) {
            List<String> methods = ValueTypes.HTTP_METHODS;
            int last = methods.size() - 1;
            throw ApiException.badRequest("'method' must be " + String.join(", ", methods.subList(0, last)) + " or "
                    + methods.get(last) + ", was " + method);
        }
        if (!format.equals("envelope") && !format.equals("raw")) {
            throw ApiException.badRequest("'format' must be envelope or raw, was " + format);
        }
    }

    /** The filter parsed. @throws ApiException 400 if it is not valid */
    TopicPattern pattern() {
        try {
            return TopicPattern.parse(filter);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'filter' is not valid: " + e.getMessage());
        }
    }

    /** The sink the route delivers to: the configuration's defaults for what the API does not set. */
    RouteSink.Http sink() {
        return new RouteSink.Http(Template.parse(url), method,
                format.equals("raw") ? RouteSink.WebhookFormat.RAW : RouteSink.WebhookFormat.ENVELOPE,
                RouteKeys.TIMEOUT.defaultValue(), RouteKeys.CONCURRENCY.defaultValue(), Map.of(), Optional.empty());
    }

    /** The URL with every variable replaced: its scheme, host and port are the ones every request goes to. */
    URI sampleUrl() {
        return URI.create(Template.parse(url).render(variable -> "x"));
    }

    ObjectNode toJson() {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("name", name);
        node.put("filter", filter);
        node.put("url", url);
        node.put("method", method);
        node.put("format", format);
        node.put("created", created.toString());
        return node;
    }

    private static String required(ObjectNode body, String field) {
        String value = ApiJson.text(body, field);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return value;
    }
}
