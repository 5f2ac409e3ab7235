package io.tributary.routes.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.broker.UserProperty;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The JSON envelope a webhook gets in the {@code envelope} format: the message and its metadata,
 * {@code {"topic", "payload", "payloadEncoding", "qos", "retain", "clientId", "contentType", "responseTopic",
 * "correlationData", "messageExpirySeconds", "userProperties": [{"name", "value"}], "timestamp"}}, the shape
 * the HTTP API gives a message too. The payload is text when it is valid UTF-8 ({@code "payloadEncoding":
 * "utf-8"}), else base64 ({@code "base64"}); correlation data is always base64; the expiry is the seconds
 * left; {@code timestamp} is when the broker received the message, ISO-8601 in UTC. A field the message has
 * no value for is {@code null} (user properties: {@code []}), so every envelope has the same fields.
 */
final class Envelope {

    private static final JsonFactory JSON = new JsonFactory();

    private Envelope() {
    }

    static byte[] write(Exchange exchange, byte[] payload) {
        Message in = exchange.getIn();
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("topic", in.getHeader(MqttHeaders.TOPIC, String.class));
            String text = utf8(payload);
            if (text != null) {
                json.writeStringField("payload", text);
                json.writeStringField("payloadEncoding", "utf-8");
            } else {
                json.writeStringField("payload", Base64.getEncoder().encodeToString(payload));
                json.writeStringField("payloadEncoding", "base64");
            }
            Integer qos = in.getHeader(MqttHeaders.QOS, Integer.class);
            if (qos == null) {
                json.writeNullField("qos");
            } else {
                json.writeNumberField("qos", qos);
            }
            json.writeBooleanField("retain", Boolean.TRUE.equals(in.getHeader(MqttHeaders.RETAIN, Boolean.class)));
            json.writeStringField("clientId", in.getHeader(MqttHeaders.CLIENT_ID, String.class));
            json.writeStringField("contentType", in.getHeader(MqttHeaders.CONTENT_TYPE, String.class));
            json.writeStringField("responseTopic", in.getHeader(MqttHeaders.RESPONSE_TOPIC, String.class));
            byte[] correlation = in.getHeader(MqttHeaders.CORRELATION_DATA, byte[].class);
            json.writeStringField("correlationData",
                    correlation == null ? null : Base64.getEncoder().encodeToString(correlation));
            Long expiry = in.getHeader(MqttHeaders.MESSAGE_EXPIRY, Long.class);
            if (expiry == null) {
                json.writeNullField("messageExpirySeconds");
            } else {
                json.writeNumberField("messageExpirySeconds", expiry);
            }
            json.writeArrayFieldStart("userProperties");
            for (Object property : in.getHeader(MqttHeaders.USER_PROPERTIES, List.of(), List.class)) {
                UserProperty user = (UserProperty) property;
                json.writeStartObject();
                json.writeStringField("name", user.name());
                json.writeStringField("value", user.value());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("timestamp", Instant.ofEpochMilli(receivedAt(exchange)).toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** When the broker received the message; for a message from elsewhere, when the exchange began. */
    private static long receivedAt(Exchange exchange) {
        Long received = exchange.getIn().getHeader(MqttHeaders.RECEIVED_AT, Long.class);
        return received != null ? received : exchange.getClock().getCreated();
    }

    /** The payload as text if it is valid UTF-8, else null. */
    static String utf8(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
