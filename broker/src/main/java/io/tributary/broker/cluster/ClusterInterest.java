package io.tributary.broker.cluster;

import io.tributary.broker.BrokerState;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.session.SessionSummary;
import io.tributary.broker.subscription.MatchCollector;
import io.tributary.broker.subscription.SharedGroup;
import io.tributary.broker.subscription.Subscription;
import io.tributary.broker.subscription.SubscriptionTree;
import io.tributary.broker.topic.InvalidTopicException;
import io.tributary.broker.topic.TopicFilter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's subscription table (design §4.2): every session of every node, with its owner node and its
 * subscriptions, as the sessions topic says. It delivers nothing; it only answers "which nodes have a session that
 * a message on this topic matches", so that a publisher's node appends a message only for nodes that want it.
 *
 * <p>The subscriptions sit in a {@link SubscriptionTree} of their own, whose subscribers are {@link RemoteSession}
 * placeholders, so a filter matches here exactly as it does on its node.
 *
 * <p>Concurrency: {@link #put} and {@link #remove} come from the sessions follower's thread (one at a time, under
 * this object's monitor); {@link #nodesFor} runs on every publisher's thread at once and takes no lock.
 */
public final class ClusterInterest {
    private final SubscriptionTree tree = new SubscriptionTree();
    private final Map<String, RemoteSession> sessions = new ConcurrentHashMap<>();

    /** Puts what {@code owner} says of one of its sessions, replacing what the table held for that client. */
    public synchronized void put(String owner, SessionSummary session) {
        removeLocked(session.clientId());
        RemoteSession remote = new RemoteSession(session.clientId(), owner, session.connected(),
                session.persistent());
        for (BrokerState.SubscriptionState s : session.subscriptions()) {
            TopicFilter filter;
            try {
                filter = TopicFilter.parse(s.filter());
            } catch (InvalidTopicException e) {
                continue; // its own node refused it too; nothing to match
            }
            tree.add(new Subscription(remote, filter, s.maxQos(), s.noLocal(), s.retainAsPublished(),
                    s.retainHandling(), s.subscriptionId()));
            remote.filters.add(filter);
        }
        sessions.put(session.clientId(), remote);
    }

    /** The session of {@code clientId} ended: it is no longer in the table. */
    public synchronized void remove(String clientId) {
        removeLocked(clientId);
    }

    private void removeLocked(String clientId) {
        RemoteSession old = sessions.remove(clientId);
        if (old != null) {
            for (TopicFilter filter : old.filters) {
                tree.remove(old, filter);
            }
        }
    }

    /**
     * The nodes, other than {@code except}, that own a session (connected, or offline and persistent) with a
     * subscription matching {@code topic}; a shared group counts for every node that has a member (the publish path
     * uses {@link #destinations}, which names only the chosen member's node). Empty, without allocating, when there is none.
     */
    public Set<String> nodesFor(String topic, String except) {
        Nodes nodes = new Nodes(except, true);
        tree.match(topic, nodes);
        return nodes.found == null ? Set.of() : nodes.found;
    }

    /**
     * Where a message on {@code topic} goes (design §4.1, §4.7): the owner nodes of the sessions with a plain
     * subscription matching it (every node, {@code except} left out), and for each shared group matching it one
     * member chosen over the whole cluster: round robin over the connected members, an offline persistent one
     * only when none is connected ({@link SharedGroup#pick}). A group's choice may be on {@code except}.
     */
    public Destinations destinations(String topic, String except) {
        Nodes nodes = new Nodes(except, false);
        tree.match(topic, nodes);
        if (nodes.groups == null) {
            return nodes.found == null ? Destinations.NONE : new Destinations(nodes.found, List.of());
        }
        List<ShareChoice> shares = new ArrayList<>(nodes.groups.size());
        for (SharedGroup group : nodes.groups) {
            Subscription member = group.pick(topic);
            if (member != null) {
                RemoteSession session = (RemoteSession) member.subscriber();
                shares.add(new ShareChoice(group.filter(), session.owner, session.clientId));
            }
        }
        return new Destinations(nodes.found == null ? Set.of() : nodes.found, shares);
    }

    /**
     * The nodes other than {@code except} with a plain subscriber of a message, and the shared groups' chosen
     * members (on any node).
     */
    public record Destinations(Set<String> nodes, List<ShareChoice> shares) {
        static final Destinations NONE = new Destinations(Set.of(), List.of());
    }

    /** The client ids of the sessions the table says {@code node} owns. */
    public Set<String> clientsOf(String node) {
        Set<String> owned = new HashSet<>();
        for (RemoteSession session : sessions.values()) {
            if (session.owner.equals(node)) {
                owned.add(session.clientId);
            }
        }
        return owned;
    }

    /** The owner node of {@code clientId}'s session as the table says, or null. */
    public String ownerOf(String clientId) {
        RemoteSession session = sessions.get(clientId);
        return session == null ? null : session.owner;
    }

    /** How many sessions the table holds. */
    public int size() {
        return sessions.size();
    }

    /** Collects the owner nodes of the matches, and the shared groups matched (for {@link #destinations}). */
    private static final class Nodes implements MatchCollector {
        private final String except;
        Set<String> found;
        List<SharedGroup> groups;
        /** Whether a shared group names the node of each of its members (true), or only its chosen one. */
        private final boolean everyMember;

        Nodes(String except, boolean everyMember) {
            this.except = except;
            this.everyMember = everyMember;
        }

        @Override
        public void add(Subscription s) {
            found(((RemoteSession) s.subscriber()).owner);
        }

        @Override
        public void addShared(SharedGroup group) {
            if (groups == null) {
                groups = new ArrayList<>(2);
            }
            groups.add(group);
            if (!everyMember) {
                return;
            }
            for (Subscription member : group.members()) {
                found(((RemoteSession) member.subscriber()).owner);
            }
        }

        private void found(String node) {
            if (node.equals(except)) {
                return;
            }
            if (found == null) {
                found = new HashSet<>(4);
            }
            found.add(node);
        }
    }

    /** A session of the table: where it lives. It never delivers. */
    static final class RemoteSession implements Subscriber {
        final String clientId;
        final String owner;
        final boolean connected;
        final boolean persistent;
        final List<TopicFilter> filters = new ArrayList<>(2);

        RemoteSession(String clientId, String owner, boolean connected, boolean persistent) {
            this.clientId = clientId;
            this.owner = owner;
            this.connected = connected;
            this.persistent = persistent;
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public CompletionStage<Void> offer(OutboundMessage message, PublisherLink publisher) {
            throw new IllegalStateException("a session of the cluster table delivers nothing: " + clientId);
        }

        @Override
        public boolean isReadyForShared() {
            return connected;
        }
    }
}
