package io.tributary.bench.restart;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.BrokerState;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.persistence.BrokerStore;
import io.tributary.store.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * How long the broker takes to start over a store holding many queued messages: writes {@code sessions} persistent
 * sessions with {@code perSession} queued QoS 1 messages each (64-byte payloads) straight into a store, then times
 * {@code Broker.start()} over it. Arguments: sessions, messages per session, and optionally a directory (default:
 * a temporary one, deleted after).
 */
public final class RestartTime {

    private RestartTime() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perSession = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory(Path.of("target"), "restart-");
        long written = System.nanoTime();
        try (BrokerStore store = BrokerStore.open(dir, Durability.sync())) {
            byte[] payload = new byte[64];
            long now = System.currentTimeMillis();
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                String clientId = "device-" + s;
                store.saveSession(new BrokerState.SessionState(clientId, null, true, 5, 86_400, now,
                        List.of(new BrokerState.SubscriptionState("q/" + s, QoS.AT_LEAST_ONCE, false, false, 0, 0)),
                        List.of(), List.of(), List.of(), null));
                for (int m = 1; m <= perSession; m++) {
                    Message message = new Message("q/" + s, payload, QoS.AT_LEAST_ONCE, false, MessageProperties.NONE,
                            "publisher", now);
                    pending.add(store.append(clientId, m, new OutboundMessage(message, QoS.AT_LEAST_ONCE, false,
                            OutboundMessage.NO_IDS)));
                }
                if (pending.size() > 50_000) {
                    CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
                    pending.clear();
                }
            }
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
        }
        System.out.printf("wrote %,d sessions x %,d messages in %,d ms%n", sessions, perSession,
                Duration.ofNanos(System.nanoTime() - written).toMillis());
        Broker broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp"))
                .maxQueuedMessages(Math.max(1000, perSession))
                .maxSessions(Math.max(sessions, 1000))
                .sysInterval(Duration.ZERO)
                .persistenceDirectory(dir)
                .build()).build();
        long started = System.nanoTime();
        broker.start().join();
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.printf("started in %,d ms with %,d sessions and %,d queued messages; heap used %,d MB%n", millis,
                broker.stats().sessions(), broker.stats().queued(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        broker.close();
        if (args.length <= 2) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
