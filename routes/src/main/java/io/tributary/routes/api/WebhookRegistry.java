package io.tributary.routes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.bridge.camel.TributaryComponent;
import io.tributary.bridge.camel.TributaryEndpoint;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Permissions;
import io.tributary.routes.http.PermanentDeliveryException;
import io.tributary.routes.http.WebhookSinks;
import io.tributary.routes.logging.RouteFailureLog;
import io.tributary.routes.spi.MessageVariables;
import io.tributary.routes.spi.PartStartException;
import io.tributary.storage.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook subscriptions made through the API: each is a Camel route from a {@code tributary:}
 * subscription to a webhook sink, kept in {@code webhooks.json} in the data directory (rewritten whole
 * through a temporary file and an atomic move) and made again when the API starts.
 *
 * <p>A webhook route does not hold the publishers' acknowledgements (an MQTT subscriber does not either): a
 * webhook that is down delays nobody's PUBACK. A failed request is retried as a configured route's is (five
 * attempts, backing off from 1 s), but for an answer that retrying cannot change (400, 401, 403, 404...);
 * after the last attempt the message is logged and dropped.
 */
final class WebhookRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistry.class);
    static final String FILE_NAME = "webhooks.json";
    private static final String ROUTE_PREFIX = "tributary-api-webhook-";
    private static final int STOP_TIMEOUT_SECONDS = 30;

    private final CamelContext context;
    private final TributaryComponent broker;
    private final WebhookSinks sinks;
    private final Path file;
    private final Clock clock;
    private final WebhookTargets targets;
    private final RouteFailureLog failures = new RouteFailureLog();
    private final Map<String, WebhookRegistration> registrations = new LinkedHashMap<>();

    WebhookRegistry(CamelContext context, TributaryComponent broker, WebhookSinks sinks, Path dataDirectory,
                    Clock clock, WebhookTargets targets) {
        this.targets = targets;
        this.context = context;
        this.broker = broker;
        this.sinks = sinks;
        this.file = dataDirectory.resolve(FILE_NAME);
        this.clock = clock;
    }

    /**
     * Makes the routes of the stored registrations.
     *
     * @throws IllegalStateException naming the file and the registration that is wrong
     */
    synchronized void restore() {
        if (!Files.exists(file)) {
            return;
        }
        JsonNode root;
        try {
            root = ApiJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("webhooks");
        if (list == null || !list.isArray()) {
            throw new IllegalStateException(file + " has no \"webhooks\" array");
        }
        for (JsonNode node : list) {
            WebhookRegistration registration;
            try {
                registration = WebhookRegistration.fromStored(node);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(file + " has a webhook that is not valid (name: "
                        + node.path("name").asText("none") + "): " + e.getMessage(), e);
            }
            if (registrations.containsKey(registration.name())) {
                throw new IllegalStateException(file + " has the webhook '" + registration.name() + "' twice");
            }
            // Kept, so that an upgrade does not stop the start; its requests are refused one by one.
            targets.refusal(registration.sampleUrl()).ifPresent(why -> LOG.warn(
                    "The webhook '{}' of {} will not send anything: {}", registration.name(), file, why));
            try {
                addRoute(registration);
            } catch (Exception e) {
                throw new IllegalStateException("the webhook '" + registration.name() + "' of " + file
                        + " could not start: " + HttpApi.describe(e), e);
            }
            registrations.put(registration.name(), registration);
        }
        LOG.info("{} webhook(s) of the HTTP API restored from {}", registrations.size(), file);
    }

    /** {@code POST /api/v1/webhooks}: registers, starts and stores a webhook; answers it. */
    synchronized String create(byte[] body, Permissions access) {
        WebhookRegistration registration = WebhookRegistration.parse(
                ApiJson.object(body, WebhookRegistration.FIELDS), clock.instant());
        // A webhook's messages are not checked one by one (it outlives the request and its token), so its filter
        // must match only topics the token's user may read.
        String filter = registration.pattern().mqttFilter();
        if (!access.mayReadAll(filter)) {
            throw new ApiException(403, "this token's user may not read every topic of '" + filter + "'");
        }
        targets.refusal(registration.sampleUrl()).ifPresent(why -> {
            throw ApiException.badRequest(why);
        });
        if (registrations.containsKey(registration.name())) {
            throw new ApiException(409, "a webhook named '" + registration.name() + "' exists already; delete it "
                    + "first to change it");
        }
        if (context.getRoute(routeId(registration.name())) != null) {
            throw new ApiException(409, "a route named '" + routeId(registration.name()) + "' exists already");
        }
        try {
            addRoute(registration);
        } catch (ApiException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            removeRoute(registration.name());
            throw ApiException.badRequest("the webhook is not valid: " + HttpApi.describe(e));
        } catch (Exception e) {
            removeRoute(registration.name());
            LOG.warn("The webhook '{}' could not start: {}", registration.name(), HttpApi.describe(e));
            throw new ApiException(500, "the webhook could not start: " + HttpApi.describe(e));
        }
        registrations.put(registration.name(), registration);
        try {
            save();
        } catch (IOException e) {
            registrations.remove(registration.name());
            removeRoute(registration.name());
            LOG.warn("The webhooks could not be saved to {}: {}", file, e.getMessage());
            throw new ApiException(500, "the webhook could not be stored: " + e.getMessage());
        }
        // Not the URL: webhook URLs often carry a secret.
        LOG.info("Webhook '{}' registered for {}", registration.name(), registration.filter());
        return ApiJson.write(registration.toJson());
    }

    /** {@code GET /api/v1/webhooks}: {@code {"webhooks": [...]}} in the order they were registered. */
    synchronized String list() {
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        ArrayNode array = answer.putArray("webhooks");
        registrations.values().forEach(registration -> array.add(registration.toJson()));
        return ApiJson.write(answer);
    }

    /** {@code DELETE /api/v1/webhooks/{name}}: removes the webhook from storage, then stops its route. */
    synchronized void delete(String name) {
        WebhookRegistration registration = registrations.get(name);
        if (registration == null) {
            throw ApiException.notFound("no webhook named '" + name + "'");
        }
        registrations.remove(name);
        try {
            save();
        } catch (IOException e) {
            registrations.put(name, registration);
            LOG.warn("The webhooks could not be saved to {}: {}", file, e.getMessage());
            throw new ApiException(500, "the webhook could not be deleted from storage: " + e.getMessage());
        }
        removeRoute(name);
        LOG.info("Webhook '{}' deleted", name);
    }

    /** Stops the webhook routes (they stay stored); called when the API stops. */
    synchronized void close() {
        for (String name : List.copyOf(registrations.keySet())) {
            removeRoute(name);
        }
        registrations.clear();
    }

    private void addRoute(WebhookRegistration registration) throws Exception {
        TopicPattern pattern = registration.pattern();
        TributaryEndpoint source = broker.endpoint(pattern.mqttFilter());
        // A webhook registered at run time is a subscriber, not a route of the configuration: it must not make
        // every device publishing on its filter wait for (or be refused by) an endpoint someone added later.
        source.setHoldPublisherAck(false);
        String subject = "webhook " + registration.name();
        source.setExceptionHandler(failures.notDelivered(subject, "the message is dropped"));
        RetrySettings retry = RetrySettings.defaults();
        Function<Exchange, Function<String, String>> variables =
                exchange -> MessageVariables.ofMqtt(exchange, pattern);
        AsyncProcessor delivery;
        try {
            delivery = sinks.sink(registration.sink(), variables);
        } catch (PartStartException e) {
            throw ApiException.badRequest("the webhook is not valid: " + e.getMessage());
        }
        context.addRoutes(new RouteBuilder(context) {
            @Override
            public void configure() {
                // Retrying cannot change a 400, 401, 403, 404... answer.
                onException(PermanentDeliveryException.class).maximumRedeliveries(0)
                        // Camel would log it at ERROR with ids; RouteFailureLog writes the line.
                        .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                        .logStackTrace(false)
                        .logExhaustedMessageHistory(false);
                from(source)
                        .routeId(routeId(registration.name()))
                        .routeDescription("HTTP API webhook " + registration.name())
                        .errorHandler(defaultErrorHandler()
                                .maximumRedeliveries(retry.maxAttempts() - 1)
                                .redeliveryDelay(retry.initialBackoff().toMillis())
                                .useExponentialBackOff()
                                .backOffMultiplier(retry.multiplier())
                                .maximumRedeliveryDelay(retry.maxBackoff().toMillis())
                                .asyncDelayedRedelivery()
                                // Camel's lines name exchange ids; RouteFailureLog writes one naming the webhook.
                                .onRedelivery(failures.retrying(subject))
                                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                                .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                                // Camel's logger swaps its level per line, unguarded across threads (ConfiguredRoutes).
                                .loggingLevel(LoggingLevel.DEBUG)
                                .logStackTrace(false)
                                .logRetryStackTrace(false)
                                .logExhaustedMessageHistory(false))
                        .process(exchange -> refuseTarget(registration))
                        .process(delivery);
            }
        });
    }

    /** Checks the rendered URL's host before each request: the name may now resolve to a private address. */
    private void refuseTarget(WebhookRegistration registration) {
        targets.refusal(registration.sampleUrl()).ifPresent(why -> {
            throw new PermanentDeliveryException(why);
        });
    }

    private void removeRoute(String name) {
        String id = routeId(name);
        try {
            if (context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                context.removeRoute(id);
            }
        } catch (Exception e) {
            LOG.warn("Removing the route of webhook '{}' failed: {}", name, HttpApi.describe(e));
        }
    }

    /** The template variables of a message: the filter's placeholders, topic, qos, client-id, header.NAME. */
    private void save() throws IOException {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.put("version", 1);
        ArrayNode array = root.putArray("webhooks");
        registrations.values().forEach(registration -> array.add(registration.toJson()));
        byte[] bytes = ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        Path directory = file.toAbsolutePath().getParent();
        OwnerOnlyFiles.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, FILE_NAME + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static String routeId(String name) {
        return ROUTE_PREFIX + name;
    }
}
