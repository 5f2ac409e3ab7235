package io.tributary.hivemq;

import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.MessageHandler;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The routes' in-process subscriptions inside HiveMQ, and the offer of a message to the matching ones. A
 * {@code $share/group/filter} subscription shares its messages with the other members of its group: each message goes
 * to one of them, in turn. Thread-safe: subscriptions change rarely (a route starts or stops), offers come from many
 * threads.
 */
final class RouteSubscriptions {

    private static final String SHARE_PREFIX = "$share/";

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    /** What an offer handed out: the stages to wait for before the publisher is acknowledged. */
    record Offer(int delivered, List<CompletableFuture<Void>> holding) {
    }

    /** @throws IllegalArgumentException when the filter is not valid */
    InProcessSubscription subscribe(String filter, SubscribeOptions options, MessageHandler handler) {
        String group = null;
        String topicFilter = filter;
        if (filter.startsWith(SHARE_PREFIX)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            if (slash <= SHARE_PREFIX.length() || slash == filter.length() - 1) {
                throw new IllegalArgumentException("a shared subscription needs $share/GROUP/FILTER: " + filter);
            }
            group = filter.substring(SHARE_PREFIX.length(), slash);
            topicFilter = filter.substring(slash + 1);
        }
        Entry entry = new Entry(filter, group, TopicFilterMatch.parse(topicFilter), options, handler);
        entries.add(entry);
        return entry;
    }

    /**
     * Hands {@code message} to every matching subscription (one member per shared group), each at the lower of the
     * message's QoS and its own; with {@code fromInProcess}, not to those that asked for no local messages.
     */
    Offer offer(Message message, boolean fromInProcess) {
        Map<String, List<Entry>> groups = new LinkedHashMap<>();
        List<Entry> chosen = new ArrayList<>();
        for (Entry entry : entries) {
            if ((fromInProcess && entry.options.noLocal()) || !entry.filter.matches(message.topic())) {
                continue;
            }
            if (entry.group == null) {
                chosen.add(entry);
            } else {
                groups.computeIfAbsent(entry.group + "/" + entry.filter.filter(), g -> new ArrayList<>()).add(entry);
            }
        }
        groups.forEach((group, members) -> chosen.add(members.get(
                Math.floorMod(turns.computeIfAbsent(group, g -> new AtomicInteger()).getAndIncrement(),
                        members.size()))));
        List<CompletableFuture<Void>> holding = new ArrayList<>();
        int delivered = 0;
        for (Entry entry : chosen) {
            QoS qos = QoS.min(message.qos(), entry.options.maxQos());
            CompletableFuture<Void> stage = entry.deliver(message.withQos(qos));
            if (stage == null) {
                continue; // unsubscribed meanwhile
            }
            delivered++;
            if (entry.options.holdPublisherAck() && message.qos() != QoS.AT_MOST_ONCE) {
                holding.add(stage);
            }
        }
        return new Offer(delivered, holding);
    }

    /** Whether any subscription's filter matches {@code topic}: a publish no route reads is not converted. */
    boolean matchesAny(String topic) {
        for (Entry entry : entries) {
            if (entry.filter.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return entries.size();
    }

    /** One subscription; closing it waits for the offers under way, so none reaches its handler afterwards. */
    private final class Entry implements InProcessSubscription {
        private final String written;
        private final String group;
        private final TopicFilterMatch filter;
        private final SubscribeOptions options;
        private final MessageHandler handler;
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private boolean closed;

        Entry(String written, String group, TopicFilterMatch filter, SubscribeOptions options, MessageHandler handler) {
            this.written = written;
            this.group = group;
            this.filter = filter;
            this.options = options;
            this.handler = handler;
        }

        /** The handler's stage, failed if the handler threw; null once closed. */
        CompletableFuture<Void> deliver(Message message) {
            lock.readLock().lock();
            try {
                if (closed) {
                    return null;
                }
                CompletionStage<Void> stage = handler.onMessage(message);
                return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public String filter() {
            return written;
        }

        @Override
        public void close() {
            lock.writeLock().lock();
            try {
                closed = true;
            } finally {
                lock.writeLock().unlock();
            }
            entries.remove(this);
        }
    }
}
