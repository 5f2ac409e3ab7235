package io.tributary.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.ClientInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bounded pool that authenticates off the I/O threads. */
class ConnectAuthenticationTest {
    private static final ClientInfo CLIENT = new ClientInfo("c", "u", new InetSocketAddress("127.0.0.1", 1), "tcp", 5);

    @Test
    void aFullQueueAnswersBusyAtOnceAndTheOthersAreStillDecided() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ConnectAuthentication pool = ConnectAuthentication.pooled((client, password) -> {
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, 2, 3);
        try {
            List<CompletableFuture<ConnectAuthentication.Outcome>> admitted = new ArrayList<>();
            for (int i = 0; i < 5; i++) { // two running, three waiting
                admitted.add(pool.authenticate(CLIENT, null));
            }
            CompletableFuture<ConnectAuthentication.Outcome> sixth = pool.authenticate(CLIENT, null);
            assertTrue(sixth.isDone(), "a CONNECT beyond the queue is answered without waiting");
            assertEquals(ConnectAuthentication.Outcome.BUSY, sixth.join());
            release.countDown();
            for (CompletableFuture<ConnectAuthentication.Outcome> outcome : admitted) {
                assertEquals(ConnectAuthentication.Outcome.ACCEPTED, outcome.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.close();
        }
    }

    @Test
    void anAuthenticatorThatThrowsIsAFailureNotARefusal() throws Exception {
        ConnectAuthentication pool = ConnectAuthentication.pooled((client, password) -> {
            throw new IllegalStateException("directory server down");
        }, 1, 1);
        try {
            assertEquals(ConnectAuthentication.Outcome.FAILED,
                    pool.authenticate(CLIENT, null).get(10, TimeUnit.SECONDS));
        } finally {
            pool.close();
        }
    }

    @Test
    void refusalsAreCountedByReason() {
        ConnectRefusals refusals = new ConnectRefusals();
        for (int i = 0; i < 100; i++) {
            refusals.refused(ConnectRefusals.Reason.BAD_CREDENTIALS, CLIENT, null);
        }
        refusals.refused(ConnectRefusals.Reason.NOT_AUTHORIZED, CLIENT, null);
        assertEquals(100, refusals.count(ConnectRefusals.Reason.BAD_CREDENTIALS));
        assertEquals(1, refusals.count(ConnectRefusals.Reason.NOT_AUTHORIZED));
        assertEquals(0, refusals.count(ConnectRefusals.Reason.UNAVAILABLE));
    }
}
