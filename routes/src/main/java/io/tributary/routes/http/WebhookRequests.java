package io.tributary.routes.http;

import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.mapping.MissingValueException;
import io.tributary.bridge.mapping.Template;
import io.tributary.routes.spi.MappingException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * Builds a route's webhook request for a message: the rendered URL, the method, the body of the route's
 * format with its {@code Content-Type}, the route's templated headers (which may replace
 * {@code Content-Type}), then {@code Authorization} when the route has credentials (which replaces one of
 * the route's headers of that name).
 */
final class WebhookRequests {

    private final WebhookUrl url;
    private final String method;
    private final RouteSink.WebhookFormat format;
    private final Duration timeout;
    private final Map<String, Template> headers;
    private final Optional<Authorization> authorization;
    private final Function<Exchange, ? extends Function<String, String>> variables;

    private WebhookRequests(WebhookUrl url, RouteSink.Http sink, Optional<Authorization> authorization,
                            Function<Exchange, ? extends Function<String, String>> variables) {
        this.url = url;
        this.method = sink.method().toUpperCase(java.util.Locale.ROOT);
        this.format = sink.format();
        this.timeout = sink.timeout();
        this.headers = sink.headers();
        this.authorization = authorization;
        this.variables = variables;
    }

    /**
     * Checks what can be checked before any message: the URL template and the header names.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static WebhookRequests of(RouteSink.Http sink, Optional<Authorization> authorization,
                              Function<Exchange, ? extends Function<String, String>> variables) {
        WebhookUrl url = WebhookUrl.of(sink.url());
        HttpRequest.Builder probe = HttpRequest.newBuilder();
        for (String name : sink.headers().keySet()) {
            try {
                probe.setHeader(name, "x");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the webhook header '" + name + "' cannot be set: " + e.getMessage());
            }
        }
        try {
            probe.method(sink.method(), BodyPublishers.noBody());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook method '" + sink.method() + "' is not valid");
        }
        return new WebhookRequests(url, sink, authorization, variables);
    }

    /**
     * The request for a message.
     *
     * @throws MappingException if the route's templates cannot express the message
     */
    HttpRequest build(Exchange exchange) {
        Function<String, String> values = variables.apply(exchange);
        URI uri = url.render(values);
        WebhookBody body = WebhookBody.of(format, exchange);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            throw new MappingException("the webhook URL rendered for the message cannot be requested");
        }
        request.timeout(timeout)
                .method(method, BodyPublishers.ofByteArray(body.bytes()))
                .setHeader("Content-Type", body.contentType());
        headers.forEach((name, template) -> request.setHeader(name, header(name, template, values)));
        authorization.ifPresent(auth -> request.setHeader("Authorization", auth.value()));
        return request.build();
    }

    /** The method and the URL's host and port, for errors and logs. */
    String describe(URI uri) {
        return method + " " + WebhookUrl.target(uri);
    }

    /**
     * A header's value for a message. Only printable ASCII and tabs: the JDK client would send any other
     * character as {@code ?}, and a line break could forge headers, so such a value is a mapping error.
     */
    private static String header(String name, Template template, Function<String, String> values) {
        String value;
        try {
            value = template.render(values);
        } catch (MissingValueException e) {
            throw new MappingException("the message has no value for {" + e.variable() + "} in the webhook header "
                    + name);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                throw new MappingException("the webhook header " + name + " rendered for the message is not "
                        + "printable ASCII (character " + (i + 1) + ")");
            }
        }
        return value;
    }
}
