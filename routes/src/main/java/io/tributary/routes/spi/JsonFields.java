package io.tributary.routes.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The fields of a JSON payload, read by dotted paths such as {@code meta.id} or {@code readings.0.value}.
 * The payload is parsed on first use, once.
 */
final class JsonFields {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[] payload;
    private JsonNode root;
    private String parseError;

    JsonFields(byte[] payload) {
        this.payload = payload;
    }

    /**
     * The field's value as text (numbers and booleans as written, objects and arrays as JSON), or null when
     * the payload has no such field or it is JSON null.
     *
     * @throws MappingException if the payload is not JSON
     */
    String get(String path) {
        JsonNode node = root();
        for (String segment : path.split("\\.")) {
            if (node.isArray() && segment.chars().allMatch(Character::isDigit)) {
                node = node.path(Integer.parseInt(segment));
            } else {
                node = node.path(segment);
            }
        }
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new MappingException("cannot write JSON field " + path + ": " + e.getOriginalMessage());
        }
    }

    private JsonNode root() {
        if (root == null && parseError == null) {
            try {
                root = MAPPER.readTree(payload);
                if (root == null) {
                    parseError = "the payload is empty";
                }
            } catch (IOException e) {
                parseError = "the payload is not JSON: " + firstLine(e.getMessage());
            }
        }
        if (parseError != null) {
            throw new MappingException(parseError);
        }
        return root;
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
