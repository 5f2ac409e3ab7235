package io.tributary.bridge.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The keys that only one of the two modes accepts, each refused at its own line: standalone ({@code tributary run})
 * refuses the {@code hivemq} section; hosted inside another broker, the keys that belong to that broker or cannot run
 * inside it are refused. Read from the raw tree, before the sections, so that every such key is named even when its
 * value would not be valid either.
 */
final class HostedKeys {

    private HostedKeys() {
    }

    /** Reports the top-level {@code hivemq} key, which {@code tributary run} has no use for. */
    static void checkStandalone(Node root, YamlNodeReader reader) {
        entry(root, ConfigSchema.HIVEMQ.name()).ifPresent(hivemq -> reader.report(hivemq.getKeyNode(),
                ConfigSchema.HIVEMQ.name(), "applies only inside HiveMQ, where Tributary runs as its extension; "
                        + "`tributary run` has a broker of its own (see `broker`)"));
    }

    /** Reports every key that the broker named {@code host} sets itself or that cannot run inside it. */
    static void checkHosted(Node root, String host, YamlNodeReader reader) {
        entry(root, ConfigSchema.BROKER.name()).ifPresent(broker -> {
            String why = "does not apply inside " + host + ": " + host + "'s own configuration and extensions set "
                    + "its listeners, limits, authentication and persistence";
            if (broker.getValueNode() instanceof MappingNode keys && !keys.getValue().isEmpty()) {
                for (NodeTuple key : keys.getValue()) {
                    reader.report(key.getKeyNode(), "broker." + text(key.getKeyNode()), why);
                }
            } else if (!isEmpty(broker.getValueNode())) {
                reader.report(broker.getKeyNode(), "broker", why);
            }
        });
        entry(root, ConfigSchema.HTTP_API.name()).ifPresent(api -> reader.report(api.getKeyNode(),
                ConfigSchema.HTTP_API.name(), "is not available inside " + host + " yet"));
        entry(root, ConfigSchema.CLUSTER.name()).ifPresent(cluster -> reader.report(cluster.getKeyNode(),
                ConfigSchema.CLUSTER.name(), "does not apply inside " + host + ": " + host + " clusters itself"));
        entry(root, ConfigSchema.CONNECTIONS.name())
                .flatMap(connections -> entry(connections.getValueNode(), ConnectionKeys.KAFKA.name()))
                .filter(kafka -> kafka.getValueNode() instanceof MappingNode)
                .ifPresent(kafka -> {
                    for (NodeTuple connection : ((MappingNode) kafka.getValueNode()).getValue()) {
                        String path = "connections.kafka." + text(connection.getKeyNode());
                        Node value = connection.getValueNode();
                        String why = "an embedded Kafka does not run inside " + host + "; set bootstrap-servers";
                        if (ConnectionKeys.EMBEDDED_SHORTHAND.equals(text(value))) {
                            reader.report(value, path, why);
                        }
                        entry(value, ConnectionKeys.EMBEDDED.name()).filter(e -> "true".equals(text(e.getValueNode())))
                                .ifPresent(e -> reader.report(e.getKeyNode(), path + ".embedded", why));
                    }
                });
        bufferedRoutes(root, (ack, path) -> reader.report(ack.getKeyNode(), path,
                "`buffer` is not available inside " + host + " yet; use `sink`"));
    }

    /** Calls {@code each} with the {@code ack} entry and path of every route written with {@code ack: buffer}. */
    static void bufferedRoutes(Node root, java.util.function.BiConsumer<NodeTuple, String> each) {
        entry(root, ConfigSchema.ROUTES.name()).filter(routes -> routes.getValueNode() instanceof SequenceNode)
                .ifPresent(routes -> {
                    var items = ((SequenceNode) routes.getValueNode()).getValue();
                    for (int i = 0; i < items.size(); i++) {
                        String path = "routes[" + i + "].ack";
                        entry(items.get(i), RouteKeys.ACK.name())
                                .filter(ack -> AckMode.BUFFER.name().equalsIgnoreCase(text(ack.getValueNode())))
                                .ifPresent(ack -> each.accept(ack, path));
                    }
                });
    }

    static Optional<NodeTuple> entry(Node mapping, String key) {
        if (!(mapping instanceof MappingNode map)) {
            return Optional.empty();
        }
        return map.getValue().stream().filter(tuple -> key.equals(text(tuple.getKeyNode()))).findFirst();
    }

    static String text(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    /** {@code broker:} alone, or {@code broker: {}}: nothing set. */
    private static boolean isEmpty(Node node) {
        return node == null || node instanceof ScalarNode scalar
                && (Tag.NULL.equals(scalar.getTag()) || scalar.getValue().isEmpty());
    }
}
