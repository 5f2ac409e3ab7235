package io.tributary.broker.session;

import io.netty.channel.EventLoop;
import io.tributary.broker.BrokerState;
import io.tributary.broker.Permissions;
import io.tributary.broker.QoS;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.stats.BrokerCounters;
import io.tributary.broker.subscription.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The state of one MQTT client that outlives its connections: subscriptions, the outbound queue, the
 * QoS 1/2 messages in flight to it, and the QoS 2 packet identifiers it has sent and not yet released.
 *
 * <p>Concurrency: publishers on any I/O thread {@link #offer} messages, so the delivery state (queue,
 * in-flight map, attached link) is guarded by this object's monitor, held only for short steps. Writing
 * to the connection happens outside the monitor, always on the link's event loop, in
 * {@link #drain()}; one drain is scheduled at a time, which keeps packets in order.
 */
public final class Session implements Subscriber {
    private static final int DRAIN_BATCH = 256;

    private final String clientId;
    private final SessionLimits limits;
    private final BrokerCounters counters;

    /** Subscriptions by raw filter; kept with the session so a persistent session resumes them. */
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /**
     * QoS 2 packet identifiers received and not yet released by PUBREL [MQTT-4.3.3-3], each mapped to whether
     * the message was accepted (PUBREC due): only accepted ones are saved across a restart, so a message whose
     * acknowledgement was still held when the broker stopped is taken again when the client resends it.
     */
    private final Map<Integer, Boolean> inboundQos2 = new ConcurrentHashMap<>();

    // Guarded by this.
    private ClientLink link;
    private final ArrayDeque<OutboundMessage> queue = new ArrayDeque<>();
    /** The payload and topic bytes of what is in {@link #queue}. */
    private long queuedBytes;
    private final LinkedHashMap<Integer, InFlight> inFlight = new LinkedHashMap<>();
    private final List<PublisherLink> pausedPublishers = new ArrayList<>(2);
    private int nextPacketId = 1;
    private boolean drainScheduled;
    /** In-flight messages not yet sent again on the attached link; sent before anything new. */
    private int awaitingResend;
    /** In-flight messages sent on the attached link: what counts against the client's Receive Maximum. */
    private int sentOnLink;
    private boolean ended;
    /**
     * What the client may receive: set from each connection as it attaches, and kept while offline so that the
     * offline queue only takes what the client may read.
     */
    volatile Permissions permissions = Permissions.ALLOW_ALL;
    /**
     * The user name its client last connected with (null: anonymous), saved with the session so that a restart
     * can ask the authorizer for the same permissions; null and {@link #usernameKnown} false until a client
     * attached, or after a restore from a state that did not keep it.
     */
    volatile String username;
    volatile boolean usernameKnown;

    // Guarded by the SessionRegistry's monitor.
    int protocolVersion = 4;
    long expirySeconds;
    /** When the last connection closed: session expiry and a delayed will count from here. */
    long offlineSinceMillis;
    WillMessage will;
    ScheduledFuture<?> willTimer;
    ScheduledFuture<?> expiryTimer;

    Session(String clientId, SessionLimits limits, BrokerCounters counters) {
        this.clientId = clientId;
        this.limits = limits;
        this.counters = counters;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** The subscriptions of this session, by filter as subscribed. */
    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** Records an inbound QoS 2 packet identifier. @return false if it was already pending (a retransmission) */
    public boolean startInboundQos2(int packetId) {
        return inboundQos2.putIfAbsent(packetId, Boolean.FALSE) == null;
    }

    /** The QoS 2 message with this identifier was accepted: its PUBREC is due, and a resend is not taken again. */
    public void acceptInboundQos2(int packetId) {
        inboundQos2.replace(packetId, Boolean.TRUE);
    }

    /** Releases an inbound QoS 2 packet identifier on PUBREL. @return false if it was unknown */
    public boolean releaseInboundQos2(int packetId) {
        return inboundQos2.remove(packetId) != null;
    }

    /** How many inbound QoS 2 packet identifiers await PUBREL. */
    public int inboundQos2Count() {
        return inboundQos2.size();
    }

    /** Forgets an inbound QoS 2 identifier whose message was refused, so the client may reuse it. */
    public void abandonInboundQos2(int packetId) {
        inboundQos2.remove(packetId);
    }

    @Override
    public CompletionStage<Void> offer(OutboundMessage message, PublisherLink publisher) {
        // Every delivery passes here (routed, queued offline, retained on subscribe, shared): a wildcard
        // subscription never delivers a topic the client may not read.
        if (!permissions.mayRead(message.message().topic())) {
            return null;
        }
        EventLoop scheduleOn = null;
        synchronized (this) {
            if (ended) {
                return null;
            }
            if (link == null) {
                enqueueOffline(message);
                return null;
            }
            if (isFull()) {
                if (message.qos() == QoS.AT_MOST_ONCE) {
                    counters.droppedQos0.increment();
                    return null;
                }
                // A QoS 1/2 message is never dropped for an online subscriber: its publisher waits instead.
                if (publisher != null && !containsIdentity(pausedPublishers, publisher)) {
                    pausedPublishers.add(publisher);
                    publisher.pause();
                }
            }
            add(message);
            if (!drainScheduled) {
                drainScheduled = true;
                scheduleOn = link.eventLoop();
            }
        }
        if (scheduleOn != null) {
            scheduleOn.execute(this::drain);
        }
        return null;
    }

    /** What became of a message offered with {@link #offerRetained}. */
    public enum RetainedOffer {
        /** Queued for sending. */
        QUEUED,
        /** Not queued: the queue is at its bound; the sender is resumed once it is half as long. */
        FULL,
        /** Not queued: the connection the subscription came on is no longer attached, or the session is over. */
        GONE,
        /** Not queued: the client may not read its topic (a wildcard subscription under access rules). */
        NOT_READABLE
    }

    /**
     * Queues a retained message sent because of a subscription, if the client may read it and the queue has room.
     * Such messages count against the queue's bounds (messages and bytes) like any other; having no publisher to hold back, their sender waits for room instead,
     * so that a subscription matching a million retained messages never queues more than the bound.
     *
     * @param via the connection the subscription came on
     * @param sender resumed (once) when the queue has room again, after {@link RetainedOffer#FULL}
     */
    public RetainedOffer offerRetained(OutboundMessage message, ClientLink via, PublisherLink sender) {
        if (!permissions.mayRead(message.message().topic())) {
            return RetainedOffer.NOT_READABLE;
        }
        EventLoop scheduleOn = null;
        synchronized (this) {
            if (ended || link != via) {
                return RetainedOffer.GONE;
            }
            if (isFull()) {
                if (!containsIdentity(pausedPublishers, sender)) {
                    pausedPublishers.add(sender);
                    sender.pause();
                }
                return RetainedOffer.FULL;
            }
            add(message);
            if (!drainScheduled) {
                drainScheduled = true;
                scheduleOn = link.eventLoop();
            }
        }
        if (scheduleOn != null) {
            scheduleOn.execute(this::drain);
        }
        return RetainedOffer.QUEUED;
    }

    private void enqueueOffline(OutboundMessage message) {
        if (message.qos() == QoS.AT_MOST_ONCE) {
            return; // QoS 0 messages are not kept for offline clients.
        }
        long size = sizeOf(message);
        if (size > limits.maxQueuedBytes()) {
            counters.droppedQueueFull.increment(); // could never fit, whatever the policy
            return;
        }
        while (queue.size() >= limits.maxQueued() || queuedBytes + size > limits.maxQueuedBytes()) {
            counters.droppedQueueFull.increment();
            if (limits.queueFullPolicy() == QueueFullPolicy.DROP_NEW) {
                return;
            }
            poll();
        }
        add(message);
    }

    /** Whether either bound of the queue is reached: an online session then pushes back. */
    private boolean isFull() {
        return queue.size() >= limits.maxQueued() || queuedBytes >= limits.maxQueuedBytes();
    }

    /** Whether the queue is down to half of both bounds, when paused publishers may go on. */
    private boolean isHalfEmpty() {
        return queue.size() <= limits.maxQueued() / 2 && queuedBytes <= limits.maxQueuedBytes() / 2;
    }

    private void add(OutboundMessage message) {
        queue.addLast(message);
        queuedBytes += sizeOf(message);
        counters.queued.increment();
    }

    private OutboundMessage poll() {
        OutboundMessage head = queue.pollFirst();
        if (head != null) {
            queuedBytes -= sizeOf(head);
            counters.queued.decrement();
        }
        return head;
    }

    /** What a queued message counts against {@code maxQueuedBytes}: its payload and its topic. */
    static long sizeOf(OutboundMessage message) {
        return message.message().payload().length + (long) message.message().topic().length();
    }

    @Override
    public boolean mayReceive(String topic) {
        return permissions.mayRead(topic);
    }

    @Override
    public synchronized boolean isReadyForShared() {
        return link != null && queue.size() < limits.maxQueued() / 2 && queuedBytes < limits.maxQueuedBytes() / 2;
    }

    /** Attaches a new connection; in-flight messages are sent again, DUP set, before anything new [MQTT-4.4.0-1]. */
    void attach(ClientLink newLink) {
        permissions = newLink.permissions();
        username = newLink.username();
        usernameKnown = true;
        synchronized (this) {
            link = newLink;
            // The client's Receive Maximum applies afresh to this connection (MQTT 5 section 4.9).
            for (InFlight entry : inFlight.values()) {
                entry.sentOnLink = false;
            }
            awaitingResend = inFlight.size();
            sentOnLink = 0;
            drainScheduled = true;
        }
        newLink.eventLoop().execute(this::drain);
    }

    /**
     * Detaches {@code oldLink} if it is still the attached one. QoS 0 messages still queued are dropped;
     * publishers this session paused may go on (the offline queue bound applies from now on).
     *
     * @return false if another link is attached already (a takeover)
     */
    boolean detach(ClientLink oldLink) {
        List<PublisherLink> toResume;
        synchronized (this) {
            if (link != oldLink) {
                return false;
            }
            link = null;
            drainScheduled = false;
            sentOnLink = 0;
            awaitingResend = inFlight.size();
            for (InFlight entry : inFlight.values()) {
                entry.sentOnLink = false;
            }
            for (Iterator<OutboundMessage> it = queue.iterator(); it.hasNext(); ) {
                OutboundMessage queued = it.next();
                if (queued.qos() == QoS.AT_MOST_ONCE) {
                    it.remove();
                    queuedBytes -= sizeOf(queued);
                    counters.queued.decrement();
                }
            }
            toResume = takePausedPublishers();
        }
        toResume.forEach(PublisherLink::resume);
        return true;
    }

    /** The link attached now, or null. */
    synchronized ClientLink link() {
        return link;
    }

    /** Discards everything: the session is over. */
    void end() {
        List<PublisherLink> toResume;
        synchronized (this) {
            ended = true;
            link = null;
            counters.queued.add(-queue.size());
            counters.inFlight.add(-inFlight.size());
            queue.clear();
            queuedBytes = 0;
            inFlight.clear();
            sentOnLink = 0;
            awaitingResend = 0;
            toResume = takePausedPublishers();
        }
        inboundQos2.clear();
        toResume.forEach(PublisherLink::resume);
    }

    /** PUBACK from the client: the QoS 1 message is delivered [MQTT-4.3.2-1]. */
    public void onPuback(int packetId) {
        completeInFlight(packetId);
    }

    /**
     * PUBREC from the client.
     *
     * @param failed true if an MQTT 5 client answered with an error reason code: the flow ends there
     * @return false if the packet identifier was not in flight
     */
    public boolean onPubrec(int packetId, boolean failed) {
        if (failed) {
            return completeInFlight(packetId);
        }
        synchronized (this) {
            InFlight entry = inFlight.get(packetId);
            if (entry == null) {
                return false;
            }
            entry.released = true;
            return true;
        }
    }

    /** PUBCOMP from the client: the QoS 2 flow is complete. */
    public void onPubcomp(int packetId) {
        completeInFlight(packetId);
    }

    private boolean completeInFlight(int packetId) {
        EventLoop scheduleOn = null;
        boolean known;
        synchronized (this) {
            InFlight removed = inFlight.remove(packetId);
            known = removed != null;
            if (known) {
                counters.inFlight.decrement();
                if (removed.sentOnLink) {
                    sentOnLink--;
                } else {
                    awaitingResend--;
                }
            }
            if ((!queue.isEmpty() || awaitingResend > 0) && link != null && !drainScheduled) {
                drainScheduled = true;
                scheduleOn = link.eventLoop();
            }
        }
        if (scheduleOn != null) {
            scheduleOn.execute(this::drain);
        }
        return known;
    }

    /** Called when the connection became writable again. */
    public void resumeWriting() {
        EventLoop scheduleOn = null;
        synchronized (this) {
            if (!queue.isEmpty() && link != null && !drainScheduled) {
                drainScheduled = true;
                scheduleOn = link.eventLoop();
            }
        }
        if (scheduleOn != null) {
            scheduleOn.execute(this::drain);
        }
    }

    /**
     * Writes what the client can take now: first, after a reconnect, everything in flight again; then
     * queued messages while the in-flight window and the socket allow. Runs on the link's event loop.
     */
    void drain() {
        ClientLink target;
        List<InFlight> resend = null;
        List<Object[]> batch = new ArrayList<>();
        List<PublisherLink> toResume = List.of();
        boolean more;
        synchronized (this) {
            target = link;
            if (target == null || ended) {
                drainScheduled = false;
                return;
            }
            if (!target.eventLoop().inEventLoop()) {
                target.eventLoop().execute(this::drain);
                return;
            }
            drainScheduled = false;
            int window = Math.min(target.receiveMaximum(), limits.maxInFlight());
            if (awaitingResend > 0) {
                resend = new ArrayList<>();
                for (InFlight entry : inFlight.values()) {
                    if (sentOnLink >= window) {
                        break;
                    }
                    if (!entry.sentOnLink) {
                        entry.sentOnLink = true;
                        sentOnLink++;
                        awaitingResend--;
                        resend.add(entry);
                    }
                }
            }
            long now = System.currentTimeMillis();
            while (batch.size() < DRAIN_BATCH && !queue.isEmpty() && target.isWritable()) {
                OutboundMessage next = queue.peekFirst();
                boolean needsSlot = next.qos() != QoS.AT_MOST_ONCE;
                if (needsSlot && (awaitingResend > 0 || sentOnLink >= window)) {
                    break;
                }
                poll();
                if (next.message().isExpiredAt(now)) {
                    counters.expired.increment();
                    continue;
                }
                if (!target.fits(next)) {
                    // The client must not be sent a packet above its maximum: discard it [MQTT-3.1.2-25].
                    counters.droppedTooLarge.increment();
                    continue;
                }
                int packetId = 0;
                if (needsSlot) {
                    packetId = allocatePacketId();
                    InFlight entry = new InFlight(next, packetId);
                    entry.sentOnLink = true;
                    sentOnLink++;
                    inFlight.put(packetId, entry);
                    counters.inFlight.increment();
                }
                batch.add(new Object[] {next, packetId});
            }
            more = batch.size() == DRAIN_BATCH && !queue.isEmpty();
            if (more) {
                drainScheduled = true;
            }
            if (!pausedPublishers.isEmpty() && isHalfEmpty()) {
                toResume = takePausedPublishers();
            }
        }
        if (resend != null) {
            for (InFlight entry : resend) {
                if (entry.released) {
                    target.writePubrel(entry.packetId);
                } else {
                    target.writePublish(entry.message, entry.packetId, true);
                }
            }
        }
        for (Object[] item : batch) {
            target.writePublish((OutboundMessage) item[0], (Integer) item[1], false);
        }
        if (resend != null || !batch.isEmpty()) {
            target.flush();
        }
        toResume.forEach(PublisherLink::resume);
        if (more) {
            target.eventLoop().execute(this::drain);
        }
    }

    private int allocatePacketId() {
        for (int attempts = 0; attempts < 65535; attempts++) {
            int candidate = nextPacketId;
            nextPacketId = candidate == 65535 ? 1 : candidate + 1;
            if (!inFlight.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free packet identifier for " + clientId);
    }

    private List<PublisherLink> takePausedPublishers() {
        if (pausedPublishers.isEmpty()) {
            return List.of();
        }
        List<PublisherLink> taken = new ArrayList<>(pausedPublishers);
        pausedPublishers.clear();
        return taken;
    }

    private static boolean containsIdentity(List<PublisherLink> links, PublisherLink candidate) {
        for (PublisherLink l : links) {
            if (l == candidate) {
                return true;
            }
        }
        return false;
    }

    /** The inbound QoS 2 packet identifiers whose messages were accepted and await PUBREL. */
    List<Integer> acceptedInboundQos2() {
        return inboundQos2.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    /** Adds the in-flight messages, then the queued QoS 1/2 ones, each oldest first, to a state being saved. */
    synchronized void saveDeliveries(List<BrokerState.InFlightDelivery> sent, List<BrokerState.Delivery> waiting) {
        for (InFlight entry : inFlight.values()) {
            sent.add(new BrokerState.InFlightDelivery(entry.packetId, entry.released,
                    SessionStates.toDelivery(entry.message)));
        }
        for (OutboundMessage queued : queue) {
            if (queued.qos() != QoS.AT_MOST_ONCE) {
                waiting.add(SessionStates.toDelivery(queued));
            }
        }
    }

    /**
     * Puts back the state of a saved session before any client connects. In-flight messages are sent again
     * first when the client resumes; queued ones that expired meanwhile are dropped, and the offline queue
     * bound applies as to any offline session.
     */
    void restoreDeliveries(BrokerState.SessionState saved, long nowMillis) {
        saved.inboundQos2PacketIds().forEach(packetId -> inboundQos2.put(packetId, Boolean.TRUE));
        synchronized (this) {
            for (BrokerState.InFlightDelivery sent : saved.inFlight()) {
                InFlight entry = new InFlight(SessionStates.toOutbound(sent.delivery()), sent.packetId());
                entry.released = sent.pubrecReceived();
                if (inFlight.put(sent.packetId(), entry) == null) {
                    counters.inFlight.increment();
                }
            }
            awaitingResend = inFlight.size();
            for (BrokerState.Delivery waiting : saved.queued()) {
                if (waiting.message().isExpiredAt(nowMillis)) {
                    counters.expired.increment();
                } else {
                    enqueueOffline(SessionStates.toOutbound(waiting));
                }
            }
        }
    }

    /** Messages waiting to be sent, for tests and stats. */
    public synchronized int queuedCount() {
        return queue.size();
    }

    /** The payload and topic bytes of the messages waiting to be sent, for tests and stats. */
    public synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** QoS 1/2 messages sent and not yet acknowledged, for tests and stats. */
    public synchronized int inFlightCount() {
        return inFlight.size();
    }

    /** An outbound QoS 1/2 message awaiting PUBACK, or PUBREC then PUBCOMP. */
    private static final class InFlight {
        final OutboundMessage message;
        final int packetId;
        boolean released;
        boolean sentOnLink;

        InFlight(OutboundMessage message, int packetId) {
            this.message = message;
            this.packetId = packetId;
        }
    }
}
