package io.tributary.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.broker.BrokerState.SubscriptionState;
import io.tributary.broker.QoS;
import io.tributary.broker.session.SessionSummary;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster's subscription table: which nodes a message is for. */
class ClusterInterestTest {

    private static SessionSummary session(String clientId, boolean connected, long expiry, String... filters) {
        List<SubscriptionState> subscriptions = new java.util.ArrayList<>();
        for (String filter : filters) {
            subscriptions.add(new SubscriptionState(filter, QoS.AT_LEAST_ONCE, false, false, 0, 0));
        }
        return new SessionSummary(clientId, connected, expiry, 5, null, subscriptions);
    }

    @Test
    void namesTheOwnersOfMatchingSessionsExceptTheAskingNode() {
        ClusterInterest table = new ClusterInterest();
        table.put("node-2", session("a", true, 0, "tele/+/temp"));
        table.put("node-3", session("b", false, 600, "tele/#"));
        table.put("node-1", session("c", true, 0, "tele/s1/temp"));

        assertEquals(Set.of("node-2", "node-3"), table.nodesFor("tele/s1/temp", "node-1"));
        assertEquals(Set.of("node-3"), table.nodesFor("tele/s1/humidity", "node-1"));
        assertEquals(Set.of("node-1", "node-3"), table.nodesFor("tele/s1/temp", "node-2"));
        assertEquals(Set.of(), table.nodesFor("cmd/x", "node-1"));
        assertEquals(Set.of(), table.nodesFor("$SYS/broker/uptime", "node-1"), "# does not match $ topics");
    }

    @Test
    void aNewStateReplacesTheOldAndAnEndRemovesIt() {
        ClusterInterest table = new ClusterInterest();
        table.put("node-2", session("a", true, 0, "x/1", "x/2"));
        table.put("node-2", session("a", true, 0, "x/2"));

        assertEquals(Set.of(), table.nodesFor("x/1", "node-1"), "unsubscribed");
        assertEquals(Set.of("node-2"), table.nodesFor("x/2", "node-1"));
        assertEquals("node-2", table.ownerOf("a"));

        table.put("node-3", session("a", true, 0, "x/2"));
        assertEquals(Set.of("node-3"), table.nodesFor("x/2", "node-1"), "the client now lives on node 3");
        assertEquals(Set.of("a"), table.clientsOf("node-3"));
        assertEquals(Set.of(), table.clientsOf("node-2"));

        table.remove("a");
        assertEquals(Set.of(), table.nodesFor("x/2", "node-1"));
        assertNull(table.ownerOf("a"));
        assertEquals(0, table.size());
    }

    @Test
    void aSharedGroupCountsForEveryNodeWithAMember() {
        ClusterInterest table = new ClusterInterest();
        table.put("node-2", session("m1", true, 0, "$share/g/jobs/#"));
        table.put("node-3", session("m2", false, 600, "$share/g/jobs/#"));
        table.put("node-3", session("m3", true, 0, "$share/h/jobs/#"));

        assertEquals(Set.of("node-2", "node-3"), table.nodesFor("jobs/1", "node-1"));
        table.remove("m2");
        table.remove("m3");
        assertEquals(Set.of("node-2"), table.nodesFor("jobs/1", "node-1"));
    }

    @Test
    void aSharedGroupsMessageGoesToOneMemberOverTheWholeClusterRoundRobin() {
        ClusterInterest table = new ClusterInterest();
        table.put("node-1", session("a", true, 0, "$share/g/jobs/#"));
        table.put("node-2", session("b", true, 600, "$share/g/jobs/#"));
        table.put("node-3", session("c", true, 0, "$share/g/jobs/#"));
        table.put("node-3", session("d", false, 600, "$share/g/jobs/#")); // offline: never while one is connected
        table.put("node-2", session("plain", true, 0, "jobs/#"));

        java.util.Map<String, Integer> perMember = new java.util.HashMap<>();
        for (int i = 0; i < 300; i++) {
            ClusterInterest.Destinations wanted = table.destinations("jobs/" + i, "node-1");
            assertEquals(Set.of("node-2"), wanted.nodes(), "only the plain subscriber's node; the group chose");
            assertEquals(1, wanted.shares().size());
            ShareChoice choice = wanted.shares().get(0);
            assertEquals("$share/g/jobs/#", choice.filter());
            assertEquals(table.ownerOf(choice.clientId()), choice.node());
            perMember.merge(choice.clientId(), 1, Integer::sum);
        }
        assertEquals(java.util.Map.of("a", 100, "b", 100, "c", 100), perMember);
    }

    @Test
    void anOfflinePersistentMemberIsChosenOnlyWhenNoMemberIsConnected() {
        ClusterInterest table = new ClusterInterest();
        table.put("node-2", session("offline", false, 600, "$share/g/jobs/#"));
        table.put("node-3", session("online", true, 0, "$share/g/jobs/#"));
        for (int i = 0; i < 4; i++) {
            assertEquals("online", table.destinations("jobs/1", "node-1").shares().get(0).clientId());
        }
        table.remove("online");
        ClusterInterest.Destinations wanted = table.destinations("jobs/1", "node-1");
        assertEquals(List.of(new ShareChoice("$share/g/jobs/#", "node-2", "offline")), wanted.shares());
        assertEquals(Set.of(), wanted.nodes());
        assertEquals(List.of(), table.destinations("other/1", "node-1").shares());
    }

    @Test
    void twoGroupsOfOneNameWithOtherFiltersAreChosenApart() {
        ClusterInterest table = new ClusterInterest();
        table.put("node-2", session("x", true, 0, "$share/g/jobs/#"));
        table.put("node-3", session("y", true, 0, "$share/g/jobs/+"));
        assertEquals(Set.of(new ShareChoice("$share/g/jobs/#", "node-2", "x"),
                new ShareChoice("$share/g/jobs/+", "node-3", "y")),
                Set.copyOf(table.destinations("jobs/1", "node-1").shares()));
    }
}
