package io.tributary.broker.auth;

import io.tributary.broker.AuthConfig;
import io.tributary.broker.Authenticator;
import io.tributary.broker.Authorizer;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how a broker authenticates and keeps it running: an authenticator given by the embedding code, else
 * the one of {@code broker.auth} (a plugin's, else the password file, re-read when it changes), else the
 * built-in address check. Everything but the built-in check runs on {@link ConnectAuthentication}'s threads.
 * It also loads the plugins' authorizer, which the broker uses unless its code gives one.
 */
public final class BrokerAuth {
    private static final Logger log = LoggerFactory.getLogger(BrokerAuth.class);
    /** How often the password file is checked for changes. */
    private static final long RELOAD_CHECK_MILLIS = 1_000;

    private final AuthConfig config;
    private final Set<String> anonymousListeners = new HashSet<>();
    private final ConnectAuthentication authentication;
    private final boolean loadAtStart;
    /** Loaded in the constructor, so that the broker can choose the plugin authorizer before it starts. */
    private final AuthPlugins plugins;
    private ScheduledExecutorService reloads;

    /**
     * @param explicit the authenticator set on the broker's builder, or null
     * @param builtIn the default, cheap enough to run on the I/O thread
     * @throws IOException naming the jar, when a plugin of {@code broker.auth.plugins} cannot be loaded
     */
    public BrokerAuth(BrokerConfig broker, Authenticator explicit, Authenticator builtIn) throws IOException {
        this.config = broker.auth();
        // First, so that a bad jar leaves no thread behind.
        this.plugins = config.plugins().isEmpty() ? null : AuthPlugins.load(config.plugins());
        for (ListenerConfig listener : broker.listeners()) {
            if (listener.allowAnonymous()) {
                anonymousListeners.add(listener.name());
            }
        }
        int threads = ConnectAuthentication.defaultThreads();
        if (explicit != null) {
            authentication = ConnectAuthentication.pooled(explicit, threads, ConnectAuthentication.DEFAULT_QUEUE);
            loadAtStart = false;
        } else if (config.configured()) {
            // Nobody connects before start() has loaded the real one.
            authentication = ConnectAuthentication.pooled((client, password) -> false, threads,
                    ConnectAuthentication.DEFAULT_QUEUE);
            loadAtStart = true;
        } else {
            authentication = ConnectAuthentication.inline(builtIn);
            loadAtStart = false;
        }
    }

    /** What the connections authenticate with. */
    public ConnectAuthentication authentication() {
        return authentication;
    }

    /**
     * Chooses the authenticator of {@code broker.auth} (the loaded plugins' or the password file, loaded now),
     * before any listener is bound.
     *
     * @throws IOException naming the file (and line) that cannot be used
     */
    public void start() throws IOException {
        if (!loadAtStart) {
            return;
        }
        Authenticator chosen;
        if (plugins != null && plugins.authenticator().isPresent()) {
            if (config.passwordFile() != null) {
                throw new IOException("broker.auth: the plugin authenticator "
                        + plugins.authenticator().get().getClass().getName() + " and the password file "
                        + config.passwordFile() + " are both set; a plugin authenticator replaces the password "
                        + "file, so keep one");
            }
            chosen = plugins.authenticator().get();
            log.info("clients authenticate with the plugin {}", chosen.getClass().getName());
        } else if (config.passwordFile() != null) {
            PasswordFileAuthenticator file = PasswordFileAuthenticator.load(config.passwordFile());
            chosen = file;
            reloads = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "tributary-password-file");
                thread.setDaemon(true);
                return thread;
            });
            reloads.scheduleWithFixedDelay(file::reloadIfChanged, RELOAD_CHECK_MILLIS, RELOAD_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
            log.info("clients authenticate with the password file {} ({} users)", config.passwordFile(),
                    file.size());
        } else {
            // Plugins without an authenticator (an authorizer only): nobody but anonymous clients may connect.
            chosen = (client, password) -> false;
            log.warn("broker.auth.plugins hold no authenticator and there is no password file: only anonymous "
                    + "clients on listeners that allow them can connect");
        }
        authentication.use(new ConfiguredAuthenticator(anonymousListeners, chosen));
    }

    /** The plugins' authorizer, if {@code broker.auth.plugins} hold one. */
    public Optional<Authorizer> pluginAuthorizer() {
        return plugins == null ? Optional.empty() : plugins.authorizer();
    }

    /** Stops the threads and closes the plugins' class loader. */
    public void stop() {
        if (reloads != null) {
            reloads.shutdownNow();
        }
        authentication.close();
        if (plugins != null) {
            try {
                plugins.close();
            } catch (IOException e) {
                log.warn("cannot close the auth plugins: {}", e.toString());
            }
        }
    }
}
