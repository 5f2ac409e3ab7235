package io.tributary.broker.persistence;

import static io.tributary.broker.persistence.Restarts.awaitOffline;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.BrokerState;
import io.tributary.broker.BrokerStateStore;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.store.Durability;
import io.tributary.store.RocksStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the state is read and written, and what happens when it cannot be: a broker never starts empty over a
 * snapshot it could not read, and never writes anything without a persistence directory.
 */
class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedStoreFailsTheStartNamingTheDirectoryAndIsLeftUntouched() throws Exception {
        savePersistentSession();
        // CURRENT names the store's manifest: pointing it at one that does not exist is damage RocksDB must report.
        Files.writeString(dir.resolve("CURRENT"), "MANIFEST-999999\n");
        Map<String, byte[]> before = storeFiles();

        Broker broker = broker();
        CompletionException failed = assertThrows(CompletionException.class, () -> broker.start().join());
        assertInstanceOf(IOException.class, failed.getCause());
        String message = failed.getCause().getMessage();
        assertTrue(message.contains(dir.toString()) && message.contains("Nothing was changed"), message);
        assertFalse(broker.listenersBound(), "a listener accepted connections");
        broker.close();
        Map<String, byte[]> after = storeFiles();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " was changed"));
    }

    @Test
    void aRecordOfAnUnknownFormatFailsTheStartSayingSo() throws Exception {
        savePersistentSession();
        try (RocksStore store = RocksStore.open(dir, Durability.sync())) {
            store.put(StoreKeys.session("saved"), new byte[] {99, 0, 0}).join();
        }
        Broker broker = broker();
        CompletionException failed = assertThrows(CompletionException.class, () -> broker.start().join());
        String message = failed.getCause().getMessage();
        assertTrue(message.contains("format 99") && message.contains(dir.toString()), message);
        assertFalse(broker.listenersBound(), "a listener accepted connections");
        broker.close();
    }

    @Test
    void aSnapshotOfAnEarlierTributaryIsImportedOnceAndSetAside() throws Exception {
        long now = System.currentTimeMillis();
        Message queued = new Message("p/1", "waiting".getBytes(), QoS.AT_LEAST_ONCE, false, MessageProperties.NONE,
                "sender", now);
        Message retained = new Message("r/1", "kept".getBytes(), QoS.AT_LEAST_ONCE, true, MessageProperties.NONE,
                "sender", now);
        BrokerState.SessionState session = new BrokerState.SessionState("imported", null, true, 5, 300, now,
                List.of(new BrokerState.SubscriptionState("p/#", QoS.AT_LEAST_ONCE, false, false, 0, 0)), List.of(),
                List.of(), List.of(new BrokerState.Delivery(queued, QoS.AT_LEAST_ONCE, false, List.of())), null);
        try (FileStateStore old = new FileStateStore(dir)) {
            old.load();
            old.save(new BrokerState(now, List.of(retained), List.of(session)));
        }
        try (RunningBroker first = Restarts.start(dir)) {
            assertEquals(1, first.broker().stats().sessions());
            assertEquals(1, first.broker().stats().queued());
            assertEquals(1, first.broker().retained("r/#").size());
        }
        assertFalse(Files.exists(dir.resolve(FileStateStore.FILE_NAME)));
        assertTrue(Files.exists(dir.resolve(FileStateStore.FILE_NAME + ".imported")));
        try (RunningBroker second = Restarts.start(dir)) {
            Mqtt5BlockingClient client = Restarts.v5(second, "imported");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                assertTrue(client.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent());
                assertEquals("waiting", new String(publishes.receive(5, TimeUnit.SECONDS).orElseThrow()
                        .getPayloadAsBytes()));
            }
            client.disconnect();
        }
    }

    @Test
    void theStoreDirectoryIsCreatedForItsOwnerOnly() throws Exception {
        Path created = dir.resolve("data").resolve("broker");
        try (RunningBroker running = Restarts.start(created)) {
            assertTrue(running.broker().listenersBound());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
    }

    @Test
    void withoutAPersistenceDirectoryNothingIsWrittenAndARestartForgetsSessions() throws Exception {
        assertNull(BrokerConfig.builder().build().persistenceDirectory());
        Path workingDirectory = Path.of("").toAbsolutePath();
        try (RunningBroker first = RunningBroker.start()) {
            Mqtt5BlockingClient client = Restarts.v5(first, "forgotten");
            client.connectWith().sessionExpiryInterval(300).send();
            client.subscribeWith().topicFilter("f/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            awaitOffline(first);
        }
        assertFalse(Files.exists(workingDirectory.resolve(FileStateStore.FILE_NAME)));
        try (RunningBroker second = RunningBroker.start()) {
            Mqtt5BlockingClient client = Restarts.v5(second, "forgotten");
            assertFalse(client.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent());
            client.disconnect();
        }
    }

    @Test
    void anInProcessPublishIsRefusedOnceTheBrokerIsStopping() {
        RunningBroker running = Restarts.start(dir);
        CompletableFuture<Void> stopping = running.broker().stop();
        CompletableFuture<Void> late = running.broker().publish(Message.of("late/1", "x", QoS.AT_LEAST_ONCE, false));
        CompletionException refused = assertThrows(CompletionException.class, late::join);
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        stopping.join();
    }

    @Test
    void anInProcessPublishIsRefusedUntilTheSavedStateIsRestored() {
        Broker broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp"))
                .persistenceDirectory(dir).build()).build();
        try {
            CompletableFuture<Void> early = broker.publish(Message.of("early/1", "x", QoS.AT_LEAST_ONCE, true));
            CompletionException refused = assertThrows(CompletionException.class, early::join);
            assertInstanceOf(IllegalStateException.class, refused.getCause());

            broker.start().join();
            broker.publish(Message.of("early/1", "x", QoS.AT_LEAST_ONCE, true)).join();
            assertEquals(1, broker.retained("early/#").size());
        } finally {
            broker.close();
        }
    }

    @Test
    void aStateStoreOfYourOwnPlugsIn() throws Exception {
        AtomicReference<BrokerState> kept = new AtomicReference<>();
        BrokerStateStore inMemory = new BrokerStateStore() {
            @Override
            public Optional<BrokerState> load() {
                return Optional.ofNullable(kept.get());
            }

            @Override
            public void save(BrokerState state) {
                kept.set(state);
            }
        };
        try (RunningBroker first = RunningBroker.start(config -> { }, builder -> builder.stateStore(inMemory))) {
            Mqtt5BlockingClient client = Restarts.v5(first, "custom");
            client.connectWith().sessionExpiryInterval(300).send();
            client.disconnect();
            awaitOffline(first);
        }
        assertEquals("custom", kept.get().sessions().get(0).clientId());
        try (RunningBroker second = RunningBroker.start(config -> { }, builder -> builder.stateStore(inMemory))) {
            Mqtt5BlockingClient client = Restarts.v5(second, "custom");
            assertTrue(client.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent());
            client.disconnect();
        }
    }

    @Test
    void aDirectoryAndAStoreAtOnceAreRefused() {
        Broker.Builder builder = Broker.builder()
                .config(BrokerConfig.builder().persistenceDirectory(dir).build())
                .stateStore(new FileStateStore(dir));
        assertThrows(IllegalArgumentException.class, builder::build);
    }

    /** The store's files but its logs (RocksDB writes a log when it fails to open too). */
    private Map<String, byte[]> storeFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> listed = Files.list(dir)) {
            for (Path file : listed.toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith("LOG")) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    /** Runs a broker with one persistent session and stops it. */
    private void savePersistentSession() {
        try (RunningBroker first = Restarts.start(dir)) {
            Mqtt5BlockingClient client = Restarts.v5(first, "saved");
            client.connectWith().sessionExpiryInterval(300).send();
            client.subscribeWith().topicFilter("p/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            awaitOffline(first);
        }
        assertTrue(Files.exists(dir.resolve("CURRENT")));
    }

    private Broker broker() {
        return Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp"))
                .sysInterval(Duration.ZERO)
                .persistenceDirectory(dir)
                .build()).build();
    }
}
