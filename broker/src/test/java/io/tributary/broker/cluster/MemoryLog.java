package io.tributary.broker.cluster;

import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.RetainedJournal;
import io.tributary.broker.delivery.PublisherLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import io.tributary.broker.session.SessionSummary;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A cluster log held in a list, for tests of the broker's side of {@link ClusterLink}: appends wait until the test
 * says they are durable, and records reach the broker when the test hands them, as a log reader would.
 */
final class MemoryLog implements ClusterLink {
    final List<Message> appended = new ArrayList<>();
    /** The nodes each appended message was for, by index. */
    final List<Set<String>> addressed = new ArrayList<>();
    /** The share choices each appended message carried, by index. */
    final List<List<ShareChoice>> shared = new ArrayList<>();
    /** Session states written, and the client ids of tombstones, in order. */
    final List<Object> states = new ArrayList<>();
    /** While set, written states stay not applied everywhere until the test completes them in {@link #stateKnown}. */
    volatile boolean holdStates;
    final List<CompletableFuture<Void>> stateKnown = new ArrayList<>();
    /** The table the broker follows, once it does; filled with {@link #tableAtStart} first. */
    volatile ClusterInterest table;
    final List<SessionSummary> tableAtStart = new ArrayList<>();
    /** The owner of the entries of {@link #tableAtStart}. */
    volatile String tableOwner = "memory";
    final List<CompletableFuture<Void>> durable = new ArrayList<>();
    private LogDelivery delivery;
    private boolean stopped;

    synchronized int appendedCount() {
        return appended.size();
    }

    synchronized int stateCount() {
        return states.size();
    }

    synchronized boolean hasState(Object written) {
        return states.contains(written);
    }

    @Override
    public String node() {
        return "memory";
    }

    @Override
    public synchronized CompletionStage<Void> append(Message message, String key, Set<String> nodes,
                                                     List<ShareChoice> shares) {
        appended.add(message);
        addressed.add(nodes);
        shared.add(shares);
        CompletableFuture<Void> stage = new CompletableFuture<>();
        durable.add(stage);
        return stage;
    }

    @Override
    public void followSessions(ClusterInterest followed) {
        tableAtStart.forEach(entry -> followed.put(tableOwner, entry));
        table = followed;
    }

    @Override
    public synchronized CompletionStage<Void> writeState(SessionSummary session) {
        states.add(session);
        CompletableFuture<Void> known = holdStates ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(null);
        stateKnown.add(known);
        return known;
    }

    @Override
    public synchronized void removeState(String clientId) {
        states.add(clientId);
    }

    @Override
    public synchronized void deliverTo(LogDelivery target) {
        this.delivery = target;
    }

    @Override
    public synchronized void stopDelivering() {
        stopped = true;
    }

    /** Retained changes as written: a message, or its topic for a clear. */
    final List<Object> retainedChanges = new ArrayList<>();
    /** While set, retained changes stay not durable until the test completes them in {@link #retainedDurable}. */
    volatile boolean holdRetained;
    final List<CompletableFuture<Void>> retainedDurable = new ArrayList<>();

    private synchronized CompletableFuture<Void> written(Object change) {
        retainedChanges.add(change);
        CompletableFuture<Void> durable = holdRetained ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(null);
        retainedDurable.add(durable);
        return durable;
    }

    @Override
    public RetainedJournal retainedJournal() {
        return new RetainedJournal() {
            @Override
            public CompletableFuture<Void> retain(Message message) {
                return written(message);
            }

            @Override
            public CompletableFuture<Void> clearRetained(String topic) {
                return written(topic);
            }
        };
    }

    /** What the cluster holds as retained when the broker starts following it. */
    final List<Message> retainedAtStart = new ArrayList<>();
    /** The store the broker handed to follow the cluster, once it did. */
    volatile RetainedStore followed;

    @Override
    public void followRetained(RetainedStore store) {
        retainedAtStart.forEach(store::put);
        followed = store;
    }

    @Override
    public synchronized String state() {
        return delivery == null ? "down: starting" : stopped ? "down: stopped" : "up: node memory";
    }

    /** Hands record {@code index} to the broker as the log reader would. */
    CompletionStage<Void> hand(int index, PublisherLink reader) {
        Message message;
        List<ShareChoice> shares;
        LogDelivery target;
        synchronized (this) {
            message = appended.get(index);
            shares = shared.get(index);
            target = delivery;
        }
        return target.deliver(message, true, shares, reader);
    }

    /** Hands {@code message} to the broker as the log reader would a record another node wrote. */
    CompletionStage<Void> handFromElsewhere(Message message, PublisherLink reader) {
        return handFromElsewhere(message, null, reader);
    }

    /** Like {@link #handFromElsewhere(Message, PublisherLink)}, with the record's share choices (null: none). */
    CompletionStage<Void> handFromElsewhere(Message message, List<ShareChoice> shares, PublisherLink reader) {
        LogDelivery target;
        synchronized (this) {
            target = delivery;
        }
        return target.deliver(message, false, shares, reader);
    }

    synchronized void makeDurable(int index) {
        durable.get(index).complete(null);
    }
}
