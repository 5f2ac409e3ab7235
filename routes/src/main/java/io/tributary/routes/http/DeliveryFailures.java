package io.tributary.routes.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns what went wrong with a webhook request into the exception that fails its exchange. */
final class DeliveryFailures {

    /** Statuses that say the request itself is wrong for this webhook: retrying the same one cannot help. */
    private static final Set<Integer> PERMANENT = Set.of(400, 401, 403, 404, 405, 410, 413, 414, 415, 422);

    private DeliveryFailures() {
    }

    /** Whether an answer with {@code status} is not retried. */
    static boolean isPermanent(int status) {
        return PERMANENT.contains(status);
    }

    /** Whether a {@code Retry-After} with an answer of {@code status} sets the wait before the next attempt. */
    static boolean honoursRetryAfter(int status) {
        return status == 429 || status == 503;
    }

    /**
     * The failure for an answer other than 2xx.
     *
     * @param target the method, host and port
     * @param note added in parentheses when not null, such as the {@code Retry-After} taken
     */
    static RuntimeException answered(String target, int status, String note) {
        String message = "webhook " + target + " answered " + HttpStatusText.of(status)
                + (note == null ? "" : " (" + note + ")");
        return isPermanent(status) ? new PermanentDeliveryException(message) : new WebhookDeliveryException(message);
    }

    /** The failure for a request that got no answer: timeout, refused connection, I/O error. */
    static WebhookDeliveryException noAnswer(String target, Throwable error, Duration timeout) {
        Throwable cause = unwrap(error);
        String what;
        if (cause instanceof HttpConnectTimeoutException) {
            what = "could not connect within " + Durations.text(timeout);
        } else if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            what = "did not answer within " + Durations.text(timeout);
        } else if (cause instanceof ConnectException) {
            what = "refused the connection";
        } else if (cause instanceof UnresolvedAddressException) {
            what = "has a host name that does not resolve";
        } else if (cause instanceof CancellationException) {
            what = "request was cancelled";
        } else if (cause instanceof SSLException) {
            what = "TLS failed: " + text(cause);
        } else if (cause instanceof IOException) {
            what = "request failed: " + text(cause);
        } else {
            what = "request failed: " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? ""
                    : ": " + firstLine(cause.getMessage()));
        }
        return new WebhookDeliveryException("webhook " + target + " " + what);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // The JDK client reports a refused connection as a ConnectException, sometimes inside an IOException.
        if (cause instanceof IOException && !(cause instanceof HttpTimeoutException)
                && cause.getCause() instanceof ConnectException connect) {
            return connect;
        }
        return cause;
    }

    private static String text(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : firstLine(error.getMessage());
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
