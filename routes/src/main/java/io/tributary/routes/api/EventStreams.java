package io.tributary.routes.api;

import io.tributary.broker.InProcessBroker;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.Permissions;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/stream?filter=F}: Server-Sent Events, one {@code event: message} per message matching
 * the filter, from an in-process subscription at QoS 0 that never holds a publisher's acknowledgement.
 *
 * <p>Each stream is bounded: messages wait for the client in a queue of at most {@code maxQueued} messages
 * and {@code maxQueuedBytes} payload bytes, and are only written while the connection's write queue has
 * room. A message arriving when the queue is full is dropped; before the next message the client gets
 * {@code event: dropped} with {@code {"count": N}}, how many were dropped since the last report. The
 * subscription is closed when the client disconnects. A comment line every {@code heartbeatMillis} keeps
 * idle connections open through proxies.
 */
final class EventStreams {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    private static final CompletionStage<Void> TAKEN = CompletableFuture.completedFuture(null);
    private static final int WRITE_QUEUE_BYTES = 256 * 1024;

    private final InProcessBroker broker;
    private final ApiUsers users;
    private final long heartbeatMillis;
    private final int maxQueued;
    private final long maxQueuedBytes;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    EventStreams(InProcessBroker broker, ApiUsers users, long heartbeatMillis, int maxQueued, long maxQueuedBytes) {
        this.broker = broker;
        this.users = users;
        this.heartbeatMillis = heartbeatMillis;
        this.maxQueued = maxQueued;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Handles the request on its event loop. */
    void handle(RoutingContext ctx) {
        List<String> filters = ctx.queryParam("filter");
        if (filters.size() != 1 || filters.get(0).isEmpty()) {
            HttpApi.answer(ctx, 400, ApiJson.error(filters.size() > 1 ? "give the query parameter 'filter' once"
                    : "the query parameter 'filter' is required: a topic filter such as sensors/+/temperature "
                            + "(write # as %23)"));
            return;
        }
        String filter = filters.get(0);
        Permissions access = users.of(ctx.request().getHeader("Authorization"));
        String unshared = filter.startsWith("$share/") && filter.indexOf('/', 7) > 0
                ? filter.substring(filter.indexOf('/', 7) + 1) : filter;
        if (!access.maySubscribe(unshared)) {
            HttpApi.answer(ctx, 403, ApiJson.error("this token's user may read no topic that 'filter' matches"));
            return;
        }
        Stream stream = new Stream(ctx.vertx(), ctx.vertx().getOrCreateContext(), ctx.response(), filter);
        try {
            // A broad filter is granted and filtered per message, as for MQTT clients.
            // In a cluster, every node's publishes, as an MQTT subscriber on this node gets them.
            stream.subscription = broker.subscribe(filter, SubscribeOptions.of(QoS.AT_MOST_ONCE).everyNode(),
                    message -> access.mayRead(message.topic()) ? stream.offer(message)
                            : CompletableFuture.completedFuture(null));
        } catch (IllegalArgumentException e) {
            HttpApi.answer(ctx, 400, ApiJson.error("'filter' is not valid: " + e.getMessage()));
            return;
        }
        stream.start();
    }

    /** How many streams are open: for tests and metrics. */
    int openCount() {
        return open.size();
    }

    /** Ends every open stream; called when the API stops. */
    void closeAll() {
        for (Stream stream : List.copyOf(open)) {
            stream.context.runOnContext(v -> stream.end());
            stream.close();
        }
    }

    private final class Stream {
        private final Vertx vertx;
        private final Context context;
        private final HttpServerResponse response;
        private final String filter;
        private final Queue<Message> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private final AtomicLong queuedBytes = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile InProcessSubscription subscription;
        private volatile long heartbeatTimer = -1;
        private long sequence;

        Stream(Vertx vertx, Context context, HttpServerResponse response, String filter) {
            this.vertx = vertx;
            this.context = context;
            this.response = response;
            this.filter = filter;
        }

        /** On the event loop, right after subscribing. */
        void start() {
            open.add(this);
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no")
                    .setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
            response.closeHandler(v -> close());
            response.exceptionHandler(e -> close());
            if (response.closed()) {
                close();
                return;
            }
            // The comment sends the head at once: the client knows the subscription is in place.
            write(": subscribed to " + filter.replace('\n', ' ').replace('\r', ' ') + "\n\n");
            heartbeatTimer = vertx.setPeriodic(heartbeatMillis, id -> {
                if (!closed.get() && !response.writeQueueFull()) {
                    write(": heartbeat\n\n");
                }
            });
            LOG.debug("Event stream opened on {}", filter);
        }

        /** On a broker thread: must not block. */
        CompletionStage<Void> offer(Message message) {
            if (closed.get()) {
                return TAKEN;
            }
            int size = message.payload().length;
            if (queued.get() >= maxQueued || queuedBytes.get() + size > maxQueuedBytes) {
                dropped.incrementAndGet();
            } else {
                queuedBytes.addAndGet(size);
                queued.incrementAndGet();
                queue.add(message);
            }
            if (drainScheduled.compareAndSet(false, true)) {
                context.runOnContext(v -> drain());
            }
            return TAKEN;
        }

        /** On the event loop: writes what waits while the connection takes it. */
        private void drain() {
            drainScheduled.set(false);
            while (!closed.get()) {
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> drain());
                    return;
                }
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    write("event: dropped\ndata: {\"count\":" + lost + "}\n\n");
                    continue;
                }
                Message message = queue.poll();
                if (message == null) {
                    return;
                }
                queued.decrementAndGet();
                queuedBytes.addAndGet(-message.payload().length);
                write("id: " + (++sequence) + "\nevent: message\ndata: " + ApiJson.write(ApiJson.message(message))
                        + "\n\n");
            }
        }

        private void write(String text) {
            if (closed.get() || response.ended() || response.closed()) {
                return;
            }
            try {
                response.write(text);
            } catch (RuntimeException e) {
                close();
            }
        }

        /** On the event loop: ends the response, for a stopping API. */
        void end() {
            try {
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            } catch (RuntimeException ignored) {
                // The client is gone already.
            }
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            open.remove(this);
            InProcessSubscription current = subscription;
            if (current != null) {
                current.close();
            }
            if (heartbeatTimer >= 0) {
                vertx.cancelTimer(heartbeatTimer);
            }
            queue.clear();
            LOG.debug("Event stream on {} closed", filter);
        }
    }
}
