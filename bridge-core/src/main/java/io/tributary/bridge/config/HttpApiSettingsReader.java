package io.tributary.bridge.config;

import static io.tributary.bridge.config.HttpApiKeys.HOST;
import static io.tributary.bridge.config.HttpApiKeys.PORT;
import static io.tributary.bridge.config.HttpApiKeys.TOKENS;

import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code http-api} section: where the API listens and the secrets its tokens come from. */
final class HttpApiSettingsReader {

    private final YamlNodeReader reader;
    private final SecretReader secrets;

    HttpApiSettingsReader(YamlNodeReader reader, SecretReader secrets) {
        this.reader = reader;
        this.secrets = secrets;
    }

    /** The API's settings; empty when they are invalid, each problem reported. */
    Optional<HttpApiSettings> read(Node node, String path) {
        return reader.section(node, path, HttpApiKeys.HTTP_API, api -> {
            Optional<List<Secret>> tokens = reader.requiredNode(api.mapping(), TOKENS)
                    .flatMap(n -> reader.items(api.mapping(), TOKENS, List.of(), "token", secrets::read));
            return () -> new HttpApiSettings(api.get(HOST), api.get(PORT), tokens.orElseThrow());
        });
    }
}
