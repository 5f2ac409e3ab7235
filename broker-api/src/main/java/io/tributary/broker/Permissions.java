package io.tributary.broker;

/**
 * What one client or user may do, asked on every publish, subscribe and delivery: an {@code Authorizer}'s
 * decisions bound to one identity, so that an implementation can cache them per connection. In-process callers
 * acting for a user (the HTTP API for a token's user) get one from {@link InProcessBroker#accessOf}.
 *
 * <p>Concurrency: {@link #mayRead} is called by every publisher's thread at once.
 */
public interface Permissions {

    /** True if the client may publish to {@code topic}. */
    boolean mayPublish(String topic);

    /** True if the client may subscribe to {@code filter} (without a {@code $share/group/} prefix). */
    boolean maySubscribe(String filter);

    /** True if a message on {@code topic} may be delivered to the client. */
    boolean mayRead(String topic);

    /**
     * True if the client may read every topic {@code filter} matches, so that a subscription on it needs no check
     * per message (such as a webhook registered through the HTTP API). The default says no, which is safe.
     */
    default boolean mayReadAll(String filter) {
        return false;
    }

    /** Everything allowed, without any work per message. */
    Permissions ALLOW_ALL = new Permissions() {
        @Override
        public boolean mayPublish(String topic) {
            return true;
        }

        @Override
        public boolean maySubscribe(String filter) {
            return true;
        }

        @Override
        public boolean mayRead(String topic) {
            return true;
        }

        @Override
        public boolean mayReadAll(String filter) {
            return true;
        }
    };

    /**
     * Nothing allowed: a connection not yet authorized, or, under access rules, a restored session whose user is
     * not known (from an older state file) until its client connects again.
     */
    Permissions DENY_ALL = new Permissions() {
        @Override
        public boolean mayPublish(String topic) {
            return false;
        }

        @Override
        public boolean maySubscribe(String filter) {
            return false;
        }

        @Override
        public boolean mayRead(String topic) {
            return false;
        }
    };
}
