package io.tributary.bridge.config;

import static io.tributary.bridge.config.HttpApiKeys.HOST;
import static io.tributary.bridge.config.HttpApiKeys.PORT;
import static io.tributary.bridge.config.HttpApiKeys.TOKENS;

import java.util.ArrayList;
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
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, path, HttpApiKeys.HTTP_API, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping api = found.get();
        Optional<String> host = reader.read(api, HOST);
        Optional<Integer> port = reader.read(api, PORT);
        Optional<List<Secret>> tokens = readTokens(api);
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new HttpApiSettings(host.orElseThrow(), port.orElseThrow(), tokens.orElseThrow()));
    }

    private Optional<List<Secret>> readTokens(YamlMapping api) {
        Optional<Node> node = reader.requiredNode(api, TOKENS);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        String path = api.pathOf(TOKENS);
        Optional<List<Node>> items = reader.sequence(node.get(), path, TOKENS.type().expected());
        if (items.isEmpty()) {
            return Optional.empty();
        }
        if (items.get().isEmpty()) {
            reader.report(node.get(), path, "expected at least one token, got an empty list");
            return Optional.empty();
        }
        List<Secret> tokens = new ArrayList<>();
        boolean allValid = true;
        for (int i = 0; i < items.get().size(); i++) {
            Optional<Secret> token = secrets.read(items.get().get(i), path + "[" + i + "]");
            token.ifPresent(tokens::add);
            allValid &= token.isPresent();
        }
        return allValid ? Optional.of(tokens) : Optional.empty();
    }
}
