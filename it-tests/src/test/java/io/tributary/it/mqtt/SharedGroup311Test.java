package io.tributary.it.mqtt;

/**
 * {@link SharedGroupTest} over MQTT 3.1.1: Mosquitto 2.0 takes {@code $share/GROUP/...} from 3.1.1 clients too, and
 * keeps a {@code cleanSession=false} session's share while its member is gone. Fewer numbers, to keep the run short.
 */
class SharedGroup311Test extends SharedGroupTest {

    @Override
    String version() {
        return "3.1.1";
    }

    @Override
    int firstStream() {
        return 600;
    }

    @Override
    int bothStreams() {
        return 1_600;
    }
}
