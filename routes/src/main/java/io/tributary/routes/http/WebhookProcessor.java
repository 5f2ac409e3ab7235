package io.tributary.routes.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Delivers one route's exchanges to its webhook, asynchronously: the calling thread (the route's) only
 * builds the request and hands it to the HTTP client; the exchange completes on the client's executor when
 * the answer came. A 2xx answer completes it (only then does an MQTT publisher get its acknowledgement);
 * anything else fails it, so that the route's retries and dead letter apply. A {@code Retry-After} on a 429
 * or 503 answer sets Camel's {@link Exchange#REDELIVERY_DELAY} for the next attempt, at most the route's
 * {@code max-backoff}.
 */
final class WebhookProcessor extends AsyncProcessorSupport {

    private final WebhookRequests requests;
    private final HttpClient client;
    private final ConcurrencyGate gate;
    private final Executor completions;
    private final Duration timeout;

    /**
     * @param completions where an exchange continues once its answer came; never refuses a task
     */
    WebhookProcessor(WebhookRequests requests, HttpClient client, ConcurrencyGate gate, Executor completions,
                     Duration timeout) {
        this.requests = requests;
        this.client = client;
        this.gate = gate;
        this.completions = completions;
        this.timeout = timeout;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpRequest request;
        try {
            request = requests.build(exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        String target = requests.describe(request.uri());
        gate.enter(new ConcurrencyGate.Start() {
            @Override
            public void run() {
                send(exchange, request, target, callback);
            }

            @Override
            public void refused(String reason) {
                exchange.setException(new WebhookDeliveryException("webhook " + target + " is busy: " + reason));
                callback.done(false);
            }
        });
        return false;
    }

    private void send(Exchange exchange, HttpRequest request, String target, AsyncCallback callback) {
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            sent = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            gate.leave();
            exchange.setException(DeliveryFailures.noAnswer(target, e, timeout));
            callback.done(false);
            return;
        }
        // The request's own timeout ends at the answer's headers; this one also covers its body.
        sent.thenApply(response -> response)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((response, error) -> {
                    if (error != null) {
                        sent.cancel(true); // the JDK client then aborts the exchange and frees the connection
                    }
                    gate.leave();
                    try {
                        if (error != null) {
                            exchange.setException(DeliveryFailures.noAnswer(target, error, timeout));
                        } else {
                            answered(exchange, response, target);
                        }
                    } catch (RuntimeException e) {
                        exchange.setException(e);
                    } finally {
                        callback.done(false);
                    }
                }, completions);
    }

    private static void answered(Exchange exchange, HttpResponse<Void> response, String target) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String note = null;
        if (DeliveryFailures.honoursRetryAfter(status)) {
            Optional<Duration> wait = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null),
                    Instant.now());
            if (wait.isPresent()) {
                Duration max = RouteBackoff.max(exchange);
                Duration delay = wait.get().compareTo(max) > 0 ? max : wait.get();
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
                note = "Retry-After " + Durations.text(wait.get())
                        + (delay.equals(wait.get()) ? "" : ", waiting the route's max-backoff " + Durations.text(max));
            }
        }
        exchange.setException(DeliveryFailures.answered(target, status, note));
    }

    @Override
    public String toString() {
        return "webhook";
    }
}
