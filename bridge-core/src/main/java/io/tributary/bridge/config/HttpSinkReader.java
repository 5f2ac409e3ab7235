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
        return reader.section(node, path, RouteKeys.TO_HTTP, http -> {
            Optional<Template> url = templates.required(http.mapping(), URL, variables);
            url.ifPresent(u -> checkUrl(u, http));
            Optional<Map<String, Template>> headers = templates.named(http.mapping(), HTTP_HEADERS,
                    ValueTypes.httpHeaderName(), variables);
            // Absent is no credentials; present but invalid is an error, counted by the section.
            Optional<HttpAuth> auth = http.node(AUTH).flatMap(n -> readAuth(n, http.pathOf(AUTH)));
            return () -> new RouteSink.Http(url.orElseThrow(), http.get(METHOD), http.get(FORMAT), http.get(TIMEOUT),
                    http.get(CONCURRENCY), headers.orElseThrow(), auth);
        });
    }

    private Optional<HttpAuth> readAuth(Node node, String path) {
        return reader.section(node, path, RouteKeys.HTTP_AUTH, auth -> {
            Optional<HttpAuth> read = reader.exactlyOne(auth.mapping(), RouteKeys.HTTP_AUTH).flatMap(kind ->
                    kind == BEARER ? secrets.optional(auth.mapping(), BEARER).map(HttpAuth.Bearer::new)
                            : readBasic(auth.node(BASIC).orElseThrow(), auth.pathOf(BASIC)));
            return read::orElseThrow;
        });
    }

    private Optional<HttpAuth> readBasic(Node node, String path) {
        return reader.section(node, path, RouteKeys.HTTP_BASIC, basic -> {
            Optional<Secret> password = secrets.required(basic.mapping(), BASIC_PASSWORD);
            return () -> new HttpAuth.Basic(basic.get(BASIC_USERNAME), password.orElseThrow());
        });
    }

    /**
     * The URL's literal start must be the scheme, so that no message can send it elsewhere, and the rest must
     * make a URL with a host whatever its variables become. A user and password in it would be a secret
     * written in the configuration.
     */
    private void checkUrl(Template url, SectionValues http) {
        String text = url.toString();
        boolean scheme = SCHEMES.stream().anyMatch(s -> text.regionMatches(true, 0, s, 0, s.length()));
        // The authority rather than the host, which java.net.URI leaves out for names such as my_service.
        Optional<String> authority = parse(url.render(name -> RouteSinkReader.SAMPLE_VALUE))
                .map(URI::getRawAuthority);
        if (!scheme || authority.isEmpty()) {
            http.report(URL, "expected an http:// or https:// URL with a host"
                    + (url.isConstant() ? "" : " (variables aside)") + ", got '" + url + "'");
        } else if (authority.get().contains("@")) {
            http.report(URL, "a secret is never written in the configuration: give the user "
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
