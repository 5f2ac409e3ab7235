package io.tributary.bridge.config;

import static io.tributary.bridge.config.BrokerKeys.LISTENER;
import static io.tributary.bridge.config.BrokerKeys.LISTENERS;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_ALLOW_ANONYMOUS;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_HOST;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_NAME;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_PATH;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_PORT;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_TLS;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_TYPE;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code broker.listeners}: each listener, its TLS files, then the conflicts between listeners. */
final class ListenerSettingsReader {

    /** A listener read without error, with the mapping it came from for later errors' locations. */
    record ReadListener(ListenerSettings settings, YamlMapping mapping) {
    }

    private final YamlNodeReader reader;
    private final FileValues files;

    /** @param files resolves relative TLS file paths against the configuration file's folder */
    ListenerSettingsReader(YamlNodeReader reader, FileValues files) {
        this.reader = reader;
        this.files = files;
    }

    /** The listeners of the {@code broker} mapping; empty when any is invalid (each problem reported). */
    Optional<List<ListenerSettings>> read(YamlMapping broker) {
        Optional<Node> node = broker.value(LISTENERS);
        if (node.isEmpty()) {
            return Optional.of(List.of(ListenerSettings.defaultListener()));
        }
        String path = broker.pathOf(LISTENERS);
        Optional<List<Node>> items = reader.sequence(node.get(), path, LISTENERS.type().expected());
        if (items.isEmpty()) {
            return Optional.empty();
        }
        if (items.get().isEmpty()) {
            reader.report(node.get(), path, "expected at least one listener, got an empty list");
            return Optional.empty();
        }
        List<ReadListener> listeners = new ArrayList<>();
        boolean allValid = true;
        for (int i = 0; i < items.get().size(); i++) {
            Optional<ReadListener> listener = readListener(items.get().get(i), path + "[" + i + "]");
            listener.ifPresent(listeners::add);
            allValid &= listener.isPresent();
        }
        // Conflicts are checked among the valid listeners only, so that one bad port is one error.
        boolean noConflicts = new ListenerConflicts(reader).check(listeners);
        return allValid && noConflicts
                ? Optional.of(listeners.stream().map(ReadListener::settings).toList())
                : Optional.empty();
    }

    private Optional<ReadListener> readListener(Node node, String path) {
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, path, LISTENER, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping listener = found.get();
        Optional<ListenerType> type = reader.read(listener, LISTENER_TYPE);
        Optional<String> host = reader.read(listener, LISTENER_HOST);
        Optional<Integer> port = listener.has(LISTENER_PORT)
                ? reader.read(listener, LISTENER_PORT)
                : type.map(ListenerType::defaultPort);
        Optional<String> httpPath = reader.read(listener, LISTENER_PATH);
        if (listener.has(LISTENER_PATH) && type.equals(Optional.of(ListenerType.TCP))) {
            reader.report(listener.value(LISTENER_PATH).orElseThrow(), listener.pathOf(LISTENER_PATH),
                    "path is only for websocket listeners");
        }
        Optional<TlsSettings> tls = listener.value(LISTENER_TLS)
                .flatMap(tlsNode -> readTls(tlsNode, listener.pathOf(LISTENER_TLS)));
        Optional<Boolean> allowAnonymous = reader.read(listener, LISTENER_ALLOW_ANONYMOUS);
        Optional<String> name = listener.has(LISTENER_NAME)
                ? reader.read(listener, LISTENER_NAME)
                : type.flatMap(t -> port.map(p -> ListenerSettings.defaultName(t, p)));
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new ReadListener(new ListenerSettings(name.orElseThrow(), type.orElseThrow(),
                host.orElseThrow(), port.orElseThrow(), httpPath.orElseThrow(), tls, allowAnonymous.orElseThrow()),
                listener));
    }

    private Optional<TlsSettings> readTls(Node node, String path) {
        Optional<YamlMapping> tls = reader.mapping(node, path, BrokerKeys.TLS, reader.locate(node));
        if (tls.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> cert = files.requiredFile(tls.get(), BrokerKeys.TLS_CERT);
        Optional<Path> key = files.requiredFile(tls.get(), BrokerKeys.TLS_KEY);
        return cert.flatMap(c -> key.map(k -> new TlsSettings(c, k)));
    }
}
