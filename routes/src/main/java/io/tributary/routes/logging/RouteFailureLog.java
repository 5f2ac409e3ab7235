package io.tributary.routes.logging;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN lines about messages a route failed to deliver, in place of Camel's: each names the route (or API
 * webhook) as configured, says why in one line and what happens next, and leaves out Camel's message and
 * exchange ids, its message history and stack traces (those only at DEBUG). Lines are rate-limited by a
 * {@link FailureLog}: a sink that is down writes one line per route and reason every 10 s, with a count.
 *
 * <p>Camel's own error handler logs at DEBUG only (see where the routes are built); this class's processor
 * runs before each retry, and its exception handler gets what a route's source learns when it gave up.
 */
public final class RouteFailureLog {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFailureLog.class);
    /** Past this, a reason is cut: a driver's or server's message can be long. */
    private static final int MAX_REASON_LENGTH = 300;

    private final FailureLog log;

    public RouteFailureLog() {
        this(new FailureLog(LOG));
    }

    RouteFailureLog(FailureLog log) {
        this.log = log;
    }

    /**
     * The error handler's {@code onRedelivery} processor: logs {@code route NAME: REASON; retry N of M}.
     *
     * @param subject how the line names what failed, such as {@code route hot-readings}
     */
    public Processor retrying(String subject) {
        return exchange -> {
            Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            String reason = reason(failure);
            int retry = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
            int retries = exchange.getIn().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
            log.warn(subject, "retry " + reason,
                    () -> subject + ": " + reason + "; retry " + retry + (retries > 0 ? " of " + retries : ""),
                    failure);
        };
    }

    /**
     * The handler of a source that learns a message was not delivered (retries exhausted or not allowed, and no
     * dead letter): logs {@code route NAME: not delivered after N attempts, OUTCOME: REASON}.
     *
     * @param subject how the line names what failed, such as {@code route hot-readings}
     * @param outcome what becomes of the message, such as {@code the publisher gets the failure}
     */
    public ExceptionHandler notDelivered(String subject, String outcome) {
        return new ExchangeExceptionHandler() {
            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                String reason = reason(exception);
                int attempts = exchange == null ? 0
                        : exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
                log.warn(subject, "failed " + reason, () -> subject + ": not delivered"
                        + (attempts > 1 ? " after " + attempts + " attempts" : "") + ", " + outcome + ": " + reason,
                        exception);
            }
        };
    }

    /**
     * A route policy that logs each exchange that ended failed, for sources that do not report failures through
     * their exception handler: camel-kafka's consumer with {@code breakOnFirstError} logs them itself (with the
     * exchange's id, so the app's logback.xml quiets it) and reads the record again.
     */
    public RoutePolicy notDeliveredPolicy(String subject, String outcome) {
        ExceptionHandler handler = notDelivered(subject, outcome);
        return new RoutePolicySupport() {
            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                Exception failure = exchange.getException();
                if (failure != null) {
                    handler.handleException(null, exchange, failure);
                }
            }
        };
    }

    /**
     * The handler of a source whose own component already says what became of a failed message (a route's
     * buffer does, every 30 s at most): only a DEBUG line, in place of Camel's WARN with the exchange's id.
     */
    public static ExceptionHandler loggedElsewhere(String subject) {
        return new ExchangeExceptionHandler() {
            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                LOG.debug("{}: not delivered: {}", subject, reason(exception), exception);
            }
        };
    }

    /**
     * Why a delivery failed, in one line: our own exceptions' messages say it (they name the webhook, table or
     * topic); another's gets its class's simple name in front, as {@code Kafka TimeoutException: Topic t not
     * present in metadata after 60000 ms}.
     */
    public static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        String message = failure.getMessage();
        String text;
        if (message == null || message.isBlank()) {
            text = failure.getClass().getSimpleName();
        } else if (failure.getClass().getName().startsWith("io.tributary.")) {
            text = message;
        } else if (failure.getClass().getName().startsWith("org.apache.kafka.")) {
            text = "Kafka " + failure.getClass().getSimpleName() + ": " + message;
        } else {
            text = failure.getClass().getSimpleName() + ": " + message;
        }
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() > MAX_REASON_LENGTH ? text.substring(0, MAX_REASON_LENGTH) + "..." : text;
    }

    /** An {@link ExceptionHandler} whose every call comes to the one with the exchange (null when there is none). */
    private abstract static class ExchangeExceptionHandler implements ExceptionHandler {
        @Override
        public void handleException(Throwable exception) {
            handleException(null, null, exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handleException(message, null, exception);
        }
    }
}
