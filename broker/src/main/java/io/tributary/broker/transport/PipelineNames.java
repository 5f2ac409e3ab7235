package io.tributary.broker.transport;

/** The names of the handlers in a connection's pipeline, in order. */
final class PipelineNames {
    static final String TLS = "tls";
    static final String BYTE_COUNTER = "byteCounter";
    static final String HTTP_CODEC = "httpCodec";
    static final String HTTP_AGGREGATOR = "httpAggregator";
    static final String ORIGIN_CHECK = "originCheck";
    static final String WEBSOCKET_PROTOCOL = "webSocketProtocol";
    static final String HTTP_NOT_FOUND = "httpNotFound";
    static final String WEBSOCKET_FRAMES = "webSocketFrames";
    static final String MQTT_DECODER = "mqttDecoder";
    static final String MQTT_ENCODER = "mqttEncoder";
    static final String PENDING_CONNECT_SLOT = "pendingConnectSlot";
    static final String MQTT_CONNECTION = "mqttConnection";

    private PipelineNames() {
    }
}
