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

import io.tributary.broker.ListenerType;
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

    private static final ReadListener DEFAULT = new ReadListener(ListenerSettings.defaultListener(), null);

    private final YamlNodeReader reader;
    private final FileValues files;

    /** @param files resolves relative TLS file paths against the configuration file's folder */
    ListenerSettingsReader(YamlNodeReader reader, FileValues files) {
        this.reader = reader;
        this.files = files;
    }

    /** The listeners of the {@code broker} mapping; empty when any is invalid (each problem reported). */
    Optional<List<ListenerSettings>> read(YamlMapping broker) {
        List<ReadListener> valid = new ArrayList<>();
        Optional<List<ReadListener>> listeners = reader.items(broker, LISTENERS, List.of(DEFAULT), "listener",
                (node, path) -> readListener(node, path).map(listener -> {
                    valid.add(listener);
                    return listener;
                }));
        // Conflicts are checked among the valid listeners only, so that one bad port is one error.
        boolean noConflicts = new ListenerConflicts(reader).check(valid);
        return listeners.filter(l -> noConflicts).map(l -> l.stream().map(ReadListener::settings).toList());
    }

    private Optional<ReadListener> readListener(Node node, String path) {
        return reader.section(node, path, LISTENER, listener -> {
            Optional<ListenerType> type = listener.optional(LISTENER_TYPE);
            Optional<Integer> port = listener.optional(LISTENER_PORT).or(() -> type.map(ListenerType::defaultPort));
            if (listener.has(LISTENER_PATH) && type.equals(Optional.of(ListenerType.TCP))) {
                listener.report(LISTENER_PATH, "path is only for websocket listeners");
            }
            Optional<TlsSettings> tls = listener.node(LISTENER_TLS)
                    .flatMap(tlsNode -> readTls(tlsNode, listener.pathOf(LISTENER_TLS)));
            Optional<String> name = listener.optional(LISTENER_NAME)
                    .or(() -> type.flatMap(t -> port.map(p -> ListenerSettings.defaultName(t, p))));
            return () -> new ReadListener(new ListenerSettings(name.orElseThrow(), type.orElseThrow(),
                    listener.get(LISTENER_HOST), port.orElseThrow(), listener.get(LISTENER_PATH), tls,
                    listener.get(LISTENER_ALLOW_ANONYMOUS)), listener.mapping());
        });
    }

    private Optional<TlsSettings> readTls(Node node, String path) {
        return reader.section(node, path, BrokerKeys.TLS, tls -> {
            Optional<Path> cert = files.existing(tls, BrokerKeys.TLS_CERT);
            Optional<Path> key = files.existing(tls, BrokerKeys.TLS_KEY);
            return () -> new TlsSettings(cert.orElseThrow(), key.orElseThrow());
        });
    }
}
