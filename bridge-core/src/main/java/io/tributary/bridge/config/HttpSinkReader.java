package io.tributary.bridge.config;

import static io.tributary.bridge.config.RouteKeys.AUTH;
import static io.tributary.bridge.config.RouteKeys.BASIC;
import static io.tributary.bridge.config.RouteKeys.BASIC_PASSWORD;
import static io.tributary.bridge.config.RouteKeys.BASIC_USERNAME;
import static io.tributary.bridge.config.RouteKeys.BEARER;
import static io.tributary.bridge.config.RouteKeys.CONCURRENCY;
import static io.tributary.bridge.config.RouteKeys.FORMAT;
import static io.tributary.bridge.config.RouteKeys.HTTP_HEADERS;
import static io.tributary.bridge.config.RouteKeys.METHOD;
import static io.tributary.bridge.config.RouteKeys.TIMEOUT;
import static io.tributary.bridge.config.RouteKeys.URL;

import io.tributary.bridge.mapping.Template;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads a webhook: the {@code http} of a route's {@code to} or {@code dead-letter}, and its credentials. */
final class HttpSinkReader {

    private static final List<String> SCHEMES = List.of("http://", "https://");

    private final YamlNodeReader reader;
    private final RouteTemplates templates;
    private final SecretReader secrets;

    HttpSinkReader(YamlNodeReader reader, RouteTemplates templates, SecretReader secrets) {
        this.reader = reader;
        this.templates = templates;
        this.secrets = secrets;
    }

    /** The webhook a node describes; empty when it is invalid (reported). */
    Optional<RouteSink> read(Node node, String path, Optional<RouteVariables> variables) {
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, path, RouteKeys.TO_HTTP, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping http = found.get();
        Optional<Template> url = templates.required(http, URL, variables);
        url.ifPresent(u -> checkUrl(u, http));
        Optional<String> method = reader.read(http, METHOD);
        Optional<RouteSink.WebhookFormat> format = reader.read(http, FORMAT);
        Optional<Duration> timeout = reader.read(http, TIMEOUT);
        Optional<Integer> concurrency = reader.read(http, CONCURRENCY);
        Optional<Map<String, Template>> headers = templates.named(http, HTTP_HEADERS, ValueTypes.httpHeaderName(),
                variables);
        // Absent is no credentials; present but invalid is an error, counted below.
        Optional<HttpAuth> auth = http.value(AUTH).flatMap(n -> readAuth(n, http.pathOf(AUTH)));
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new RouteSink.Http(url.orElseThrow(), method.orElseThrow(), format.orElseThrow(),
                timeout.orElseThrow(), concurrency.orElseThrow(), headers.orElseThrow(), auth));
    }

    private Optional<HttpAuth> readAuth(Node node, String path) {
        Optional<YamlMapping> found = reader.mapping(node, path, RouteKeys.HTTP_AUTH, reader.locate(node));
        Optional<ConfigKey<?>> kind = found.flatMap(auth -> reader.exactlyOne(auth, RouteKeys.HTTP_AUTH));
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping auth = found.get();
        if (kind.get() == BEARER) {
            return secrets.optional(auth, BEARER).map(HttpAuth.Bearer::new);
        }
        Node basicNode = auth.value(BASIC).orElseThrow();
        Optional<YamlMapping> basic = reader.mapping(basicNode, auth.pathOf(BASIC), RouteKeys.HTTP_BASIC,
                reader.locate(basicNode));
        if (basic.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> username = reader.required(basic.get(), BASIC_USERNAME);
        Optional<Secret> password = secrets.required(basic.get(), BASIC_PASSWORD);
        return username.flatMap(u -> password.map(p -> new HttpAuth.Basic(u, p)));
    }

    /**
     * The URL's literal start must be the scheme, so that no message can send it elsewhere, and the rest must
     * make a URL with a host whatever its variables become. A user and password in it would be a secret
     * written in the configuration.
     */
    private void checkUrl(Template url, YamlMapping http) {
        String text = url.toString();
        boolean scheme = SCHEMES.stream().anyMatch(s -> text.regionMatches(true, 0, s, 0, s.length()));
        // The authority rather than the host, which java.net.URI leaves out for names such as my_service.
        Optional<String> authority = parse(url.render(name -> RouteSinkReader.SAMPLE_VALUE))
                .map(URI::getRawAuthority);
        Node node = http.value(URL).orElseThrow();
        if (!scheme || authority.isEmpty()) {
            reader.report(node, http.pathOf(URL), "expected an http:// or https:// URL with a host"
                    + (url.isConstant() ? "" : " (variables aside)") + ", got '" + url + "'");
        } else if (authority.get().contains("@")) {
            reader.report(node, http.pathOf(URL), "a secret is never written in the configuration: give the user "
                    + "and password as auth: { basic: { username: NAME, password: { env: NAME } } }");
        }
    }

    private static Optional<URI> parse(String url) {
        try {
            return Optional.of(new URI(url));
        } catch (URISyntaxException malformed) {
            return Optional.empty();
        }
    }
}
