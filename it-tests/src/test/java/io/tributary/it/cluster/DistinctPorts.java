package io.tributary.it.cluster;

import io.tributary.testsupport.net.FreePort;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for the nodes of one test, none given twice: each node's listeners are picked before any
 * node binds, so {@link FreePort} alone could hand the same port to two of them.
 *
 * <p>Concurrency: one test thread.
 */
final class DistinctPorts {
    private final Set<Integer> taken = new HashSet<>();

    int next() {
        int port = FreePort.onLoopback();
        while (!taken.add(port)) {
            port = FreePort.onLoopback();
        }
        return port;
    }
}
