package io.tributary.routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.UserProperty;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/** The JSON of the API: request parsing, error bodies and how a message is written. */
final class ApiJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    /** {@code {"error": message}}. */
    static String error(String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("error", message);
        return write(node);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    /**
     * Parses a request body that must be a JSON object with no fields but {@code allowed}.
     *
     * @throws ApiException 400 saying what is wrong
     */
    static ObjectNode object(byte[] body, Set<String> allowed) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            String detail = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw ApiException.badRequest("the request body is not valid JSON: " + detail);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown field(s) " + String.join(", ", unknown) + "; known fields are "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
        return (ObjectNode) node;
    }

    /** A string field, or null when absent or JSON null. @throws ApiException 400 if it is not a string */
    static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string");
        }
        return value.textValue();
    }

    /**
     * A message as the API shows it, with the field names of a webhook's JSON envelope: {@code topic},
     * {@code payload} (text when valid UTF-8, else base64) and {@code payloadEncoding} ({@code utf-8} or
     * {@code base64}), {@code qos}, {@code retain}, {@code clientId}, {@code contentType},
     * {@code responseTopic}, {@code correlationData} (base64), {@code messageExpirySeconds} (left),
     * {@code userProperties} and {@code timestamp} (when the broker received it, ISO-8601 UTC).
     */
    static ObjectNode message(Message message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("topic", message.topic());
        String text = utf8(message.payload());
        if (text != null) {
            node.put("payload", text);
            node.put("payloadEncoding", "utf-8");
        } else {
            node.put("payload", Base64.getEncoder().encodeToString(message.payload()));
            node.put("payloadEncoding", "base64");
        }
        node.put("qos", message.qos().value());
        node.put("retain", message.retain());
        node.put("clientId", message.publisherId());
        MessageProperties properties = message.properties();
        node.put("contentType", properties.contentType());
        node.put("responseTopic", properties.responseTopic());
        node.put("correlationData", properties.correlationData() == null ? null
                : Base64.getEncoder().encodeToString(properties.correlationData()));
        node.put("messageExpirySeconds", message.remainingExpirySeconds(System.currentTimeMillis()));
        var users = node.putArray("userProperties");
        for (UserProperty property : properties.userProperties()) {
            users.addObject().put("name", property.name()).put("value", property.value());
        }
        node.put("timestamp", Instant.ofEpochMilli(message.receivedAtMillis()).toString());
        return node;
    }

    /** The bytes as text if they are valid UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
