package io.tributary.hivemq;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.tributary.bridge.config.ConfigError;
import io.tributary.bridge.config.ConfigException;
import io.tributary.bridge.config.ConfigLoader;
import io.tributary.bridge.config.HostedConfig;
import io.tributary.routes.BridgeStartException;
import io.tributary.routes.TributaryBridge;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tributary's routes as a HiveMQ extension. Start: reads {@code tributary.yaml} (the file named by
 * {@code TRIBUTARY_CONFIG}, else the one in the extension's folder; its data directory by default {@code tributary} in
 * HiveMQ's data folder), starts the routes over a {@link HiveMqBroker},
 * and only then puts the {@link RoutingInterceptor} on every client, so no publish arrives before its route runs
 * (HiveMQ binds its listeners after its extensions started). A bad configuration or a route that cannot start keeps
 * the extension from starting, with the reason in HiveMQ's log. Stop: the routes from Kafka first (their offsets
 * committed for what was delivered), then no publish is routed any more, then the routes and their threads end. The
 * routes' meters show in HiveMQ's metric registry while they run ({@link HiveMqMeters}).
 */
public final class TributaryExtensionMain implements ExtensionMain {

    /** The environment variable naming the configuration file, instead of the extension folder's. */
    public static final String CONFIG_VARIABLE = "TRIBUTARY_CONFIG";
    /** The configuration file's name in the extension's folder. */
    public static final String CONFIG_FILE = "tributary.yaml";

    /** The data directory under HiveMQ's data folder when the file names none. */
    public static final String DATA_FOLDER = "tributary";

    private static final Logger LOG = LoggerFactory.getLogger(TributaryExtensionMain.class);

    private final Map<String, String> environment;
    private final Path configFile;
    private volatile TributaryBridge bridge;
    private volatile RoutingInterceptor interceptor;
    private volatile HiveMqMeters meters;

    /** The extension as HiveMQ loads it from its folder. */
    public TributaryExtensionMain() {
        this(null, System.getenv());
    }

    /**
     * An extension reading {@code configFile} (null: as HiveMQ loads it) and {@code environment}, for HiveMQ embedded
     * in an application or a test.
     */
    public TributaryExtensionMain(Path configFile, Map<String, String> environment) {
        this.configFile = configFile;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Camel finds its parts through the context class loader: ours, not HiveMQ's.
        thread.setContextClassLoader(TributaryExtensionMain.class.getClassLoader());
        try {
            Path file = configFile(input);
            // HiveMQ's data folder, not the extension's, which an upgrade replaces.
            Path data = input.getServerInformation().getDataFolder().toPath().resolve(DATA_FOLDER);
            HostedConfig config = new ConfigLoader(environment).hostedBy("HiveMQ", data).loadHosted(file);
            RouteSubscriptions subscriptions = new RouteSubscriptions();
            HiveMqBroker broker = new HiveMqBroker(subscriptions, Services.publishService(), Builders::publish);
            bridge = TributaryBridge.start(config.config(), broker, environment);
            meters = new HiveMqMeters(bridge.metrics(), Services.metricRegistry());
            RoutingInterceptor routing = new RoutingInterceptor(subscriptions, config.hivemq().holdTimeout());
            interceptor = routing;
            Services.initializerRegistry().setClientInitializer(
                    (initializerInput, client) -> client.addPublishInboundInterceptor(routing));
            LOG.info("Tributary started inside HiveMQ from {}: {} route(s), publishes held up to {}", file,
                    config.config().routes().size(), config.hivemq().holdTimeout());
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                LOG.error("Tributary configuration: {}", error.render());
            }
            output.preventExtensionStartup("Tributary's configuration is invalid: " + e.getMessage());
        } catch (BridgeStartException e) {
            LOG.error("Tributary's routes could not start: {}", e.getMessage());
            output.preventExtensionStartup("Tributary's routes could not start: " + e.getMessage());
        } catch (RuntimeException e) {
            // Past the routes' start (HiveMQ's services): what started must not outlive the refusal.
            closeStarted();
            LOG.error("Tributary could not start inside HiveMQ", e);
            output.preventExtensionStartup("Tributary could not start inside HiveMQ: " + e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        TributaryBridge running = bridge;
        if (running == null) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TributaryExtensionMain.class.getClassLoader());
        try {
            running.stopExternalSources();
            RoutingInterceptor routing = interceptor;
            if (routing != null) {
                routing.stop();
            }
            running.close();
            bridge = null;
            HiveMqMeters shown = meters;
            if (shown != null) {
                shown.close();
            }
            LOG.info("Tributary stopped inside HiveMQ");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void closeStarted() {
        HiveMqMeters shown = meters;
        if (shown != null) {
            shown.close();
        }
        TributaryBridge running = bridge;
        if (running != null) {
            running.close();
        }
        bridge = null;
    }

    private Path configFile(ExtensionStartInput input) {
        if (configFile != null) {
            return configFile;
        }
        String named = environment.get(CONFIG_VARIABLE);
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        return input.getExtensionInformation().getExtensionHomeFolder().toPath().resolve(CONFIG_FILE);
    }
}
