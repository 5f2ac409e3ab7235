package io.tributary.broker;

/** Fails an interceptor's stage with an MQTT 5 reason code for the publisher's negative acknowledgement. */
public class PublishRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int reasonCode;

    /** @param reasonCode an MQTT 5 PUBACK/PUBREC reason code of 0x80 or above */
    public PublishRejectedException(int reasonCode, String message) {
        super(message);
        if (reasonCode < 0x80 || reasonCode > 0xFF) {
            throw new IllegalArgumentException("a rejection needs a failure reason code (0x80-0xFF): " + reasonCode);
        }
        this.reasonCode = reasonCode;
    }

    public int reasonCode() {
        return reasonCode;
    }
}
