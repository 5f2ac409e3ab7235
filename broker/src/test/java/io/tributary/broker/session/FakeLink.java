package io.tributary.broker.session;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.broker.delivery.OutboundMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ClientLink} without a socket: it records what the session writes. Its event loop is an
 * {@link EmbeddedChannel}'s, which runs the session's drain tasks only when {@link #run()} is called, on
 * the test thread, so every step of a test is deterministic.
 */
final class FakeLink implements ClientLink {
    /** One packet the session wrote: a PUBLISH (with its DUP flag) or a PUBREL. */
    record Written(String kind, int packetId, boolean duplicate, OutboundMessage message) {
        String payload() {
            return message == null ? null : message.message().payloadAsString();
        }
    }

    private final EmbeddedChannel channel = new EmbeddedChannel();
    final List<Written> written = new ArrayList<>();
    int receiveMaximum = 65535;
    boolean writable = true;
    int flushes;
    boolean takenOver;
    /** Why the session closed this link as stuck; null if it did not. */
    String closedStuck;
    String username;

    @Override
    public String username() {
        return username;
    }

    /** Runs the tasks the session scheduled (its drains). */
    void run() {
        channel.runPendingTasks();
    }

    /** Moves the event loop's clock on by {@code time} and runs the tasks scheduled until then. */
    void advance(java.time.Duration time) {
        channel.advanceTimeBy(time.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /** What was written since the last call, and forgets it. */
    List<Written> take() {
        List<Written> taken = new ArrayList<>(written);
        written.clear();
        return taken;
    }

    void close() {
        channel.finishAndReleaseAll();
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public int receiveMaximum() {
        return receiveMaximum;
    }

    @Override
    public boolean fits(OutboundMessage message) {
        return true;
    }

    @Override
    public void writePublish(OutboundMessage message, int packetId, boolean duplicate) {
        written.add(new Written("PUBLISH", packetId, duplicate, message));
    }

    @Override
    public void writePubrel(int packetId) {
        written.add(new Written("PUBREL", packetId, false, null));
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void takeOver() {
        takenOver = true;
    }

    @Override
    public void closeStuck(String why) {
        closedStuck = why;
    }
}
