package io.tributary.broker.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.AclConfig;
import io.tributary.broker.AclFile;
import io.tributary.broker.AclRule;
import io.tributary.broker.Authorizer;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.Permissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of the ACL, in Mosquitto's file format, with and without the per-connection cache. */
class AclAuthorizerTest {

    private static final String FILE = """
            # anonymous clients: before any user line
            topic read public/#
            topic status

            user alice
            topic readwrite alice/#
            topic deny alice/secret/#
            topic read  spaced topic/with spaces

            user bob
            topic write bob/in

            # every client
            pattern readwrite devices/%c/#
            pattern read users/%u/inbox
            pattern deny devices/%c/locked
            """;

    @TempDir
    Path folder;

    private static ClientInfo client(String clientId, String user) {
        return new ClientInfo(clientId, user, null, "tcp", 5);
    }

    private AclAuthorizer authorizer(String content) throws Exception {
        Path file = Files.writeString(folder.resolve("acl"), content);
        return AclAuthorizer.of(new AclConfig(file, List.of()));
    }

    @Test
    void anonymousRulesComeBeforeAnyUserLine() throws Exception {
        Permissions anonymous = authorizer(FILE).forClient(client("c1", null));
        assertTrue(anonymous.mayRead("public/news"));
        assertFalse(anonymous.mayPublish("public/news"), "read only");
        assertTrue(anonymous.mayPublish("status"), "no access word: read and write");
        assertTrue(anonymous.mayRead("status"));
        assertFalse(anonymous.mayRead("alice/x"));
        Permissions alice = authorizer(FILE).forClient(client("c2", "alice"));
        assertFalse(alice.mayRead("public/news"), "the anonymous rules are not a user's");
    }

    @Test
    void userRulesWithDenyWinningOverGrants() throws Exception {
        Permissions alice = authorizer(FILE).forClient(client("a1", "alice"));
        assertTrue(alice.mayPublish("alice/data"));
        assertTrue(alice.mayRead("alice/data"));
        assertFalse(alice.mayRead("alice/secret/plans"), "deny wins over the broader readwrite");
        assertFalse(alice.mayPublish("alice/secret"));
        assertTrue(alice.mayRead("spaced topic/with spaces"), "a topic may hold spaces after the access word");
        assertFalse(alice.mayPublish("bob/in"));
        Permissions bob = authorizer(FILE).forClient(client("b1", "bob"));
        assertTrue(bob.mayPublish("bob/in"));
        assertFalse(bob.mayRead("bob/in"), "write only");
    }

    @Test
    void patternsFillInClientIdAndUserName() throws Exception {
        AclAuthorizer acl = authorizer(FILE);
        Permissions alice = acl.forClient(client("sensor-7", "alice"));
        assertTrue(alice.mayPublish("devices/sensor-7/temp"));
        assertFalse(alice.mayPublish("devices/sensor-8/temp"));
        assertFalse(alice.mayPublish("devices/sensor-7/locked"), "a deny pattern");
        assertTrue(alice.mayRead("users/alice/inbox"));
        assertFalse(alice.mayRead("users/bob/inbox"));
        Permissions anonymous = acl.forClient(client("sensor-9", null));
        assertTrue(anonymous.mayPublish("devices/sensor-9/temp"), "%c patterns apply to anonymous clients");
        assertFalse(anonymous.mayRead("users//inbox"), "%u patterns do not");
    }

    @Test
    void aWildcardInTheClientIdOrUserNameDeniesEverythingWhilePatternsUseIt() throws Exception {
        AclAuthorizer acl = authorizer(FILE);
        assertFalse(acl.forClient(client("#", "alice")).mayPublish("devices/x/y"));
        assertFalse(acl.forClient(client("#", "alice")).mayPublish("alice/data"));
        assertFalse(acl.forClient(client("c", "+")).mayRead("users/x/inbox"));
    }

    @Test
    void subscribeIsGrantedWhenTheFilterCanMatchAReadableTopic() throws Exception {
        AclAuthorizer acl = authorizer(FILE);
        Permissions alice = acl.forClient(client("sensor-7", "alice"));
        assertTrue(alice.maySubscribe("#"), "broad: granted, filtered per message");
        assertTrue(alice.maySubscribe("+/sensor-7/#"));
        assertTrue(alice.maySubscribe("alice"), "alice/# matches alice itself");
        assertTrue(alice.maySubscribe("alice/+/x"));
        assertFalse(alice.maySubscribe("alice/secret/#"), "wholly denied");
        assertFalse(alice.maySubscribe("alice/secret/+/x"), "wholly denied");
        assertFalse(alice.maySubscribe("bob/#"), "no readable topic");
        assertFalse(alice.maySubscribe("$SYS/#"), "# grants nothing under $");
        Permissions bob = acl.forClient(client("b", "bob"));
        assertFalse(bob.maySubscribe("bob/in"), "write only");
        assertTrue(bob.maySubscribe("#"), "bob reads users/bob/inbox and devices/b/#, which # overlaps");
    }

    @Test
    void dollarTopicsNeedARuleStartingWithDollar() throws Exception {
        AclAuthorizer acl = authorizer("topic read #\ntopic read $SYS/broker/#\n");
        Permissions anonymous = acl.forClient(client("c", null));
        assertFalse(anonymous.mayRead("$SYS/other"));
        assertTrue(anonymous.mayRead("$SYS/broker/uptime"));
        assertTrue(anonymous.maySubscribe("$SYS/#"));
        assertFalse(anonymous.maySubscribe("$other/#"));
    }

    @Test
    void anEmptyFileDeniesEverything() throws Exception {
        Permissions anyone = authorizer("# nothing yet\n").forClient(client("c", "alice"));
        assertFalse(anyone.mayRead("a"));
        assertFalse(anyone.mayPublish("a"));
        assertFalse(anyone.maySubscribe("#"));
    }

    @Test
    void noRulesAllowAllWithoutPerClientWork() {
        Authorizer none = AclAuthorizer.start(AclConfig.NONE);
        assertEquals(Authorizer.ALLOW_ALL, none);
        assertEquals(Permissions.ALLOW_ALL, none.forClient(client("c", null)));
    }

    @Test
    void configurationRulesAddToTheFile() throws Exception {
        Path file = Files.writeString(folder.resolve("acl"), "user alice\ntopic read a\n");
        AclAuthorizer acl = AclAuthorizer.of(new AclConfig(file,
                List.of(AclRule.topic("alice", AclRule.Access.WRITE, "b"))));
        Permissions alice = acl.forClient(client("c", "alice"));
        assertTrue(alice.mayRead("a"));
        assertTrue(alice.mayPublish("b"));
        assertFalse(alice.mayPublish("a"));
    }

    @Test
    void badLinesAreAllReportedWithFileAndLine() {
        AclFile.InvalidAclException e = assertThrows(AclFile.InvalidAclException.class, () -> AclFile.parse(List.of(
                "user", "topic read a/#/b", "topic", "allow a", "pattern write x/%uu"), "rules.acl"));
        assertEquals("""
                rules.acl line 1: 'user' needs a user name
                rules.acl line 2: 'topic' '#' must be the last level, alone: 'a/#/b'
                rules.acl line 3: 'topic' a topic filter is needed
                rules.acl line 4: unknown keyword 'allow'; a line is 'user NAME', 'topic [read|write|readwrite|deny] \
                FILTER' or 'pattern [read|write|readwrite|deny] FILTER'
                rules.acl line 5: 'pattern' %u and %c must each be a whole level: 'x/%uu'""", e.getMessage());
        IllegalArgumentException atStart = assertThrows(IllegalArgumentException.class, () -> authorizer("topik a\n"));
        assertTrue(atStart.getMessage().contains("acl line 1: unknown keyword 'topik'"), atStart.getMessage());
    }

    @Test
    void aReloadChangesCachedDecisionsAndABadFileKeepsTheRulesInForce() throws Exception {
        Path file = Files.writeString(folder.resolve("acl"), "topic read a\n");
        AclAuthorizer acl = AclAuthorizer.of(new AclConfig(file, List.of()));
        Permissions client = acl.forClient(client("c", null));
        assertTrue(client.mayRead("a"));
        assertFalse(client.mayRead("b"));

        Files.writeString(file, "topic read b\n# longer, so that the size changes too\n");
        assertTrue(acl.reloadIfChanged());
        assertFalse(client.mayRead("a"), "the cached decision is gone with the old rules");
        assertTrue(client.mayRead("b"));

        Files.writeString(file, "topic read b\ntopik c\n");
        assertFalse(acl.reloadIfChanged(), "a bad file is not loaded");
        assertTrue(client.mayRead("b"), "the rules in force stay");
        assertFalse(acl.reloadIfChanged(), "unchanged since the failed attempt");
    }

    @Test
    void cachedAndUncachedDecisionsAgree() throws Exception {
        AclAuthorizer acl = authorizer(FILE);
        ClientInfo info = client("sensor-7", "alice");
        Permissions cached = acl.forClient(info);
        for (String topic : List.of("alice/a", "alice/secret/x", "devices/sensor-7/t", "devices/sensor-7/locked",
                "users/alice/inbox", "public/x", "other")) {
            for (int round = 0; round < 2; round++) {
                assertEquals(acl.mayRead(info, topic), cached.mayRead(topic), topic);
                assertEquals(acl.mayPublish(info, topic), cached.mayPublish(topic), topic);
            }
        }
    }

    @Test
    void theCacheStaysBounded() throws Exception {
        Permissions client = authorizer("topic read t/#\n").forClient(client("c", null));
        for (int i = 0; i < 10 * DecisionCache.MAX_TOPICS; i++) {
            assertTrue(client.mayRead("t/" + i));
        }
        DecisionCache cache = new DecisionCache();
        for (int i = 0; i < 3 * DecisionCache.MAX_TOPICS; i++) {
            cache.put("t/" + i, true);
        }
        int kept = 0;
        for (int i = 0; i < 3 * DecisionCache.MAX_TOPICS; i++) {
            kept += cache.get("t/" + i) != null ? 1 : 0;
        }
        assertTrue(kept <= DecisionCache.MAX_TOPICS, "kept " + kept);
    }

    @Test
    void mayReadAllNeedsACoveringGrantAndNoOverlappingDeny() throws Exception {
        Permissions alice = authorizer(FILE).forClient(client("sensor-7", "alice"));
        assertTrue(alice.mayReadAll("alice/data/#"));
        assertFalse(alice.mayReadAll("alice/+"), "alice/secret is inside it, and alice/secret/# matches it");
        assertFalse(alice.mayReadAll("alice/#"), "alice/secret/# is inside it");
        assertFalse(alice.mayReadAll("alice/+/plans"), "alice/secret/plans is inside it");
        assertFalse(alice.mayReadAll("#"));
        assertTrue(alice.mayReadAll("users/alice/inbox"));
        assertTrue(Permissions.ALLOW_ALL.mayReadAll("#"));
    }
}
