package io.tributary.broker.protocol;

import io.netty.channel.EventLoop;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.session.ClientLink;
import io.tributary.broker.session.Session;
import io.tributary.broker.subscription.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the retained messages matching a new subscription in small steps on the connection's event loop, each
 * step a bounded amount of work followed by a yield, so that other connections on the same loop are served in
 * between however many messages match. The messages go through the session's queue and count against its bound:
 * when the queue is full the delivery waits until the session has sent half of it. It ends when the walk is over,
 * when it is cancelled (the same filter subscribed again, or unsubscribed), or when its connection is gone.
 *
 * <p>Concurrency: runs only on the connection's event loop; {@link #resume} and {@link #cancel} may come from any
 * thread.
 */
final class RetainedDelivery implements Runnable, PublisherLink {
    /** Messages queued per step at most. */
    static final int BATCH = 64;

    private final Session session;
    private final ClientLink link;
    private final EventLoop loop;
    private final RetainedStore.Cursor cursor;
    private final QoS maxQos;
    private final int[] ids;
    private final Runnable onEnd;
    private final ArrayDeque<Message> pending = new ArrayDeque<>();
    private final List<Message> found = new ArrayList<>(BATCH);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean cancelled;
    private boolean walked;

    /** @param onEnd called on the event loop once the delivery ended by itself (not when cancelled) */
    RetainedDelivery(Session session, ClientLink link, RetainedStore store, Subscription subscription,
                     Runnable onEnd) {
        this.session = session;
        this.link = link;
        this.loop = link.eventLoop();
        this.cursor = store.cursor(subscription.filter().filter());
        this.maxQos = subscription.maxQos();
        this.ids = subscription.subscriptionId() == 0 ? OutboundMessage.NO_IDS
                : new int[] {subscription.subscriptionId()};
        this.onEnd = onEnd;
    }

    void start() {
        schedule();
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public void run() {
        scheduled.set(false);
        if (cancelled) {
            return;
        }
        long now = System.currentTimeMillis();
        int queued = 0;
        while (queued < BATCH) {
            if (pending.isEmpty()) {
                if (walked) {
                    onEnd.run();
                    return;
                }
                found.clear();
                walked = !cursor.next(BATCH, found);
                pending.addAll(found);
                if (found.isEmpty() && !walked) {
                    break; // a step of the walk that found nothing: yield before the next
                }
                continue;
            }
            Message message = pending.peekFirst();
            if (message.isExpiredAt(now)) {
                pending.pollFirst();
                continue;
            }
            // A retained message sent because of a subscription has RETAIN set [MQTT-3.3.1-8].
            OutboundMessage outbound = new OutboundMessage(message, QoS.min(message.qos(), maxQos), true, ids);
            switch (session.offerRetained(outbound, link, this)) {
                case QUEUED -> {
                    pending.pollFirst();
                    queued++;
                }
                case NOT_READABLE -> pending.pollFirst();
                case FULL -> {
                    return; // resume() schedules the next step once the queue has room
                }
                case GONE -> {
                    cancelled = true;
                    onEnd.run();
                    return;
                }
            }
        }
        schedule();
    }

    @Override
    public void pause() {
        // Waiting for room is the delivery's own state: run() returned and resume() starts it again.
    }

    @Override
    public void resume() {
        schedule();
    }

    private void schedule() {
        if (!cancelled && scheduled.compareAndSet(false, true)) {
            try {
                // Scheduled rather than executed: Netty runs the tasks queued while it runs tasks in the same pass
                // (checking its time budget every 64 of them), but scheduled ones only from the next pass, after
                // the loop has served its sockets. So each step truly yields.
                loop.schedule(this, 0, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                cancelled = true; // the broker is stopping
            }
        }
    }
}
