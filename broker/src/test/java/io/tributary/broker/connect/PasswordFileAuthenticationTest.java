package io.tributary.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.AuthConfig;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.auth.PasswordHash;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code broker.auth.password-file} with real clients: HiveMQ 3.1.1 and 5.0, and raw packets. */
class PasswordFileAuthenticationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Path passwordFile(String... userAndPassword) throws Exception {
        Path file = dir.resolve("passwd");
        writeUsers(file, userAndPassword);
        return file;
    }

    private static void writeUsers(Path file, String... userAndPassword) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < userAndPassword.length; i += 2) {
            text.append(userAndPassword[i]).append(':').append(PasswordHash.pbkdf2(
                    userAndPassword[i + 1].getBytes(StandardCharsets.UTF_8), 101).format()).append('\n');
        }
        // Written aside and moved, as editors and tributary passwd do, so no half-written file is ever seen.
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static RunningBroker start(Path file) {
        return RunningBroker.start(config -> config.auth(new AuthConfig(file, List.of()))
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("anon").allowingAnonymous()));
    }

    private static Mqtt5BlockingClient v5(int port, String id) {
        return com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    private static Mqtt5ConnAckReasonCode connect5(Mqtt5BlockingClient client, String user, String password) {
        try {
            var connect = client.connectWith();
            if (user != null) {
                connect.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth();
            }
            return connect.send().getReasonCode();
        } catch (Mqtt5ConnAckException refused) {
            return refused.getMqttMessage().getReasonCode();
        }
    }

    @Test
    void rightPasswordConnectsAndWrongOneGets0x86InMqtt5And0x04In311() throws Exception {
        try (RunningBroker broker = start(passwordFile("alice", "s3cret", "bob", "pw"))) {
            Mqtt5BlockingClient alice = v5(broker.port(), "alice-1");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect5(alice, "alice", "s3cret"));
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    connect5(v5(broker.port(), "alice-2"), "alice", "wrong"));
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    connect5(v5(broker.port(), "nobody"), "nobody", "s3cret"));
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    connect5(v5(broker.port(), "bob-as-alice"), "bob", "s3cret"));

            Mqtt3BlockingClient v3 = Clients.v3(broker, "alice-3");
            Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class, () -> v3.connectWith()
                    .simpleAuth().username("alice").password("wrong".getBytes()).applySimpleAuth().send());
            assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD, refused.getMqttMessage().getReturnCode());
            assertEquals(Mqtt3ConnAckReturnCode.SUCCESS, v3.connectWith().simpleAuth().username("bob")
                    .password("pw".getBytes()).applySimpleAuth().send().getReturnCode());

            assertEquals(4L, broker.broker().statsSnapshot().get("connectsRefusedBadCredentials"));
            assertEquals(0L, broker.broker().statsSnapshot().get("connectsRefusedNotAuthorized"));
            alice.disconnect();
            v3.disconnect();
        }
    }

    @Test
    void anonymousClientsGet0x87And0x05EvenOnLoopbackUnlessTheListenerAllowsThem() throws Exception {
        try (RunningBroker broker = start(passwordFile("alice", "s3cret"))) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, connect5(v5(broker.port(), "anon5"), null, null));
            Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class,
                    () -> Clients.v3(broker, "anon3").connect());
            assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, refused.getMqttMessage().getReturnCode());
            assertEquals(2L, broker.broker().statsSnapshot().get("connectsRefusedNotAuthorized"));

            // The listener with allow-anonymous: no user name is let in; a user name needs its password.
            int anonPort = broker.broker().boundPort("anon");
            Mqtt5BlockingClient anonymous = v5(anonPort, "anon-ok");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect5(anonymous, null, null));
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    connect5(v5(anonPort, "anon-wrong"), "alice", "wrong"));
            Mqtt5BlockingClient alice = v5(anonPort, "anon-alice");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect5(alice, "alice", "s3cret"));
            anonymous.disconnect();
            alice.disconnect();
        }
    }

    @Test
    void packetsSentRightAfterConnectAreProcessedAfterTheConnack() throws Exception {
        try (RunningBroker broker = start(passwordFile("alice", "s3cret"));
             RawMqttClient raw = new RawMqttClient(broker.port())) {
            // CONNECT, SUBSCRIBE and PUBLISH back to back, without waiting for CONNACK [MQTT-3.1.4-5 (5.0)].
            raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("pipelined")
                    .cleanSession(true).keepAlive(60).username("alice")
                    .password("s3cret".getBytes(StandardCharsets.UTF_8)).build());
            raw.subscribe(1, "pipe/#", 1);
            raw.publish("pipe/x", "early".getBytes(StandardCharsets.UTF_8), 1, false, 2, false, null);

            MqttMessage first = raw.next(WAIT);
            assertInstanceOf(MqttConnAckMessage.class, first, "CONNACK comes first");
            assertEquals(0, ((MqttConnAckMessage) first).variableHeader().connectReturnCode().byteValue());
            assertEquals(MqttMessageType.SUBACK, raw.next(WAIT).fixedHeader().messageType());
            List<MqttMessageType> rest = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                MqttMessage next = raw.next(WAIT);
                rest.add(next.fixedHeader().messageType());
                if (next instanceof MqttPublishMessage publish) {
                    assertEquals("pipe/x", publish.variableHeader().topicName());
                }
                ReferenceCountUtil.release(next);
            }
            assertTrue(rest.containsAll(List.of(MqttMessageType.PUBACK, MqttMessageType.PUBLISH)), rest.toString());
        }
    }

    @Test
    void afterARefusedConnectThePacketsBehindItAreDropped() throws Exception {
        try (RunningBroker broker = start(passwordFile("alice", "s3cret"));
             RawMqttClient raw = new RawMqttClient(broker.port())) {
            raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("guess")
                    .cleanSession(true).keepAlive(60).username("alice").password("guess1".getBytes()).build());
            // A second CONNECT with the right password must not get a second chance on the same connection.
            raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("guess")
                    .cleanSession(true).keepAlive(60).username("alice").password("s3cret".getBytes()).build());
            MqttConnAckMessage connack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK, WAIT);
            assertEquals((byte) 0x86, connack.variableHeader().connectReturnCode().byteValue());
            assertTrue(raw.closedWithin(WAIT));
            assertEquals(0, broker.broker().stats().sessions());
        }
    }

    @Test
    void aChangedFileIsReloadedWithoutDisconnectingAnyone() throws Exception {
        Path file = passwordFile("alice", "s3cret");
        try (RunningBroker broker = start(file)) {
            Mqtt5BlockingClient alice = v5(broker.port(), "alice");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect5(alice, "alice", "s3cret"));
            alice.subscribeWith().topicFilter("news").qos(MqttQos.AT_LEAST_ONCE).send();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = alice.publishes(MqttGlobalPublishFilter.ALL)) {
                writeUsers(file, "alice", "changed", "bob", "new");
                Await.until(WAIT, "bob can connect after the reload",
                        () -> connect5(v5(broker.port(), "bob-try"), "bob", "new") == Mqtt5ConnAckReasonCode.SUCCESS);
                assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        connect5(v5(broker.port(), "alice-old"), "alice", "s3cret"));

                // A broken file keeps the users read before.
                Files.writeString(file, "bob:not-a-hash\n");
                // Nothing to await for a change that must not happen: wait out two reload checks.
                Await.sleep(2_500);
                Mqtt5BlockingClient bob = v5(broker.port(), "bob");
                assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect5(bob, "bob", "new"));

                // Alice, connected before both changes, is still connected and receives.
                assertTrue(alice.getState().isConnected());
                bob.publishWith().topic("news").qos(MqttQos.AT_LEAST_ONCE).payload("hi".getBytes()).send();
                Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
                assertTrue(received.isPresent(), "alice still receives after the reloads");
                bob.disconnect();
            }
            alice.disconnect();
        }
    }

    @Test
    void aBadFileAtStartIsAStartErrorNamingFileAndLine() throws Exception {
        Path file = passwordFile("alice", "s3cret");
        String good = Files.readString(file);
        Files.writeString(file, good + "bob:$7$101$QUJD$tooShortSecretHash\n");
        BrokerConfig config = BrokerConfig.builder().listener(ListenerConfig.tcp("127.0.0.1", 0))
                .auth(new AuthConfig(file, List.of())).build();
        Broker broker = Broker.builder().config(config).build();
        CompletionException failed = assertThrows(CompletionException.class, () -> broker.start().join());
        String message = failed.getCause().getMessage();
        assertTrue(message.startsWith(file + ":2: user 'bob': "), message);
        assertFalse(message.contains("tooShortSecretHash"), message);
        assertFalse(broker.listenersBound());
        broker.close();
    }

    @Test
    void aBurstOfBadPasswordsLeavesOtherClientsConnectedAndWorking() throws Exception {
        try (RunningBroker broker = start(passwordFile("alice", "s3cret"))) {
            Mqtt5BlockingClient subscriber = v5(broker.port(), "sub");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect5(subscriber, "alice", "s3cret"));
            subscriber.subscribeWith().topicFilter("work/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient publisher = v5(broker.port(), "pub");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect5(publisher, "alice", "s3cret"));
            int bad = 300;
            ExecutorService attackers = Executors.newFixedThreadPool(8);
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                List<Future<?>> attempts = new ArrayList<>();
                for (int i = 0; i < bad; i++) {
                    int n = i;
                    attempts.add(attackers.submit(() -> {
                        try (RawMqttClient raw = new RawMqttClient(broker.port())) {
                            raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
                                    .clientId("attacker-" + n).cleanSession(true).keepAlive(60).username("alice")
                                    .password(("guess" + n).getBytes(StandardCharsets.UTF_8)).build());
                            MqttConnAckMessage connack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK,
                                    WAIT);
                            assertEquals((byte) 0x04, connack.variableHeader().connectReturnCode().byteValue());
                        }
                        return null;
                    }));
                }
                for (int i = 0; i < 50; i++) {
                    publisher.publishWith().topic("work/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1})
                            .send();
                    Mqtt5Publish received = publishes.receive(10, TimeUnit.SECONDS)
                            .orElseThrow(() -> new AssertionError("the subscriber stopped receiving"));
                    assertEquals("work/" + i, received.getTopic().toString());
                }
                for (Future<?> attempt : attempts) {
                    attempt.get(60, TimeUnit.SECONDS);
                }
            } finally {
                attackers.shutdownNow();
            }
            assertTrue(subscriber.getState().isConnected());
            assertTrue(publisher.getState().isConnected());
            assertEquals((long) bad, broker.broker().statsSnapshot().get("connectsRefusedBadCredentials"));
            assertNull(broker.broker().statsSnapshot().get("no-such-key"));
            subscriber.disconnect();
            publisher.disconnect();
        }
    }
}
