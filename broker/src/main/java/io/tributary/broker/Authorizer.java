package io.tributary.broker;

/** Decides what an authenticated client may publish, subscribe to and receive. */
public interface Authorizer {

    /** True if {@code client} may publish to {@code topic}. */
    boolean mayPublish(ClientInfo client, String topic);

    /** True if {@code client} may subscribe to {@code filter} (shared subscriptions without the {@code $share/group/} prefix). */
    boolean maySubscribe(ClientInfo client, String filter);

    /**
     * True if a message on {@code topic} may be delivered to {@code client}: asked for every message a
     * subscription matched (a broad filter such as {@code #} is granted, then filtered per message), retained
     * ones included. The default allows it, as authorizers written before this method did.
     */
    default boolean mayRead(ClientInfo client, String topic) {
        return true;
    }

    /**
     * The decisions for one connection of {@code client}, asked once at CONNECT. The default asks this
     * authorizer every time; an implementation may cache.
     */
    default Permissions forClient(ClientInfo client) {
        Authorizer authorizer = this;
        return new Permissions() {
            @Override
            public boolean mayPublish(String topic) {
                return authorizer.mayPublish(client, topic);
            }

            @Override
            public boolean maySubscribe(String filter) {
                return authorizer.maySubscribe(client, filter);
            }

            @Override
            public boolean mayRead(String topic) {
                return authorizer.mayRead(client, topic);
            }
        };
    }

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

        @Override
        public Permissions forClient(ClientInfo client) {
            return Permissions.ALLOW_ALL;
        }
    };
}
