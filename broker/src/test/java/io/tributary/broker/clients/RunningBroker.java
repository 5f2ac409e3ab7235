package io.tributary.broker.clients;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A broker for one test, on free loopback ports: a TCP listener named "tcp" and a WebSocket one named "ws".
 * The {@code $SYS} topics are off unless a test turns them on, so that they do not show up among its messages.
 */
public final class RunningBroker implements AutoCloseable {
    private final Broker broker;

    private RunningBroker(Broker broker) {
        this.broker = broker;
    }

    public static RunningBroker start() {
        return start(config -> { }, builder -> { });
    }

    public static RunningBroker start(Consumer<BrokerConfig.Builder> configure) {
        return start(configure, builder -> { });
    }

    public static RunningBroker start(Consumer<BrokerConfig.Builder> configure, Consumer<Broker.Builder> customize) {
        BrokerConfig.Builder config = BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp"))
                .listener(ListenerConfig.websocket("127.0.0.1", 0, "/mqtt").named("ws"))
                .sysInterval(Duration.ZERO);
        configure.accept(config);
        Broker.Builder builder = Broker.builder().config(config.build());
        customize.accept(builder);
        Broker broker = builder.build();
        broker.start().join();
        return new RunningBroker(broker);
    }

    public int port() {
        return broker.boundPort("tcp");
    }

    public int webSocketPort() {
        return broker.boundPort("ws");
    }

    public Broker broker() {
        return broker;
    }

    @Override
    public void close() {
        broker.close();
    }
}
