package io.tributary.broker;

/** Decides what an authenticated client may publish and subscribe to. */
public interface Authorizer {

    /** True if {@code client} may publish to {@code topic}. */
    boolean mayPublish(ClientInfo client, String topic);

    /** True if {@code client} may subscribe to {@code filter} (shared subscriptions without the {@code $share/group/} prefix). */
    boolean maySubscribe(ClientInfo client, String filter);

    /** Allows everything: the default, since the default listeners accept only loopback clients. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean mayPublish(ClientInfo client, String topic) {
            return true;
        }

        @Override
        public boolean maySubscribe(ClientInfo client, String filter) {
            return true;
        }
    };
}
