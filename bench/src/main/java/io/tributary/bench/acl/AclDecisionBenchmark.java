package io.tributary.bench.acl;

import io.tributary.broker.AclConfig;
import io.tributary.broker.AclRule;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.Permissions;
import io.tributary.broker.acl.AclAuthorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one ACL decision on the delivery path ({@code mayRead}, asked for every message a subscription
 * matched) and the publish path ({@code mayPublish}), per connection as the broker asks it:
 * <ul>
 *   <li>{@code none}: no rules, {@link Permissions#ALLOW_ALL};</li>
 *   <li>{@code cached}: 1,000 rules that all apply to the client (500 of its user, 500 patterns), over 64 topics,
 *   which the per-connection cache holds;</li>
 *   <li>{@code uncached}: the same rules over 4,096 topics, more than the cache keeps, so that nearly every
 *   decision scans the rules.</li>
 * </ul>
 * The topics match only the last rules, so a scan goes through all of them: the worst case.
 *
 * <p>Run: {@code java -cp 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main AclDecisionBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AclDecisionBenchmark {

    /** How many rules the ACL has. */
    static final int RULES = 1000;

    @Param({"none", "cached", "uncached"})
    public String acl;

    private Permissions permissions;
    private String[] topics;
    private int next;

    @Setup
    public void setUp() {
        ClientInfo client = new ClientInfo("sensor-1", "alice", null, "tcp", 5);
        if (acl.equals("none")) {
            permissions = AclAuthorizer.start(AclConfig.NONE).forClient(client);
        } else {
            permissions = AclAuthorizer.of(new AclConfig(null, rules())).forClient(client);
        }
        int count = acl.equals("uncached") ? 4096 : 64;
        topics = new String[count];
        for (int i = 0; i < count; i++) {
            // Matched by the last pattern only (tenants/%u/499/#), after the user's rules and the other patterns.
            topics[i] = "tenants/alice/" + (RULES / 2 - 1) + "/line/" + i + "/temperature";
        }
    }

    static List<AclRule> rules() {
        List<AclRule> rules = new ArrayList<>();
        for (int i = 0; i < RULES / 2; i++) {
            rules.add(AclRule.pattern(AclRule.Access.READWRITE, "tenants/%u/" + i + "/#"));
        }
        for (int i = 0; i < RULES / 2; i++) {
            rules.add(AclRule.topic("alice", AclRule.Access.READWRITE, "site/" + i + "/#"));
        }
        return rules;
    }

    private String nextTopic() {
        String topic = topics[next];
        next = next + 1 == topics.length ? 0 : next + 1;
        return topic;
    }

    @Benchmark
    public boolean mayRead() {
        return permissions.mayRead(nextTopic());
    }

    @Benchmark
    public boolean mayPublish() {
        return permissions.mayPublish(nextTopic());
    }
}
