package com.cometchat.spring.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The sender of a message changed its text, or deleted it. Receivers drop one made by anybody else than the sender
 * of a message they still remember (the last 1 000 per client).
 *
 * @param messageId the id of the message
 * @param editor the uid of who edited or deleted it
 * @param receiverType whether the message was sent to a user or a group
 * @param receiver the uid or guid the message was sent to
 * @param text the new text, or {@code null} for a deletion
 * @param at when it was edited or deleted, by the editor's clock
 * @author CometChat
 */
public record MessageEdit(String messageId, String editor, ReceiverType receiverType, String receiver,
		@Nullable String text, Instant at) {

	/**
	 * Return whether the message was deleted.
	 * @return whether there is no new text
	 */
	public boolean isDeletion() {
		return this.text == null;
	}

}
