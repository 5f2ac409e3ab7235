package io.tributary.bench.connections;

import io.tributary.bench.load.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures a broker's resident memory when idle and then with many idle MQTT 3.1.1 clients connected (keep-alive off,
 * clean session, nothing subscribed), each opened by {@link IdleConnections}.
 */
public final class IdleMemoryRun {

    private static final int MAX_PENDING_HANDSHAKES = 200;

    private final Duration settle;
    private final Duration hold;

    /**
     * @param settle wait after start-up before the idle reading
     * @param hold how long the clients stay connected before the reading with clients
     */
    public IdleMemoryRun(Duration settle, Duration hold) {
        this.settle = settle;
        this.hold = hold;
    }

    public IdleMemoryResult run(Target target, int clients) throws InterruptedException {
        List<String> notes = new ArrayList<>();
        Thread.sleep(settle.toMillis());
        long rssIdle = target.residentBytes().orElse(-1);
        Duration timeout = Duration.ofSeconds(Math.max(30, clients / 200));
        try (IdleConnections connections = IdleConnections.open(target.host(), target.port(), clients,
                MAX_PENDING_HANDSHAKES, timeout)) {
            IdleConnections.Outcome outcome = connections.outcome();
            if (outcome.connected() < clients) {
                notes.add("connections: " + outcome);
            }
            int closed = connections.closedByBroker(hold);
            long rssWithClients = target.residentBytes().orElse(-1);
            if (closed > 0) {
                notes.add(closed + " idle connections were closed by the broker while held for " + hold.toSeconds()
                        + " s");
            }
            return new IdleMemoryResult(target.name(), clients, rssIdle, rssWithClients, outcome, closed,
                    target.isAlive(), notes);
        } catch (IOException e) {
            notes.add("idle clients failed: " + e);
            return new IdleMemoryResult(target.name(), clients, rssIdle, -1, null, 0, target.isAlive(), notes);
        }
    }
}
