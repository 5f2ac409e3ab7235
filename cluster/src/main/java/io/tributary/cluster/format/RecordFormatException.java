package io.tributary.cluster.format;

/** A cluster record this node cannot read: another format, another kind, or cut short. The message says where. */
public final class RecordFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecordFormatException(String message) {
        super(message);
    }

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
