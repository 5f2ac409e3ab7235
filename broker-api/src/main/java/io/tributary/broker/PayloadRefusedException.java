package io.tributary.broker;

/**
 * Fails a subscriber's hold when it could not use a message and never will (a route whose mapping does not fit
 * the payload, a sink that refused it for good), and handed it to a dead letter instead. Resending cannot help,
 * so the publisher is acknowledged: an MQTT 5 publisher with reason 0x99 (Payload format invalid) when no other
 * subscriber took the message, an MQTT 3.1.1 publisher with a plain PUBACK, since it has no negative one and
 * closing its connection would only make it publish the same message again.
 */
public final class PayloadRefusedException extends PublishRejectedException {
    private static final long serialVersionUID = 1L;

    /** MQTT 5 PUBACK/PUBREC reason code 0x99, Payload format invalid. */
    public static final int REASON_CODE = 0x99;

    public PayloadRefusedException(String message) {
        super(REASON_CODE, message);
    }
}
