package io.tributary.bridge.camel;

/**
 * The Camel message headers that carry an MQTT message's metadata through a route. The body is the payload
 * as {@code byte[]}. Routes written in Camel's own YAML DSL read and set these too.
 */
public final class MqttHeaders {

    /** The topic, a {@code String}. */
    public static final String TOPIC = "mqtt.topic";
    /** The QoS, an {@code Integer} 0, 1 or 2. */
    public static final String QOS = "mqtt.qos";
    /** The retain flag, a {@code Boolean}. */
    public static final String RETAIN = "mqtt.retain";
    /** The publisher's client identifier, a {@code String}; absent for messages published in-process. */
    public static final String CLIENT_ID = "mqtt.client-id";
    /** MQTT 5 Content Type, a {@code String}. */
    public static final String CONTENT_TYPE = "mqtt.content-type";
    /** MQTT 5 Response Topic, a {@code String}. */
    public static final String RESPONSE_TOPIC = "mqtt.response-topic";
    /** MQTT 5 Correlation Data, a {@code byte[]}. */
    public static final String CORRELATION_DATA = "mqtt.correlation-data";
    /** MQTT 5 Payload Format Indicator: {@code Boolean.TRUE} when the publisher declared UTF-8 text. */
    public static final String PAYLOAD_UTF8 = "mqtt.payload-utf8";
    /** MQTT 5 Message Expiry Interval left, in seconds, a {@code Long}. */
    public static final String MESSAGE_EXPIRY = "mqtt.message-expiry";
    /** MQTT 5 user properties, a {@code List<UserProperty>} in the order the publisher sent them. */
    public static final String USER_PROPERTIES = "mqtt.user-properties";
    /** The {@code connections.mqtt} entry a message came from, a {@code String}; absent for the built-in broker. */
    public static final String CONNECTION = "mqtt.connection";
    /** When the broker received the message from its publisher, epoch milliseconds, a {@code Long}. */
    public static final String RECEIVED_AT = "mqtt.received-at";

    private MqttHeaders() {
    }
}
