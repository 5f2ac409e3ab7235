package io.tributary.broker.acl;

import java.util.List;

/**
 * The rules that apply to one client, patterns filled in: what the ACL decides, without caching. A {@code deny}
 * rule that matches wins over any grant; otherwise a grant with the access asked for allows; otherwise denied.
 */
final class ClientRules {
    static final ClientRules NOTHING = new ClientRules(List.of(), List.of(), List.of());

    private final AclFilter[] denies;
    private final AclFilter[] reads;
    private final AclFilter[] writes;

    ClientRules(List<AclFilter> denies, List<AclFilter> reads, List<AclFilter> writes) {
        this.denies = denies.toArray(AclFilter[]::new);
        this.reads = reads.toArray(AclFilter[]::new);
        this.writes = writes.toArray(AclFilter[]::new);
    }

    boolean mayPublish(String topic) {
        return allowed(AclFilter.levels(topic), writes);
    }

    boolean mayRead(String topic) {
        return allowed(AclFilter.levels(topic), reads);
    }

    /**
     * True if {@code filter} can match a topic the client may read: some read grant overlaps it and no deny
     * covers it whole. A broader filter is granted; what it must not deliver is filtered per message.
     */
    boolean maySubscribe(String filter) {
        String[] levels = AclFilter.levels(filter);
        for (AclFilter deny : denies) {
            if (deny.covers(levels)) {
                return false;
            }
        }
        for (AclFilter read : reads) {
            if (read.overlaps(levels)) {
                return true;
            }
        }
        return false;
    }

    /** True if every topic {@code filter} matches is readable: a read grant covers it and no deny overlaps it. */
    boolean mayReadAll(String filter) {
        String[] levels = AclFilter.levels(filter);
        for (AclFilter deny : denies) {
            if (deny.overlaps(levels)) {
                return false;
            }
        }
        for (AclFilter read : reads) {
            if (read.covers(levels)) {
                return true;
            }
        }
        return false;
    }

    private boolean allowed(String[] topic, AclFilter[] grants) {
        for (AclFilter deny : denies) {
            if (deny.matches(topic)) {
                return false;
            }
        }
        for (AclFilter grant : grants) {
            if (grant.matches(topic)) {
                return true;
            }
        }
        return false;
    }
}
