package io.tributary.broker.acl;

import io.tributary.broker.AclConfig;
import io.tributary.broker.AclFile;
import io.tributary.broker.AclRule;
import io.tributary.broker.Authorizer;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.Permissions;
import io.tributary.storage.FileStamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizes by access rules in Mosquitto's ACL form: the rules of an ACL file and of the configuration. What
 * no rule allows is denied. The file is polled and re-read when its modification time or size changes; a file
 * that no longer reads keeps the rules in force, and says why in the log. Nobody is disconnected by a reload:
 * each connection's next decision uses the new rules.
 */
public final class AclAuthorizer implements Authorizer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AclAuthorizer.class);

    /** How often the ACL file is checked for a change. */
    public static final long RELOAD_CHECK_MILLIS = 1000;

    private final AclConfig config;
    private volatile AclPolicy policy;
    private final ScheduledExecutorService poller;
    private FileStamp loaded;
    /** The last reload problem logged, so that a file missing for a while is logged once, not every second. */
    private String lastProblem;

    private AclAuthorizer(AclConfig config, AclPolicy policy, FileStamp loaded, boolean watch) {
        this.config = config;
        this.policy = policy;
        this.loaded = loaded;
        if (watch && config.file() != null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "tributary-acl-reload");
                thread.setDaemon(true);
                return thread;
            });
            poller.scheduleWithFixedDelay(this::reloadIfChanged, RELOAD_CHECK_MILLIS, RELOAD_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        } else {
            poller = null;
        }
    }

    /**
     * The authorizer of {@code config}, watching its file; {@link Authorizer#ALLOW_ALL} when it has no rules.
     *
     * @throws IllegalArgumentException if the ACL file cannot be read or has bad lines (the message names both)
     */
    public static Authorizer start(AclConfig config) {
        if (config.isNone()) {
            return ALLOW_ALL;
        }
        return load(config, true);
    }

    /** The authorizer of {@code config}, which never re-reads its file. */
    public static AclAuthorizer of(AclConfig config) {
        return load(config, false);
    }

    private static AclAuthorizer load(AclConfig config, boolean watch) {
        try {
            FileStamp stamp = config.file() == null ? null : FileStamp.of(config.file());
            return new AclAuthorizer(config, new AclPolicy(rules(config)), stamp, watch);
        } catch (AclFile.InvalidAclException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<AclRule> rules(AclConfig config) throws AclFile.InvalidAclException {
        List<AclRule> rules = new ArrayList<>();
        if (config.file() != null) {
            rules.addAll(AclFile.read(config.file()));
        }
        rules.addAll(config.rules());
        return rules;
    }

    AclPolicy policy() {
        return policy;
    }

    /** Re-reads the ACL file now if it changed since it was last read. @return true if new rules are in force */
    public synchronized boolean reloadIfChanged() {
        try {
            FileStamp now = FileStamp.of(config.file());
            if (Objects.equals(now, loaded)) {
                return false;
            }
            loaded = now;
            AclPolicy reloaded = new AclPolicy(rules(config));
            policy = reloaded;
            lastProblem = null;
            log.info("ACL file {} reloaded: {} rules", config.file(), reloaded.size());
            return true;
        } catch (AclFile.InvalidAclException e) {
            logOnce("ACL file changed but is invalid; the rules in force stay: " + e.getMessage());
        } catch (RuntimeException e) {
            logOnce("cannot read ACL file " + config.file() + "; the rules in force stay: " + e);
        }
        return false;
    }

    private void logOnce(String problem) {
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            log.error("{}", problem);
        }
    }

    @Override
    public boolean mayPublish(ClientInfo client, String topic) {
        return policy.rulesFor(client).mayPublish(topic);
    }

    @Override
    public boolean maySubscribe(ClientInfo client, String filter) {
        return policy.rulesFor(client).maySubscribe(filter);
    }

    @Override
    public boolean mayRead(ClientInfo client, String topic) {
        return policy.rulesFor(client).mayRead(topic);
    }

    @Override
    public Permissions forClient(ClientInfo client) {
        return new CachedPermissions(this, client);
    }

    /** Stops watching the file. */
    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
