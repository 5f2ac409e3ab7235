package io.tributary.broker.acl;

import io.tributary.broker.AclRule;
import io.tributary.broker.ClientInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of the whole ACL, immutable: the rules of anonymous clients, of each user, and the patterns. A
 * reload makes a new one, which is how cached decisions know they are stale.
 */
final class AclPolicy {
    private final List<AclRule> anonymous = new ArrayList<>();
    private final Map<String, List<AclRule>> byUser = new HashMap<>();
    private final List<AclRule> patterns = new ArrayList<>();
    private final int size;

    AclPolicy(List<AclRule> rules) {
        for (AclRule rule : rules) {
            if (rule.pattern()) {
                patterns.add(rule);
            } else if (rule.user() == null) {
                anonymous.add(rule);
            } else {
                byUser.computeIfAbsent(rule.user(), u -> new ArrayList<>()).add(rule);
            }
        }
        size = rules.size();
    }

    int size() {
        return size;
    }

    /**
     * The rules of {@code client}: its user's (or the anonymous ones), then the patterns with {@code %u} and
     * {@code %c} filled in. A pattern naming {@code %u} does not apply to a client without a user name. A user
     * name or client id holding {@code +} or {@code #} would widen a pattern into a wildcard, so such a client is
     * denied everything while patterns use it, as Mosquitto does.
     */
    ClientRules rulesFor(ClientInfo client) {
        String user = client.username();
        String clientId = client.clientId();
        List<AclFilter> denies = new ArrayList<>();
        List<AclFilter> reads = new ArrayList<>();
        List<AclFilter> writes = new ArrayList<>();
        List<AclRule> own = user == null ? anonymous : byUser.getOrDefault(user, List.of());
        for (AclRule rule : own) {
            add(rule.access(), rule.topic(), denies, reads, writes);
        }
        for (AclRule rule : patterns) {
            String[] levels = rule.topic().split("/", -1);
            boolean skip = false;
            for (int i = 0; i < levels.length; i++) {
                if (levels[i].equals("%u")) {
                    if (user == null) {
                        skip = true;
                        break;
                    }
                    if (hasWildcard(user)) {
                        return ClientRules.NOTHING;
                    }
                    levels[i] = user;
                } else if (levels[i].equals("%c")) {
                    if (hasWildcard(clientId)) {
                        return ClientRules.NOTHING;
                    }
                    levels[i] = clientId;
                }
            }
            if (!skip) {
                add(rule.access(), String.join("/", levels), denies, reads, writes);
            }
        }
        return new ClientRules(denies, reads, writes);
    }

    private static void add(AclRule.Access access, String topic, List<AclFilter> denies, List<AclFilter> reads,
                            List<AclFilter> writes) {
        AclFilter filter = AclFilter.of(topic);
        if (access == AclRule.Access.DENY) {
            denies.add(filter);
        }
        if (access.allowsRead()) {
            reads.add(filter);
        }
        if (access.allowsWrite()) {
            writes.add(filter);
        }
    }

    private static boolean hasWildcard(String name) {
        return name.indexOf('+') >= 0 || name.indexOf('#') >= 0;
    }
}
