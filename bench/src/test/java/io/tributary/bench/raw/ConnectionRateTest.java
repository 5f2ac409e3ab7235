package io.tributary.bench.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tributary.bench.server.MosquittoLauncher;
import io.tributary.bench.server.RunningBroker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection rounds against a real Mosquitto: every client gets its CONNACK, from the source addresses asked. */
class ConnectionRateTest {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir Path work;

    @Test
    void everyClientIsConnectedOnSeveralThreadsFromEachSourceAddress() throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is not installed");
        try (RunningBroker broker = RunningBroker.start(new MosquittoLauncher(MOSQUITTO, 1000, 10), work,
                work.resolve("mosquitto.pid"), Duration.ofSeconds(30))) {
            List<InetAddress> sources = ConnectionRate.sourceAddresses(2);
            try (ConnectionRate.Result result = ConnectionRate.run(RunningBroker.HOST, broker.port(), 5, "rate-test-",
                    300, 16, 3, sources, 60, Duration.ofSeconds(30).toNanos())) {
                assertEquals(300, result.connected());
                assertEquals(0, result.refused());
                assertEquals(300, result.open().size());
                assertTrue(result.perSecond() > 0);
                Set<InetAddress> used = result.open().stream().map(ConnectionRateTest::source)
                        .collect(Collectors.toSet());
                assertEquals(Set.copyOf(sources), used);
            }
        }
    }

    @Test
    void sourceAddressesStartAt127002() throws Exception {
        assertEquals(List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")),
                ConnectionRate.sourceAddresses(2));
        assertEquals(List.of(), ConnectionRate.sourceAddresses(0));
        assertEquals(0, ScenarioDriver.sourceAddressesFor(20_000));
        assertEquals(5, ScenarioDriver.sourceAddressesFor(100_000));
    }

    private static InetAddress source(SocketChannel channel) {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getAddress();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
