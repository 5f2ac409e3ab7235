package io.tributary.routes;

/** The routes could not start: an unreachable embedded Kafka port, a bad Camel YAML file, a route Camel refused. */
public final class BridgeStartException extends RuntimeException {

    public BridgeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
