package io.tributary.routes;

import io.tributary.bridge.camel.TributaryComponent;
import io.tributary.bridge.camel.TributaryEndpoint;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.Template;
import io.tributary.routes.buffer.RouteBuffers;
import io.tributary.routes.http.PermanentDeliveryException;
import io.tributary.routes.http.WebhookSinks;
import io.tributary.routes.jdbc.JdbcSinks;
import io.tributary.routes.logging.RouteFailureLog;
import io.tributary.routes.metrics.RouteMeters;
import io.tributary.routes.mqtt.MqttLinks;
import io.tributary.routes.spi.MappingException;
import io.tributary.routes.spi.MessageVariables;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The Camel routes of the {@code routes} section: each takes messages from its source, drops those its
 * condition refuses, maps the rest onto its sink and delivers them. A failed delivery is retried with
 * exponential backoff; past the last attempt the original message goes to the dead-letter destination with
 * the error, or, without one, the failure goes back to the source (the device's acknowledgement reports it,
 * a Kafka record is read again). A message the mapping cannot express is not retried.
 */
final class ConfiguredRoutes extends RouteBuilder {

    private final List<RouteSettings> routes;
    private final Function<String, String> routeIds;
    private final TributaryComponent broker;
    private final KafkaEndpoints kafka;
    private final WebhookSinks webhooks;
    private final JdbcSinks jdbc;
    private final RouteBuffers buffers;
    private final RouteFailureLog failures = new RouteFailureLog();

    /**
     * @param routeIds the Camel route id of each route, by name: its name, or after a reload replaced it,
     *     its name with a generation such as {@code telemetry~2}
     */
    ConfiguredRoutes(List<RouteSettings> routes, Function<String, String> routeIds, TributaryComponent broker,
                     KafkaEndpoints kafka, WebhookSinks webhooks, JdbcSinks jdbc, RouteBuffers buffers) {
        this.routes = routes;
        this.routeIds = routeIds;
        this.broker = broker;
        this.kafka = kafka;
        this.webhooks = webhooks;
        this.jdbc = jdbc;
        this.buffers = buffers;
    }

    @Override
    public void configure() throws Exception {
        for (RouteSettings route : routes) {
            configure(route);
        }

        // An onException does not inherit the error handler's log levels: Camel would log at ERROR, with ids.
        getRouteCollection().getOnExceptions().forEach(ConfiguredRoutes::camelLogsAtDebug);
        getRouteCollection().getRoutes().forEach(route -> route.getOutputs().stream()
                .filter(OnExceptionDefinition.class::isInstance)
                .forEach(onException -> camelLogsAtDebug((OnExceptionDefinition) onException)));
    }

    private void configure(RouteSettings route) throws Exception {
        SourceVariables variables = SourceVariables.of(route.from());
        String id = routeIds.apply(route.name());
        Endpoint source = source(route);
        if (source instanceof TributaryEndpoint fromBroker && route.to() instanceof RouteSink.Kafka record) {
            // The endpoint only lends its settings: each record names its topic.
            DirectKafkaDelivery.of(route, id, kafka.producer(record.connection(), "tributary-direct"), routeMeters())
                    .ifPresent(fromBroker::setDirectDelivery);
        }
        RouteDefinition definition = from(source).routeId(id).routeProperty(RouteMeters.NAME_PROPERTY, route.name());
        // What can never be delivered is not retried: it goes to the dead letter at once, the route's own or,
        // without one, the default one. What may pass later is retried, then goes to the route's own dead letter
        // or fails, holding the publisher's acknowledgement so that the message is sent again.
        if (route.deadLetter().isPresent()) {
            definition.onException(PERMANENT_FAILURES).maximumRedeliveries(0).end();
        } else {
            definition.onException(PERMANENT_FAILURES).handled(true).maximumRedeliveries(0).useOriginalMessage()
                    .to(deadLetterUri(id)).end();
        }
        definition.errorHandler(errorHandler(route));
        if (route.from() instanceof RouteSource.Kafka) {
            definition.routePolicy(failures.notDeliveredPolicy(subject(route), "the record is read again"));
        }
        // A message the condition refuses completes at once; the mapping and the sink are the filter's steps.
        ProcessorDefinition<?> steps = definition;
        if (route.condition().isPresent()) {
            Condition condition = route.condition().get();
            steps = definition.filter(exchange -> condition.test(variables.of(exchange).forCondition()))
                    .statusPropertyName(RouteMeters.CONDITION_MATCHED);
        }
        deliver(steps, route.to(), variables::of);

        // Without a dead letter of its own, a route sends what it can never deliver to the default one, and fails
        // what might pass later as before: the publisher's acknowledgement is held and the message sent again.
        RouteSink deadLetter = route.deadLetter().orElseGet(() -> defaultDeadLetter(route.name()));
        Function<Exchange, MessageVariables> withError = exchange -> variables.of(exchange)
                .with("error", errorText(exchange))
                .with("route", route.name());
        RouteDefinition deadLetterRoute = from(deadLetterUri(id)).routeId(deadLetterRouteId(id));
        deadLetterRoute.errorHandler(noErrorHandler())
                .process(new DeadLetterAnnotator(route.name(), deadLetter));
        deliver(deadLetterRoute, deadLetter, withError);
    }

    /**
     * The dead letter of a route that names none: the topic {@code $dead-letter/ROUTE} of the built-in broker.
     * A {@code $} topic, so that no route or client reading {@code #} takes dead letters by accident (a route
     * reading {@code #} would otherwise loop on its own dead letters) [MQTT-4.7.2-1].
     */
    static RouteSink.Mqtt defaultDeadLetter(String routeName) {
        return new RouteSink.Mqtt(Template.parse(DEFAULT_DEAD_LETTER_PREFIX + routeName), Optional.empty(), false);
    }

    /**
     * Failures that retrying cannot fix, because the route or its sink cannot use the message: a mapping that does
     * not fit the payload or a row the database refuses ({@link MappingException}), a webhook's answer that the
     * request itself is wrong (404, 401, 422...), a record over Kafka's size limit.
     */
    @SuppressWarnings("unchecked")
    private static final Class<? extends Throwable>[] PERMANENT_FAILURES = new Class[] {
        MappingException.class, PermanentDeliveryException.class, RecordTooLargeException.class};

    /** True if {@code error}, or one of its causes, is one of {@link #PERMANENT_FAILURES}. */
    static boolean isPermanent(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            for (Class<? extends Throwable> permanent : PERMANENT_FAILURES) {
                if (permanent.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The threads that start the exchanges of a route from MQTT to Kafka, each publisher's messages on one of them:
     * one thread spent most of its time in Camel's steps and the producer's {@code send} and bounded the route.
     * Other sinks keep one thread.
     */
    static final int KAFKA_ROUTE_WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private Endpoint source(RouteSettings route) throws Exception {
        if (route.from() instanceof RouteSource.Mqtt mqtt) {
            // ack: buffer puts the route's buffer between the broker and the route: the device is acknowledged
            // once the buffer has the message, and the route gets it from the buffer.
            TributaryEndpoint endpoint = route.buffered()
                    ? broker.bufferedEndpoint(mqtt.filter().mqttFilter(), buffers.forRoute(route))
                    : broker.endpoint(mqtt.filter().mqttFilter());
            if (route.to() instanceof RouteSink.Kafka) {
                endpoint.setWorkers(KAFKA_ROUTE_WORKERS);
            }
            // In place of Camel's line with the exchange's id and a stack trace; a route's buffer logs its own.
            endpoint.setExceptionHandler(route.buffered() ? RouteFailureLog.loggedElsewhere(subject(route))
                    : failures.notDelivered(subject(route), "the publisher gets the failure"));
            return endpoint;
        }
        if (route.from() instanceof RouteSource.ExternalMqtt external) {
            DefaultEndpoint endpoint = MqttLinks.endpoint(getContext(), external);
            endpoint.setExceptionHandler(failures.notDelivered(subject(route), "the external broker sends it again"));
            return endpoint;
        }
        RouteSource.Kafka source = (RouteSource.Kafka) route.from();
        return kafka.consumer(source.connection(), source.topic(), source.group());
    }

    /** Appends the steps that map an exchange onto {@code sink} and deliver it. */
    private void deliver(ProcessorDefinition<?> steps, RouteSink sink,
                         Function<Exchange, ? extends Function<String, String>> variables) throws Exception {
        if (sink instanceof RouteSink.Kafka record) {
            steps.process(new KafkaRecordMapper(record, variables))
                    .to(kafka.producer(record.connection(), record.topic().isConstant()
                            ? record.topic().toString() : "tributary-unrouted"));
        } else if (sink instanceof RouteSink.Mqtt message) {
            steps.process(new MqttMessageMapper(message, variables)).to(message.connection()
                    .<Endpoint>map(connection -> MqttLinks.sinkEndpoint(getContext(), connection))
                    .orElseGet(() -> broker.endpoint(message.topic().toString())));
        } else if (sink instanceof RouteSink.Http webhook) {
            steps.process(webhooks.sink(webhook, variables));
        } else if (sink instanceof RouteSink.Jdbc table) {
            steps.process(jdbc.sink(table, variables));
        } else {
            throw new IllegalArgumentException("no delivery for " + sink);
        }
    }

    private org.apache.camel.ErrorHandlerFactory errorHandler(RouteSettings route) {
        RetrySettings retry = route.retry();
        if (route.deadLetter().isPresent()) {
            DeadLetterChannelBuilder builder = deadLetterChannel(deadLetterUri(routeIds.apply(route.name())));
            builder.useOriginalMessage();
            // A dead-letter destination that fails too must fail the exchange, or the message would be lost.
            builder.deadLetterHandleNewException(false);
            return configureRedelivery(builder, retry, failures.retrying(subject(route)));
        }
        return configureRedelivery(defaultErrorHandler(), retry, failures.retrying(subject(route)));
    }

    /** The context's route meters, which count the messages of a direct path too; null when none is installed. */
    private RouteMeters routeMeters() {
        return getContext().getManagementStrategy().getEventNotifiers().stream()
                .filter(RouteMeters.class::isInstance).map(RouteMeters.class::cast).findFirst().orElse(null);
    }

    /** How log lines name a route: by its configured name, never its Camel id (such as {@code name~2}). */
    private static String subject(RouteSettings route) {
        return "route " + route.name();
    }

    /**
     * @param onRetry logs each retry; Camel's own lines (with exchange ids and message history) are at DEBUG
     */
    private static <T extends DefaultErrorHandlerDefinition> T configureRedelivery(T builder, RetrySettings retry,
                                                                                 Processor onRetry) {
        builder.maximumRedeliveries(retry.maxAttempts() - 1)
                .redeliveryDelay(retry.initialBackoff().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(retry.multiplier())
                .maximumRedeliveryDelay(retry.maxBackoff().toMillis())
                // Up to 15 % off each wait either way, so that messages failed together do not retry together.
                .useCollisionAvoidance()
                .collisionAvoidancePercent(15)
                // Waiting threads would stall every message behind the failed one; Camel schedules instead.
                .asyncDelayedRedelivery()
                .onRedelivery(onRetry)
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                // Camel's logger sets its level around each line and restores it, unguarded: two failures on two
                // threads can restore the default (ERROR) under each other. A DEBUG default keeps both at DEBUG.
                .loggingLevel(LoggingLevel.DEBUG)
                .logStackTrace(false)
                .logRetryStackTrace(false)
                .logExhaustedMessageHistory(false);
        return builder;
    }

    /** Camel's lines on failures name exchange ids and not the route; RouteFailureLog writes ours. */
    static void camelLogsAtDebug(OnExceptionDefinition onException) {
        onException.retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                .logStackTrace(false)
                .logRetryStackTrace(false)
                .logExhaustedMessageHistory(false);
    }

    /** The id of the route that delivers the dead letters of the route with id {@code routeId}. */
    /** Where a route without a dead letter of its own sends what it can never deliver, followed by its name. */
    static final String DEFAULT_DEAD_LETTER_PREFIX = "$dead-letter/";

    static String deadLetterRouteId(String routeId) {
        return routeId + "-dead-letter";
    }

    private static String deadLetterUri(String routeId) {
        return "direct:tributary-dead-letter-" + routeId;
    }

    private static String errorText(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return error == null ? "unknown error" : DeadLetterAnnotator.describe(error);
    }
}
