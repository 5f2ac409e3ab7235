package io.tributary.it.mqtt;

import io.tributary.it.support.HiveMqCeChild;
import java.nio.file.Path;

/** {@link PeerBrokerContract} with HiveMQ CE (embedded edition, in a JVM of its own) as the external broker. */
class HiveMqCeAsExternalBrokerTest extends PeerBrokerContract {

    private HiveMqCeChild hivemq;

    @Override
    int startPeer(Path folder) {
        hivemq = HiveMqCeChild.start(folder);
        return listening(hivemq.port());
    }

    @Override
    void pausePeer() {
        hivemq.pause();
    }

    @Override
    void resumePeer() {
        hivemq.resume();
    }

    @Override
    void closePeer() {
        if (hivemq != null) {
            hivemq.close();
        }
    }
}
