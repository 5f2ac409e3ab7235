package io.tributary.routes.http;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.config.RouteSink.WebhookFormat;
import org.apache.camel.Exchange;

/**
 * The body of a webhook request and its content type.
 *
 * @param bytes the body
 * @param contentType its {@code Content-Type}
 */
record WebhookBody(byte[] bytes, String contentType) {

    static final String OCTET_STREAM = "application/octet-stream";
    static final String JSON = "application/json";

    /**
     * The body for a message: {@link WebhookFormat#RAW} is the payload with the message's MQTT 5 content type
     * (else, or when it is not printable ASCII, {@code application/octet-stream});
     * {@link WebhookFormat#ENVELOPE} is the JSON of {@link Envelope}.
     */
    static WebhookBody of(WebhookFormat format, Exchange exchange) {
        byte[] payload = payload(exchange);
        if (format == WebhookFormat.ENVELOPE) {
            return new WebhookBody(Envelope.write(exchange, payload), JSON);
        }
        String contentType = exchange.getIn().getHeader(MqttHeaders.CONTENT_TYPE, String.class);
        return new WebhookBody(payload, isHeaderText(contentType) ? contentType : OCTET_STREAM);
    }

    /** A device's content type that is not printable ASCII cannot be a header value: then octet-stream. */
    private static boolean isHeaderText(String value) {
        return value != null && !value.isBlank() && value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    private static byte[] payload(Exchange exchange) {
        byte[] payload = exchange.getIn().getBody(byte[].class);
        return payload == null ? new byte[0] : payload;
    }
}
