package io.tributary.broker.acl;

import io.tributary.broker.ClientInfo;
import io.tributary.broker.Permissions;

/**
 * The ACL's decisions for one connection, remembered per topic. The rules that apply to the client are worked
 * out once per ACL version; when the ACL is reloaded the next question sees the new version and starts afresh.
 */
final class CachedPermissions implements Permissions {

    /** The client's rules and decisions under one version of the ACL. */
    private record Decisions(AclPolicy policy, ClientRules rules, DecisionCache publish, DecisionCache read) {
    }

    private final AclAuthorizer authorizer;
    private final ClientInfo client;
    private volatile Decisions decisions;

    CachedPermissions(AclAuthorizer authorizer, ClientInfo client) {
        this.authorizer = authorizer;
        this.client = client;
    }

    @Override
    public boolean mayPublish(String topic) {
        Decisions current = current();
        return current.publish.decide(topic, current.rules::mayPublish);
    }

    @Override
    public boolean maySubscribe(String filter) {
        return current().rules.maySubscribe(filter);
    }

    @Override
    public boolean mayReadAll(String filter) {
        return current().rules.mayReadAll(filter);
    }

    @Override
    public boolean mayRead(String topic) {
        Decisions current = current();
        return current.read.decide(topic, current.rules::mayRead);
    }

    private Decisions current() {
        AclPolicy policy = authorizer.policy();
        Decisions current = decisions;
        if (current == null || current.policy != policy) {
            // Two threads may both rebuild after a reload; either result is right.
            current = new Decisions(policy, policy.rulesFor(client), new DecisionCache(), new DecisionCache());
            decisions = current;
        }
        return current;
    }
}
