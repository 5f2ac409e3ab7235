package io.tributary.broker.persistence;

import static io.tributary.broker.persistence.Restarts.awaitOffline;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.BrokerState;
import io.tributary.broker.BrokerStateStore;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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
    void aDamagedSnapshotFailsTheStartNamingTheFileAndIsLeftUntouched() throws Exception {
        savePersistentSession();
        Path file = dir.resolve(FileStateStore.FILE_NAME);
        byte[] damaged = Files.readAllBytes(file);
        damaged[damaged.length / 2] ^= 0x10;
        Files.write(file, damaged);

        Broker broker = broker();
        CompletionException failed = assertThrows(CompletionException.class, () -> broker.start().join());
        assertInstanceOf(IOException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains(file.toAbsolutePath().toString()), failed.getCause().getMessage());
        assertFalse(broker.listenersBound(), "a listener accepted connections");
        broker.close();
        assertArrayEquals(damaged, Files.readAllBytes(file), "the snapshot was overwritten");
    }

    @Test
    void aSnapshotOfAnUnknownVersionFailsTheStartSayingSo() throws Exception {
        savePersistentSession();
        Path file = dir.resolve(FileStateStore.FILE_NAME);
        byte[] future = Files.readAllBytes(file);
        ByteBuffer.wrap(future).putInt(8, 3);
        Files.write(file, future);

        Broker broker = broker();
        CompletionException failed = assertThrows(CompletionException.class, () -> broker.start().join());
        String message = failed.getCause().getMessage();
        assertTrue(message.contains("version 3") && message.contains(file.toAbsolutePath().toString()), message);
        broker.close();
        assertArrayEquals(future, Files.readAllBytes(file));
    }

    @Test
    void theSnapshotStaysAsItWasWhileTheBrokerRunsAndIsReplacedWhenItStops() throws Exception {
        savePersistentSession();
        Path file = dir.resolve(FileStateStore.FILE_NAME);
        byte[] saved = Files.readAllBytes(file);
        try (RunningBroker running = Restarts.start(dir)) {
            running.broker().publish(Message.of("p/1", "queued", QoS.AT_LEAST_ONCE, false)).join();
            // A crash now loses only what changed since the start.
            assertArrayEquals(saved, Files.readAllBytes(file));
        }
        try (FileStateStore store = new FileStateStore(dir)) {
            assertEquals(1, store.load().orElseThrow().sessions().get(0).queued().size());
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryFailsToStart() {
        try (RunningBroker running = Restarts.start(dir)) {
            assertTrue(running.broker().listenersBound());
            Broker second = broker();
            CompletionException failed = assertThrows(CompletionException.class, () -> second.start().join());
            assertTrue(failed.getCause().getMessage().contains("another broker"), failed.getCause().getMessage());
            second.close();
        }
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

    /** Runs a broker with one persistent session and stops it, which writes the snapshot. */
    private void savePersistentSession() {
        try (RunningBroker first = Restarts.start(dir)) {
            Mqtt5BlockingClient client = Restarts.v5(first, "saved");
            client.connectWith().sessionExpiryInterval(300).send();
            client.subscribeWith().topicFilter("p/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            awaitOffline(first);
        }
        assertTrue(Files.exists(dir.resolve(FileStateStore.FILE_NAME)));
    }

    private Broker broker() {
        return Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp"))
                .sysInterval(Duration.ZERO)
                .persistenceDirectory(dir)
                .build()).build();
    }
}
