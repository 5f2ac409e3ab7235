package io.tributary.routes.api;

import io.tributary.bridge.camel.TributaryComponent;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.broker.AclConfig;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.routes.http.WebhookSinks;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * What the HTTP API runs on in the tests: a real broker on a free loopback port, a Camel context with the
 * {@code tributary} component as the bridge has, webhook sinks, and the API itself, started and closed together.
 */
final class ApiStack implements AutoCloseable {

    /** Prepares the Camel context before it starts: the routes and event notifiers a test needs. */
    interface ContextSetup {
        void prepare(DefaultCamelContext context) throws Exception;
    }

    final Broker broker;
    final DefaultCamelContext context;
    final WebhookSinks sinks;
    final Map<String, String> environment;
    HttpApi api;

    private ApiStack(AclConfig acl, Map<String, String> environment, ContextSetup setup,
                     Function<ApiStack, HttpApi> startApi) throws Exception {
        this.environment = environment;
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).acl(acl).build()).build();
        broker.start().join();
        context = new DefaultCamelContext();
        context.disableJMX();
        context.addComponent(TributaryComponent.SCHEME, new TributaryComponent(broker));
        setup.prepare(context);
        context.start();
        sinks = new WebhookSinks(environment);
        api = startApi.apply(this);
    }

    /** With the API started by {@code HttpApi.start(settings, ...)} in {@code data}. */
    static ApiStack start(Path data, HttpApiSettings settings, Map<String, String> environment) {
        return start(data, settings, environment, AclConfig.NONE, context -> { });
    }

    static ApiStack start(Path data, HttpApiSettings settings, Map<String, String> environment, AclConfig acl,
                          ContextSetup setup) {
        return start(acl, environment, setup,
                stack -> HttpApi.start(settings, stack.context, stack.broker, stack.sinks, data, environment));
    }

    /** With the API started by {@code startApi}, for settings the other factories do not take. */
    static ApiStack start(AclConfig acl, Map<String, String> environment, ContextSetup setup,
                          Function<ApiStack, HttpApi> startApi) {
        try {
            return new ApiStack(acl, environment, setup, startApi);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the API's stack did not start", e);
        }
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        context.stop();
        sinks.close();
        broker.close();
    }
}
