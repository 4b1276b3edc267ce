package com.cometchat.spring.client;

import java.time.Instant;

/**
 * A user added a reaction to a message, or removed theirs.
 *
 * @param messageId the id of the message
 * @param reaction the reaction, such as an emoji
 * @param uid the uid of who reacted
 * @param receiverType whether the message was sent to a user or a group
 * @param receiver the uid or guid the message was sent to
 * @param added whether the reaction was added ({@code false}: removed)
 * @param at when it happened, by the reacting user's clock
 * @author CometChat
 */
public record MessageReaction(String messageId, String reaction, String uid, ReceiverType receiverType,
		String receiver, boolean added, Instant at) {

}
