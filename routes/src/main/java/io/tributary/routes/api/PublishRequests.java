package io.tributary.routes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.broker.InProcessBroker;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.PayloadRefusedException;
import io.tributary.broker.Permissions;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/v1/publish}: publishes the message of the request into the broker and answers once the
 * broker accepted it for every subscriber (its publish future completed).
 */
final class PublishRequests {

    private static final Set<String> FIELDS = Set.of("topic", "qos", "retain", "payload", "payloadBase64",
            "userProperties", "contentType");
    private static final int MAX_TOPIC_BYTES = 65_535;

    private final InProcessBroker broker;
    private final Duration timeout;

    PublishRequests(InProcessBroker broker, Duration timeout) {
        this.broker = broker;
        this.timeout = timeout;
    }

    /** Publishes and answers {@code {"topic", "qos"}}; blocks its (worker) thread until the broker answered. */
    String publish(byte[] body, Permissions access) {
        Message message = parse(ApiJson.object(body, FIELDS));
        if (!access.mayPublish(message.topic())) {
            throw new ApiException(403, "this token's user may not publish to '" + message.topic() + "'");
        }
        try {
            broker.publish(message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(504, "the broker did not accept the message within " + timeout.toSeconds()
                    + " s; it may still be delivered");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the API is stopping");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw ApiException.badRequest("'topic': " + cause.getMessage());
            }
            if (cause instanceof PayloadRefusedException refused) {
                // Dead-lettered: sending it again would not help, unlike a 503.
                throw new ApiException(422, "the routes refused the payload, which went to a dead letter: "
                        + refused.getMessage());
            }
            throw new ApiException(503, "the broker did not accept the message: " + describe(cause));
        }
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("topic", message.topic());
        answer.put("qos", message.qos().value());
        return ApiJson.write(answer);
    }

    static Message parse(ObjectNode body) {
        String topic = ApiJson.text(body, "topic");
        if (topic == null) {
            throw ApiException.badRequest("'topic' is required");
        }
        checkTopic(topic);
        QoS qos = qos(body.get("qos"));
        boolean retain = retain(body.get("retain"));
        byte[] payload = payload(body);
        List<UserProperty> userProperties = userProperties(body.get("userProperties"));
        String contentType = ApiJson.text(body, "contentType");
        boolean text = body.hasNonNull("payload");
        MessageProperties properties = new MessageProperties(text, null, contentType, null, null, userProperties);
        return new Message(topic, payload, qos, retain, properties, null, System.currentTimeMillis());
    }

    /** @throws ApiException 400 unless {@code topic} is a topic a message can be published to */
    static void checkTopic(String topic) {
        if (topic.isEmpty()) {
            throw ApiException.badRequest("'topic' must not be empty");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw ApiException.badRequest("'topic' must not contain the wildcards '+' or '#': " + topic);
        }
        if (topic.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("'topic' must not contain the null character");
        }
        if (topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            throw ApiException.badRequest("'topic' is longer than " + MAX_TOPIC_BYTES + " bytes");
        }
    }

    private static QoS qos(JsonNode value) {
        if (value == null || value.isNull()) {
            return QoS.AT_MOST_ONCE;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 2) {
            throw ApiException.badRequest("'qos' must be 0, 1 or 2, was " + value);
        }
        return QoS.of(value.intValue());
    }

    private static boolean retain(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("'retain' must be true or false, was " + value);
        }
        return value.booleanValue();
    }

    private static byte[] payload(ObjectNode body) {
        String text = ApiJson.text(body, "payload");
        String base64 = ApiJson.text(body, "payloadBase64");
        if (text != null && base64 != null) {
            throw ApiException.badRequest("give either 'payload' (text) or 'payloadBase64', not both");
        }
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (base64 == null) {
            throw ApiException.badRequest("'payload' (text) or 'payloadBase64' is required");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'payloadBase64' is not valid base64: " + e.getMessage());
        }
    }

    /** {@code {"name": "value", ...}} or {@code [{"name": ..., "value": ...}, ...]} (which can repeat a name). */
    private static List<UserProperty> userProperties(JsonNode value) {
        List<UserProperty> properties = new ArrayList<>();
        if (value == null || value.isNull()) {
            return properties;
        }
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                if (!field.getValue().isTextual()) {
                    throw ApiException.badRequest("'userProperties." + field.getKey() + "' must be a string");
                }
                properties.add(new UserProperty(field.getKey(), field.getValue().textValue()));
            }
            return properties;
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode entry = value.get(i);
                JsonNode name = entry.get("name");
                JsonNode text = entry.get("value");
                if (!entry.isObject() || name == null || !name.isTextual() || text == null || !text.isTextual()
                        || entry.size() != 2) {
                    throw ApiException.badRequest("'userProperties[" + i
                            + "]' must be an object with the string fields 'name' and 'value' only");
                }
                properties.add(new UserProperty(name.textValue(), text.textValue()));
            }
            return properties;
        }
        throw ApiException.badRequest("'userProperties' must be an object of strings or an array of "
                + "{\"name\", \"value\"} objects");
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
