package io.tributary.broker.cluster;

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
    static ShareChoice of(java.util.List<ShareChoice> choices, String filter) {
        for (ShareChoice choice : choices) {
            if (choice.filter.equals(filter)) {
                return choice;
            }
        }
        return null;
    }
}
