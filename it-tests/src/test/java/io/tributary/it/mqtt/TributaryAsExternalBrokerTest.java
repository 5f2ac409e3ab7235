package io.tributary.it.mqtt;

import io.tributary.it.support.Signals;
import io.tributary.it.support.TributaryChild;
import java.nio.file.Path;

/**
 * {@link PeerBrokerContract} with another Tributary (a process of its own, its built-in broker and no routes) as the
 * external broker: an edge Tributary bridging to a cloud one.
 */
class TributaryAsExternalBrokerTest extends PeerBrokerContract {

    private TributaryChild peer;

    @Override
    int startPeer(Path folder) {
        peer = TributaryChild.start("peer-tributary", folder.resolve("data"), "", folder);
        return listening(peer.mqttPort());
    }

    @Override
    void pausePeer() {
        Signals.send("STOP", peer.pid());
    }

    @Override
    void resumePeer() {
        Signals.send("CONT", peer.pid());
    }

    @Override
    void closePeer() {
        if (peer != null) {
            Signals.send("CONT", peer.pid());
            peer.close();
        }
    }
}
