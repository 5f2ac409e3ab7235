package io.tributary.broker.cluster;

import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.subscription.SharedGroup;
import io.tributary.broker.subscription.Subscription;
import java.util.List;
import java.util.function.Predicate;

/**
 * The origin's choice of one member of a shared group for one message (design §4.7), carried in the record's
 * {@code tributary.share} header so that the member's node offers the message to that member only.
 *
 * @param filter the shared subscription's filter as its members gave it ({@code $share/G/filter}): the group
 * @param node the node that owns the chosen member's session
 * @param clientId the chosen member
 */
public record ShareChoice(String filter, String node, String clientId) {

    /** The choice for the group of {@code filter} among {@code choices}, or null. */
    static ShareChoice of(List<ShareChoice> choices, String filter) {
        for (ShareChoice choice : choices) {
            if (choice.filter.equals(filter)) {
                return choice;
            }
        }
        return null;
    }

    /**
     * The member of {@code group} that gets a message on {@code node}: the one {@code choices} names if it is on
     * {@code node} (another member there if it went meanwhile: the re-route of this version, local only); none if
     * the choice is on another node; and the local round robin for a group with no choice (the origin's table did
     * not know it yet, as before slice 6).
     */
    static Subscription memberOn(String node, List<ShareChoice> choices, SharedGroup group, String topic,
                                 Predicate<Subscriber> among) {
        ShareChoice choice = of(choices, group.filter());
        if (choice == null) {
            return group.pick(topic, among);
        }
        if (!choice.node.equals(node)) {
            return null;
        }
        Subscription member = group.pickNamed(choice.clientId, topic, among);
        return member != null ? member : group.pick(topic, among);
    }
}
