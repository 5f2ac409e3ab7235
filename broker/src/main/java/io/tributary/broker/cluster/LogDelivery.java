package io.tributary.broker.cluster;

import io.tributary.broker.Message;
import io.tributary.broker.delivery.PublisherLink;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Hands a message read from the cluster's log to this node's own MQTT sessions, never to its in-process
 * subscribers (routes): those met the message on the node where it was published. The exception: in-process
 * subscribers that asked for every node's messages (an event stream, {@code SubscribeOptions.everyNode()}) get
 * what other nodes published.
 *
 * <p>Concurrency: called by the log reader's thread, one message at a time.
 */
public interface LogDelivery {

    /**
     * Offers {@code message} to every local MQTT session it matches, and, if another node published it, to the
     * local in-process subscribers that asked for every node's messages.
     *
     * @param fromThisNode whether this node published it (and so served its in-process subscribers already)
     * @param shares the record's share choices: a shared group gets it only through the member chosen on this
     *     node (none if the group's choice is elsewhere or missing); null for a record without the header (an
     *     older node's), whose groups pick among their members here as before
     * @param reader paused by a session whose queue is full, and resumed once it has room: the log reader reads
     *     nothing new meanwhile
     * @return completes once every session that took it holds it as its acknowledgement needs (queued, and
     *     written to the session journal for a persistent session); null if there is nothing to wait for. The
     *     reader's checkpoint never passes a message whose stage has not completed.
     */
    CompletionStage<Void> deliver(Message message, boolean fromThisNode, List<ShareChoice> shares,
                                  PublisherLink reader);
}
