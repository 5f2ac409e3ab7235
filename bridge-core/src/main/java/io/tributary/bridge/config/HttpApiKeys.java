package io.tributary.bridge.config;

import java.util.List;

/**
 * The declaration of every key of the {@code http-api} section: read by {@link ConfigLoader}, listed in errors
 * and generated into {@code docs/configuration.md}.
 */
public final class HttpApiKeys {

    public static final ConfigKey<String> HOST = ConfigKey.of("host",
            ValueTypes.host(), "127.0.0.1",
            "The address to bind. The default takes requests from this machine only; `0.0.0.0` or `::` take "
                    + "them from everywhere.");

    public static final ConfigKey<Integer> PORT = ConfigKey.of("port",
            ValueTypes.integer(0, 65_535), 8080,
            "The port to bind; 0 picks a free one.");

    /** The user name the tokens of {@link #TOKENS} act as under the broker's access rules. */
    public static final String TOKENS_USER = "api";

    public static final ConfigKey<List<Secret>> TOKENS = ConfigKey.structure("tokens",
            Shape.byIndex(new Shape.Mapping(ConnectionKeys.SECRET, false, false), "token"),
            "a list of secrets, each { env: NAME } or { file: PATH }", "required unless `users` is given",
            "The bearer tokens the API accepts: each a secret with the keys of `connections.jdbc.<name>.password`. "
                    + "A request must carry one as `Authorization: Bearer`. Under the broker's access rules "
                    + "(`broker.auth`) these tokens act as the user `" + TOKENS_USER + "`.");

    public static final ConfigKey<java.util.Map<String, Secret>> USERS = ConfigKey.structure("users",
            new Shape.Entries(new Shape.Mapping(ConnectionKeys.SECRET, false, false), "API user"),
            "a mapping of user names to secrets, each { env: NAME } or { file: PATH }", "none",
            "Bearer tokens that act as named users: under the broker's access rules (`broker.auth`), what a "
                    + "request may publish, read and stream is what that user may.");

    public static final ConfigKey<Boolean> ALLOW_PRIVATE_WEBHOOK_TARGETS = ConfigKey.of("allow-private-webhook-targets",
            ValueTypes.bool(), false,
            "Whether webhooks registered through the API may send to loopback, link-local and private addresses "
                    + "(10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). Off, a token holder cannot make Tributary "
                    + "reach into its own network; webhooks of this file are not limited.");

    /** The {@code tls} mapping of the API: the same {@code cert} and {@code key} as a broker listener's. */
    public static final ConfigSection TLS = new ConfigSection(
            "The files that make the API serve HTTPS. A renewed file is used by new connections without a "
                    + "restart.",
            List.of(BrokerKeys.TLS_CERT, BrokerKeys.TLS_KEY));

    public static final ConfigKey<HttpApiSettings.Tls> API_TLS = ConfigKey.section("tls", TLS, "none: plain HTTP",
            "Serve the API over HTTPS, with the keys of `http-api.tls`.");

    /** The {@code http-api} mapping. */
    public static final ConfigSection HTTP_API = new ConfigSection(
            "Tributary's HTTP API: where it listens and the tokens it accepts. Without this section the API is "
                    + "off.",
            List.of(HOST, PORT, TOKENS, USERS, ALLOW_PRIVATE_WEBHOOK_TARGETS, API_TLS));

    private HttpApiKeys() {
    }
}
