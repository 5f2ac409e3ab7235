package io.tributary.broker.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.broker.BrokerConfig;
import io.tributary.broker.admission.ConnectionGate.Verdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link ConnectionGate}: the pending cap, the per-address rate, and the bound on what it remembers. */
class ConnectionGateTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void pendingPlacesAreGivenBackWhenAConnectArrives() throws Exception {
        ConnectionGate gate = new ConnectionGate(new BrokerConfig.ConnectionAdmission(2, 0, 1, false), now::get);
        assertEquals(Verdict.ADMITTED, gate.admit(address("10.0.0.1")));
        assertEquals(Verdict.ADMITTED, gate.admit(address("10.0.0.2")));
        assertEquals(Verdict.TOO_MANY_PENDING, gate.admit(address("10.0.0.3")));
        gate.connectReceived();
        assertEquals(Verdict.ADMITTED, gate.admit(address("10.0.0.3")));
        assertEquals(2, gate.pending());
    }

    @Test
    void eachAddressHasItsOwnRate() throws Exception {
        ConnectionGate gate = new ConnectionGate(new BrokerConfig.ConnectionAdmission(1000, 1, 2, false), now::get);
        InetAddress noisy = address("192.0.2.1");
        assertEquals(Verdict.ADMITTED, gate.admit(noisy));
        assertEquals(Verdict.ADMITTED, gate.admit(noisy));
        assertEquals(Verdict.RATE_EXCEEDED, gate.admit(noisy));
        assertEquals(Verdict.ADMITTED, gate.admit(address("192.0.2.2")), "another address is not held back");
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(Verdict.ADMITTED, gate.admit(noisy), "one more after a second");
    }

    @Test
    void loopbackIsLimitedOnlyWhenAskedTo() throws Exception {
        InetAddress loopback = address("127.0.0.1");
        ConnectionGate exempt = new ConnectionGate(new BrokerConfig.ConnectionAdmission(1000, 1, 1, false), now::get);
        ConnectionGate limited = new ConnectionGate(new BrokerConfig.ConnectionAdmission(1000, 1, 1, true), now::get);
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.ADMITTED, exempt.admit(loopback));
        }
        assertEquals(Verdict.ADMITTED, limited.admit(loopback));
        assertEquals(Verdict.RATE_EXCEEDED, limited.admit(loopback));
    }

    @Test
    void rememberedAddressesStayBoundedUnderAFloodFromManyAddresses() throws Exception {
        ConnectionGate gate = new ConnectionGate(
                new BrokerConfig.ConnectionAdmission(Integer.MAX_VALUE, 1, 5, false), now::get);
        for (int i = 0; i < ConnectionGate.MAX_TRACKED_ADDRESSES + 500; i++) {
            gate.admit(address(i));
        }
        assertEquals(ConnectionGate.MAX_TRACKED_ADDRESSES, gate.trackedAddresses());
        // Once their buckets refilled, the old addresses are forgotten and new ones tracked.
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        gate.admit(address(ConnectionGate.MAX_TRACKED_ADDRESSES + 1000));
        assertEquals(1, gate.trackedAddresses());
    }

    private static InetAddress address(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    private static InetAddress address(int index) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (index >> 16), (byte) (index >> 8), (byte) index});
    }
}
